"""Small filters for report templates: shares as percentages, changes in points, hidden cells;
and ``{% reportpart %}``, the collapsible parts of the report page (plain sections in the PDF)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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


class ReportPartNode(template.Node):
    """One part of the report after the key findings. On the page: a ``<details>`` a reader
    opens and closes (closed unless ``open`` is given), whose body carries the part's id, so a
    link to ``#id`` opens it (the browser does that on its own; report.js too). In the PDF
    (``pdf`` in the context): a plain section that starts a page."""

    def __init__(self, anchor, title, opened: bool, nodelist):
        self.anchor, self.title, self.opened, self.nodelist = anchor, title, opened, nodelist

    def render(self, context) -> str:
        anchor = self.anchor.resolve(context)
        title = self.title.resolve(context)
        body = mark_safe(self.nodelist.render(context))  # noqa: S308 - rendered by the template
        if context.get("pdf"):
            return format_html(
                '<section class="report-section" id="{0}" aria-labelledby="{0}-heading">'
                '<h2 id="{0}-heading">{1}</h2>{2}</section>',
                anchor,
                title,
                body,
            )
        return format_html(
            '<details class="report-part" id="part-{0}"{3}>'
            '<summary class="report-part__summary"><h2 class="report-part__title" '
            'id="{0}-heading">{1}</h2></summary>'
            '<div class="report-part__body" id="{0}">{2}</div></details>',
            anchor,
            title,
            body,
            mark_safe(" open data-default-open") if self.opened else "",
        )


@register.tag("reportpart")
def reportpart(parser, token):
    """``{% reportpart "themes" _("Themes") [open] %}…{% endreportpart %}``: see ReportPartNode."""
    bits = token.split_contents()
    if len(bits) not in (3, 4) or (len(bits) == 4 and bits[3] != "open"):
        raise template.TemplateSyntaxError(
            f'{bits[0]} takes an id, a title and optionally "open": {token.contents}'
        )
    nodelist = parser.parse(("endreportpart",))
    parser.delete_first_token()
    return ReportPartNode(
        parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), len(bits) == 4, nodelist
    )
