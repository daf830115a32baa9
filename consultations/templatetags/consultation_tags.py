"""Consultations shown on the site's other pages, so those pages need not import this app."""

from django import template
from wagtail.models import Page

from consultations.models import ConsultationPage
from consultations.selectors import consultations_open_now

register = template.Library()


@register.simple_tag
def open_consultations(within: Page) -> list[ConsultationPage]:
    """The consultations open now under ``within`` (the home page lists them)."""
    return consultations_open_now(within=within)
