"""Population figures in the Wagtail admin (Snippets › Population figures).

One snippet per source and year, its rows (age band, area, number of young people) edited
inline, or imported whole from a CSV file with "Import from CSV" (``PopulationImportView``).
Saving checks that no age band and area is given twice (ignoring capitals and spaces) and that
every number is a whole number of at least 0; a bad row or file saves nothing.

Who may do what: the Population model's permissions, given by ``youthforum/accounts/roles.py``:
Facilitators (and admins) add, change, import and delete; Executive partners view (the listing
and each table's "Inspect" page).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet

from consultations.models import AboutYou, AboutYouOptions

from .models import Population
from .population import (
    CSV_MAX_BYTES,
    CSV_MAX_ROWS,
    PopulationFileError,
    population_csv_read,
    population_import,
)


def _key(text: str) -> str:
    return " ".join((text or "").split()).casefold()


class FigureFormSet(BaseChildFormSet):
    """Each age band and area once in a table: said on the row that repeats one."""

    def clean(self):
        super().clean()
        seen: set[tuple[str, str]] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            band, area = form.cleaned_data.get("age_band"), form.cleaned_data.get("area")
            if not band or not area:
                continue
            if (_key(band), _key(area)) in seen:
                form.add_error(
                    "area",
                    _("%(band)s in %(area)s is already in this table: give each once.")
                    % {"band": band, "area": area},
                )
            seen.add((_key(band), _key(area)))


class FigureInlinePanel(InlinePanel):
    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = FigureFormSet
        return options


class PopulationImportForm(forms.Form):
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=255,
        help_text=gettext_lazy(
            "Where the figures come from, for example “ONS mid-year estimates 2023, approximate”."
        ),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Saved as “CSV UTF-8”, up to %(size)s MB and %(rows)s rows. The first row names the "
            "columns age_band, area and young_people; then one row per age band in each area."
        ) % {"size": CSV_MAX_BYTES // (1024 * 1024), "rows": f"{CSV_MAX_ROWS:,}"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": CSV_MAX_BYTES // (1024 * 1024)}
            )
        try:
            self.rows = population_csv_read(upload.read())
        except PopulationFileError as error:
            raise ValidationError(error.problems) from None
        return upload


class PopulationImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A new population table from a CSV file: saved whole, or not at all with every problem
    listed on the form."""

    model = Population
    permission_policy = None  # the viewset's
    permission_required = "add"
    header_icon = "group"
    index_url_name: str | None = None
    edit_url_name: str | None = None

    def get_form_class(self):
        return PopulationImportForm

    def get_template_names(self):
        return ["reports/admin/population_import.html"]

    def get_page_title(self):
        return _("Import population figures")

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(self.index_url_name), "label": _("Population figures")},
            {"url": "", "label": _("Import from CSV")},
        ]

    def form_valid(self, form):
        population = population_import(
            source=form.cleaned_data["source"],
            year=form.cleaned_data["year"],
            rows=form.rows,
            user=self.request.user,
        )
        messages.success(
            self.request,
            _("Imported %(n)s rows into “%(name)s”.")
            % {"n": f"{len(form.rows):,}", "name": population},
        )
        options = AboutYouOptions.cached()
        known = {
            _key(o)
            for about in (AboutYou.AGE_BAND, AboutYou.AREA)
            for o in options.options_for(about)
        }
        unknown = sorted(
            {v for row in form.rows for v in (row.age_band, row.area) if _key(v) not in known}
        )
        if unknown:
            messages.warning(
                self.request,
                _(
                    "These are not among the site’s “about you” age bands and areas, so only a "
                    "consultation with its own age bands worded so can use them: %(words)s."
                )
                % {"words": "; ".join(unknown)},
            )
        return redirect(self.edit_url_name, population.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label=_("Import"),
            submit_button_active_label=_("Importing…"),
            **kwargs,
        )


class PopulationIndexView(IndexView):
    """The listing, with "Import from CSV" beside "Add" for those who may add."""

    import_url_name: str | None = None

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.import_url_name and self.user_has_permission("add"):
            buttons.append(
                HeaderButton(
                    _("Import from CSV"),
                    url=reverse(self.import_url_name),
                    icon_name="upload",
                    priority=20,
                )
            )
        return buttons


class PopulationInspectView(InspectView):
    """A table's source, year and its rows, for those who may only view it."""

    def get_field_label(self, field_name, field):
        if field_name == "figures":
            return _("Figures")
        return super().get_field_label(field_name, field)

    def get_figures_display_value(self):
        return render_to_string(
            "reports/admin/population_figures.html",
            {"figures": self.object.figures.all()},
        )


class PopulationViewSet(SnippetViewSet):
    model = Population
    icon = "group"
    menu_label = gettext_lazy("Population figures")
    url_prefix = "population"
    index_view_class = PopulationIndexView
    inspect_view_class = PopulationInspectView
    inspect_view_enabled = True
    inspect_view_fields = ["source", "year", "figures"]
    list_display = [
        "source",
        "year",
        Column("rows", label=gettext_lazy("Rows"), accessor="figures.count"),
        Column("updated_at", label=gettext_lazy("Updated")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("source"),
            FieldPanel("year"),
            FigureInlinePanel(
                "figures",
                heading=gettext_lazy("Figures"),
                label=gettext_lazy("Row"),
                panels=[FieldPanel("age_band"), FieldPanel("area"), FieldPanel("young_people")],
            ),
        ]
    )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(import_url_name=self.get_url_name("import"), **kwargs)

    @property
    def import_view(self):
        return self.construct_view(
            PopulationImportView,
            permission_policy=self.permission_policy,
            edit_url_name=self.get_url_name("edit"),
        )

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("import/", self.import_view, name="import")]
