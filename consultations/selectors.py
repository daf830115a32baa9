"""Read paths for consultations, used by the site's pages, reports and dashboards."""

from wagtail.models import Page


def consultations_open_now(*, within: Page) -> list:
    """The consultations under ``within`` that are taking answers now, soonest closing first.

    The home page lists these. Consultation pages are added by the Consultations work; until they
    exist there is nothing open, and the home page says so.
    """
    return []
