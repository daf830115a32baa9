"""``{% contact_requests_for concern as contacts %}``: a young person's requests to be contacted.

For ``safeguarding/includes/contact_requests.html`` on a concern's page: ``contacts.requests``
(newest first) and ``contacts.days`` (how long they are kept). Gives ``None`` to anyone who may
not review safeguarding (the include then shows nothing), so the details reach Safeguarding
leads only, wherever the include is used.
"""

from django import template
from django.conf import settings

from consultations.safeguarding.contact_requests import contact_requests_for_concern
from consultations.safeguarding.views import can_review

register = template.Library()


@register.simple_tag(takes_context=True)
def contact_requests_for(context, concern):
    request = context.get("request")
    if concern is None or request is None or not can_review(request.user):
        return None
    return {
        "requests": list(contact_requests_for_concern(concern=concern)),
        "days": settings.YOUTHVOICE_CONTACT_REQUEST_DAYS,
    }
