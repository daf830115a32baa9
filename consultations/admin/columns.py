"""Listing columns the consultations' admin needs beyond Wagtail's own."""

from wagtail.admin.ui.tables import Column, NumberColumn


class CalendarDateColumn(Column):
    """A date as a date ("31 January 2027"), in the site's time zone.

    Wagtail's ``DateColumn`` says how long ago a date was ("3 days ago"), which suits when
    something happened; for a date still to come it reads "Just now". A consultation's opening
    and closing dates are read as dates, so this column shows them as such.
    """

    cell_template_name = "consultations/admin/calendar_date_cell.html"


class LinkedNumberColumn(NumberColumn):
    """A number that links somewhere (the responses behind a count, say).

    ``get_url`` takes the row's object and gives the link; ``link_suffix`` is read by screen
    readers after the number, so that the link makes sense on its own ("3 responses").
    """

    cell_template_name = "consultations/admin/linked_number_cell.html"

    def __init__(self, name, *, get_url, link_suffix="", **kwargs):
        super().__init__(name, **kwargs)
        self.get_url = get_url
        self.link_suffix = link_suffix

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["link_url"] = self.get_url(instance)
        context["link_suffix"] = self.link_suffix
        return context
