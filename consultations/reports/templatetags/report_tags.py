"""Small filters for report templates: shares as percentages, changes in points, hidden cells."""

from django import template
from django.utils.translation import gettext as _

from consultations.reports.selectors import threshold

register = template.Library()


@register.filter
def percent(share) -> str:
    """0.343 → "34%"; under 1% but above 0 → "under 1%"."""
    if share is None:
        return ""
    value = float(share) * 100
    if 0 < value < 1:
        return _("under 1%")
    return f"{value:.0f}%"


@register.filter
def points(change) -> str:
    """A change in percentage points, signed: +4 points, −3 points, no change."""
    if change is None:
        return ""
    value = round(float(change))
    if value == 0:
        return _("no change")
    sign = "+" if value > 0 else "−"
    return _("%(sign)s%(n)s points") % {"sign": sign, "n": abs(value)}


@register.filter
def cell(cell) -> str:
    """A suppressed table cell as a reader sees it."""
    if not getattr(cell, "suppressed", False):
        return f"{cell.value:,}" if isinstance(cell.value, int) else str(cell.value)
    return cell.display  # "fewer than 10" or "hidden", with the threshold in force


@register.simple_tag
def suppression_threshold() -> int:
    """The smallest group shown (``YOUTHVOICE_SUPPRESSION_THRESHOLD``), for the words around it."""
    return threshold()
