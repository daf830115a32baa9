"""A young person's own request to be contacted, after an answer raised a safeguarding concern.

Answers are anonymous, so nobody can reach a young person who disclosed something unless they
choose to say how. The thank-you page of a response with a concern offers a separate, optional
form (``contact_views``); this module is its write and read paths:

- :func:`contact_request_create` keeps one request per response, linked to its first concern,
  and emails the Safeguarding leads that one was made (a link, never the details);
- :func:`contact_requests_for_concern` is what the leads' concern page shows;
- :func:`contact_requests_purge` deletes requests older than ``YOUTHVOICE_CONTACT_REQUEST_DAYS``
  (default 30), answering the daily purge's ``consultations.signals.purge_due``.

The details are kept in their own table, apart from the answers: nothing that builds a report,
an export, a word cloud or a quote reads it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Response
from consultations.safeguarding.models import ContactRequest, SafeguardingConcern
from youthforum.accounts.roles import SAFEGUARDING_LEADS

logger = logging.getLogger(__name__)

#: The most a young person may write in "how to reach me" (the form says so too).
HOW_TO_REACH_MAX_LENGTH = 500
BEST_TIME_MAX_LENGTH = 255


class ContactRequestRefused(ValueError):
    """The request cannot be kept; the message says why, in words a young person can follow."""


def first_concern(response: Response) -> SafeguardingConcern | None:
    """The response's earliest concern: a contact request is linked to it."""
    return response.concerns.order_by("pk").first()


def contact_request_of(response: Response) -> ContactRequest | None:
    """The request already made for this response, if any (one per response)."""
    return ContactRequest.objects.filter(response=response).order_by("pk").first()


def contact_request_create(
    *, response: Response, how_to_reach: str, best_time: str = "", consent: bool
) -> tuple[ContactRequest, bool]:
    """Keep a young person's request to be contacted; ``(request, created)``.

    Only once per response: asked again, it returns the request already kept and changes nothing
    (``created`` is False), so a second press of the button makes no duplicate. Refuses, with
    :class:`ContactRequestRefused` and nothing saved, a response without a concern, no consent,
    and an empty or too long "how to reach me" (the form checks these first; this is the door
    every caller goes through). The leads are emailed after the save commits.
    """
    how_to_reach = (how_to_reach or "").strip()
    best_time = (best_time or "").strip()
    if not consent:
        raise ContactRequestRefused(_("You need to agree before we can contact you."))
    if not how_to_reach:
        raise ContactRequestRefused(_("Tell us your name or how we can reach you."))
    if len(how_to_reach) > HOW_TO_REACH_MAX_LENGTH:
        raise ContactRequestRefused(
            _("How to reach you must be %(limit)s characters or fewer.")
            % {"limit": HOW_TO_REACH_MAX_LENGTH}
        )
    if len(best_time) > BEST_TIME_MAX_LENGTH:
        raise ContactRequestRefused(
            _("The best time must be %(limit)s characters or fewer.")
            % {"limit": BEST_TIME_MAX_LENGTH}
        )
    with transaction.atomic():
        # Lock the response (PostgreSQL): two presses at once still keep one request.
        locked = Response.objects.select_for_update().get(pk=response.pk)
        existing = contact_request_of(locked)
        if existing is not None:
            return existing, False
        concern = first_concern(locked)
        if concern is None:
            raise ContactRequestRefused(_("There is no request to make for these answers."))
        made = ContactRequest.objects.create(
            response=locked,
            concern=concern,
            how_to_reach=how_to_reach,
            best_time=best_time,
            consent=True,
        )
        transaction.on_commit(lambda: contact_request_notify_leads(contact_request_id=made.pk))
    return made, True


def contact_request_notify_leads(*, contact_request_id: int) -> int:
    """Email every active Safeguarding lead that a young person asked to be contacted.

    The email has the consultation's title and a link to the concern, never the young person's
    details nor the answer: email leaves our systems. Returns the number of emails sent.
    """
    made = (
        ContactRequest.objects.filter(pk=contact_request_id)
        .select_related("concern__consultation")
        .first()
    )
    if made is None or made.concern is None:
        return 0
    leads = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=SAFEGUARDING_LEADS)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not leads:
        logger.error("A young person asked to be contacted but there is no Safeguarding lead.")
        return 0
    consultation = made.concern.consultation
    title = consultation.title if consultation else _("a consultation")
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "safeguarding:detail", args=[made.concern_id]
    )
    subject = _("A young person asked to be contacted: %(title)s") % {"title": title}
    body = _(
        "A young person whose answer to “%(title)s” raised a safeguarding concern has asked a "
        "Safeguarding lead to contact them.\n\n"
        "How to reach them is on the concern's page in the safeguarding queue:\n%(link)s\n\n"
        "Their details are deleted after %(days)s days.\n"
        "This email does not contain their details or their answer, on purpose."
    ) % {"title": title, "link": link, "days": settings.YOUTHVOICE_CONTACT_REQUEST_DAYS}
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, leads, fail_silently=False)
    except Exception:  # noqa: BLE001 - the request is saved and shown on the concern regardless
        logger.exception("Could not email the Safeguarding leads about a contact request.")
        return 0


def contact_requests_for_concern(*, concern: SafeguardingConcern) -> QuerySet[ContactRequest]:
    """The requests joined to this concern, or to its response (made from another concern)."""
    joined = Q(concern=concern)
    if concern.response_id is not None:
        joined |= Q(response_id=concern.response_id)
    return ContactRequest.objects.filter(joined).order_by("-created_at", "-pk")


def contact_requests_purge(*, now: datetime | None = None) -> int:
    """Delete requests older than ``YOUTHVOICE_CONTACT_REQUEST_DAYS``; how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.YOUTHVOICE_CONTACT_REQUEST_DAYS)
    deleted, _by_model = ContactRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def purge_when_due(**kwargs) -> dict[str, int]:
    """The daily purge's share for safeguarding (``consultations.signals.purge_due``)."""
    return {"contact_requests": contact_requests_purge()}
