"""Read paths for consultations, used by the site's pages, reports and dashboards."""

from django.utils import timezone
from wagtail.models import Page

from consultations.models import ConsultationPage


def consultations_open_now(*, within: Page) -> list[ConsultationPage]:
    """Live consultations under ``within`` that are taking answers now, soonest closing first."""
    now = timezone.now()
    return list(
        ConsultationPage.objects.live()
        .public()
        .descendant_of(within)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .exclude(results_published_at__lte=now)
        .order_by("closes_at")
    )
