"""The address a request came from, for rate limits only (never stored).

Behind a proxy every request comes from the proxy, so ``YOUTHVOICE_CLIENT_IP_HEADER`` (env
``CLIENT_IP_HEADER``) names the header the proxy puts the client's address in, for example
``HTTP_X_FORWARDED_FOR``. The proxy adds the address it saw at the end of that header; anything
before it is whatever the client sent, so only the last address is trusted.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The client's address: the last one in the proxy's header when set, else REMOTE_ADDR."""
    header = getattr(settings, "YOUTHVOICE_CLIENT_IP_HEADER", None)
    if header:
        address = request.META.get(header, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")
