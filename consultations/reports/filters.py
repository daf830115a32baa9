"""The report filters: one form, kept in the URL so a filtered view can be shared."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import AboutYou, Response, Source
from consultations.models.questions import TEXT_KINDS
from consultations.selectors import TermFilters

FIELDS = ("question", "age_band", "area", "source", "date_from", "date_to")


class ReportFilterForm(forms.Form):
    """Question, age band, area, source and dates; every one optional.

    The age bands and areas offered are the consultation's own (``about_you_options``: its age
    bands when it has some, else the site's), so a band it never offered is refused like any
    other value not in the list.
    """

    question = forms.TypedChoiceField(
        label=_("Question"), required=False, coerce=int, empty_value=None
    )
    age_band = forms.ChoiceField(label=_("Age band"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    source = forms.ChoiceField(label=_("How they answered"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a real date, for example 2026-03-01.")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a real date, for example 2026-03-31.")},
    )

    def __init__(self, data, *, consultation, prefix=None):
        super().__init__(data, prefix=prefix)
        options = consultation.about_you_options()
        every = [("", _("All"))]
        self.fields["question"].choices = [("", _("All questions"))] + [
            (q.pk, q.text) for q in consultation.ordered_questions() if q.kind in TEXT_KINDS
        ]
        self.fields["age_band"].choices = every + [
            (o, o) for o in options.options_for(AboutYou.AGE_BAND)
        ]
        self.fields["area"].choices = every + [(o, o) for o in options.options_for(AboutYou.AREA)]
        self.fields["source"].choices = every + list(Source.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", _("The “to” date must be the same as or after the “from” date.")
            )
        return data

    def filters(self) -> TermFilters:
        """The valid filters (an invalid form filters nothing: its errors are shown instead)."""
        if not self.is_bound or not self.is_valid():
            return TermFilters()
        data = self.cleaned_data
        return TermFilters(
            question=data.get("question") or None,
            age_band=data.get("age_band") or "",
            area=data.get("area") or "",
            source=data.get("source") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


def _options(consultation, about: str) -> list[str]:
    """The options offered now, then any other wording answers were given in (options change;
    answers keep the words they were given in)."""
    offered = consultation.about_you_options().options_for(about)
    given = set(
        Response.objects.filter(page=consultation)
        .exclude(**{about: ""})
        .values_list(about, flat=True)
        .distinct()
    )
    return offered + sorted(given - set(offered))


def querystring(filters: TermFilters, prefix: str = "") -> str:
    """The filters as a query string (without "?"), only those set, in a fixed order."""
    pairs = []
    for name in FIELDS:
        value = getattr(filters, name)
        if value:
            pairs.append(
                (f"{prefix}{name}", value.isoformat() if hasattr(value, "isoformat") else value)
            )
    return urlencode(pairs)


def describe_filters(filters: TermFilters, consultation) -> list[str]:
    """Plain words for the filters in force, for headings, PDFs and spreadsheets."""
    words = []
    if filters.question:
        question = consultation.questions.filter(pk=filters.question).first()
        if question:
            words.append(f"Question: {question.text}")
    if filters.age_band:
        words.append(f"Age band: {filters.age_band}")
    if filters.area:
        words.append(f"Area: {filters.area}")
    if filters.source:
        words.append(f"How they answered: {Source(filters.source).label}")
    if filters.date_from:
        words.append(f"From {filters.date_from:%-d %B %Y}")
    if filters.date_to:
        words.append(f"To {filters.date_to:%-d %B %Y}")
    return words


__all__ = ["FIELDS", "ReportFilterForm", "describe_filters", "querystring"]
