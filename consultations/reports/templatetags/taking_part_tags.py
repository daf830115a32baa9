"""``{% taking_part_results consultation as results %}``: the report's "What taking part was
like" part (``reports/includes/taking_part.html``) reads its numbers here, so the report's
cached build (``report.build_report``) need not carry them: one query, on each view."""

from django import template

from consultations.reports.taking_part import TakingPartResults
from consultations.reports.taking_part import taking_part_results as results_of

register = template.Library()


@register.simple_tag
def taking_part_results(consultation) -> TakingPartResults:
    return results_of(consultation)
