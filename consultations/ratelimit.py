"""A per-client limit on answer submissions, kept only in Django's cache.

The client is identified by a keyed hash of its address, never the address itself, and the cache
entry expires with the window: nothing about the client reaches the database. A whole class
answering from one school network shares an address, so the default is generous.

Configure with ``YOUTHVOICE_ANSWER_RATE_LIMIT = (count, seconds)`` (env ``ANSWER_RATE_LIMIT`` as
``count/seconds``), or ``None`` to switch it off. ``YOUTHVOICE_CLIENT_IP_HEADER`` names the header
a trusted proxy puts the client address in (for example ``HTTP_X_FORWARDED_FOR``); only the last
address in it counts (``youthforum.core.client_address``).
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

from youthforum.core.client_address import client_address


def client_key(request) -> str:
    address = client_address(request)
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def allow_submission(
    request, *, scope: str = "answers", setting: str = "YOUTHVOICE_ANSWER_RATE_LIMIT"
) -> bool:
    """Count this attempt; False when the client has used up the current window.

    ``setting`` names the ``(count, seconds)`` limit in settings (``None`` there: no limit).
    """
    limit = getattr(settings, setting, None)
    if not limit:
        return True
    count, seconds = limit
    window = int(time.time() // seconds)
    key = f"ratelimit:{scope}:{client_key(request)}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        used = 1
    return used <= count
