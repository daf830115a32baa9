"""Codebooks in the Wagtail admin (Snippets → Codebooks): themes edited inline, and "Copy".

A codebook's themes are edited on the codebook's own page. Saving checks, and refuses with a
message on the theme concerned (saving nothing):

- theme names are unique in the codebook (ignoring capitals and spaces);
- a parent theme is another theme of the same codebook, not the theme itself, not one being
  deleted, and codebooks have two levels at most (a parent has no parent; a theme with child
  themes cannot be put under another);
- a colour is ``#rrggbb`` with a contrast of at least 3:1 against white, so a coloured bar or
  dot can be told from the page (WCAG 2.2, 1.4.11 non-text contrast).

"Copy" (in the listing's and the edit page's menus) copies a codebook with its themes and their
parents, usually the starter "youth voice" codebook, for a consultation: see
:func:`consultations.themes.services.codebooks.copy_codebook`.

Who may do what: the Codebook model's Django permissions (``add``/``change``/``delete``/``view``
``_codebook``), given to Facilitators by ``consultations/migrations/0006_coding_permissions``.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from consultations.analysis.word_clouds import contrast_ratio
from consultations.models import ConsultationPage
from consultations.themes.models import Codebook, Theme
from consultations.themes.services.codebooks import copy_codebook

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: The least contrast a theme colour must have against white.
MIN_CONTRAST = 3.0


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of ``#rrggbb`` against white (1 to 21)."""
    return contrast_ratio(colour, "#ffffff")


def validate_theme_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            _("Enter a colour as # and six hexadecimal digits, such as #1d70b8."), code="format"
        )
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "This colour is too light to see against white (contrast %(ratio).1f to 1; it "
                "must be at least 3 to 1). Choose a darker colour."
            )
            % {"ratio": ratio},
            code="contrast",
        )


def _name_key(name: str) -> str:
    return " ".join((name or "").split()).casefold()


class ThemeForm(WagtailAdminModelForm):
    """One theme in the codebook's form; parents are limited to this codebook's themes."""

    def __init__(self, *args, codebook: Codebook | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            field = self.fields["parent"]
            field.queryset = (
                Theme.objects.filter(codebook=codebook).order_by("sort_order", "pk")
                if codebook is not None and codebook.pk
                else Theme.objects.none()
            )
            field.error_messages["invalid_choice"] = _("Choose a parent theme from this codebook.")
        if "colour" in self.fields:
            self.fields["colour"].help_text = _(
                "As #rrggbb, such as #1d70b8. It must have a contrast of at least 3 to 1 "
                "against white, so that it can be seen in charts."
            )
            self.fields["colour"].widget.attrs.setdefault("placeholder", "#1d70b8")
        if "parent" in self.fields:
            self.fields["parent"].help_text = _(
                "Optional: put this theme under another theme of this codebook (two levels at "
                "most). New themes can be chosen as parents once the codebook is saved."
            )

    def clean_colour(self):
        colour = (self.cleaned_data.get("colour") or "").strip().lower()
        validate_theme_colour(colour)
        return colour

    def clean_name(self):
        return " ".join((self.cleaned_data.get("name") or "").split())


class ThemeFormSet(BaseChildFormSet):
    """Checks that need every theme of the codebook at once: unique names and two levels."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "codebook": self.instance}

    def clean(self):
        # Extra forms left empty are not themes; themes being deleted no longer count.
        kept = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and not self._should_delete_form(form)
            and (form.instance.pk or form.has_changed())
        ]
        deleted = {
            form.instance.pk
            for form in self.forms
            if form.instance.pk and self._should_delete_form(form)
        }
        seen: dict[str, object] = {}
        for form in kept:
            key = _name_key(form.cleaned_data.get("name", ""))
            if not key:
                continue
            if key in seen:
                form.add_error(
                    "name",
                    _("Another theme in this codebook is already called “%(name)s”.")
                    % {"name": form.cleaned_data["name"]},
                )
            else:
                seen[key] = form
        if any("name" in form.errors for form in kept):
            return  # said on each theme; the formset's own check would only repeat it vaguely
        super().clean()

        # The parent each kept theme will have after saving (as submitted, else as stored).
        parent_of = {
            form.instance.pk: form.cleaned_data.get("parent")
            for form in kept
            if form.instance.pk and "parent" in form.cleaned_data
        }
        for form in kept:
            parent = form.cleaned_data.get("parent")
            if parent is None:
                continue
            if form.instance.pk and parent.pk == form.instance.pk:
                form.add_error("parent", _("A theme cannot be its own parent."))
                continue
            if parent.codebook_id != self.instance.pk:
                form.add_error("parent", _("Choose a parent theme from this codebook."))
                continue
            if parent.pk in deleted:
                form.add_error(
                    "parent",
                    _("“%(parent)s” is being deleted, so it cannot be a parent.")
                    % {"parent": parent.name},
                )
                continue
            grandparent = parent_of.get(parent.pk, parent.parent)
            if grandparent is not None:
                form.add_error(
                    "parent",
                    _(
                        "“%(parent)s” is itself under “%(grandparent)s”: a codebook has two "
                        "levels at most."
                    )
                    % {"parent": parent.name, "grandparent": grandparent.name},
                )
                continue
            if form.instance.pk and any(
                p is not None and p.pk == form.instance.pk for p in parent_of.values()
            ):
                form.add_error(
                    "parent",
                    _(
                        "This theme has themes under it, so it cannot go under another: a "
                        "codebook has two levels at most."
                    ),
                )


class ThemeInlinePanel(InlinePanel):
    """An InlinePanel whose formset checks the themes together (see :class:`ThemeFormSet`)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name].update(form=ThemeForm, formset=ThemeFormSet)
        return options


class CodebookForm(WagtailAdminModelForm):
    def clean_consultation(self):
        consultation = self.cleaned_data.get("consultation")
        if consultation is not None:
            others = Codebook.objects.filter(consultation=consultation)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise ValidationError(
                    _("“%(title)s” already has a codebook: edit that one instead.")
                    % {"title": consultation.title}
                )
        return consultation


# Copy -------------------------------------------------------------------------------------------


class CopyCodebookForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the copy"), max_length=200)
    consultation = forms.ModelChoiceField(
        label=gettext_lazy("For the consultation"),
        queryset=ConsultationPage.objects.none(),
        required=False,
        empty_label=gettext_lazy("None yet"),
        help_text=gettext_lazy("Only consultations without a codebook are listed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = ConsultationPage.objects.filter(
            codebook__isnull=True
        ).order_by("title")


class CodebookCopyView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Copy a codebook with its themes (and their parents), optionally for a consultation."""

    model = Codebook
    permission_policy = ModelPermissionPolicy(Codebook)
    permission_required = "add"
    header_icon = "copy"
    index_url_name = None
    edit_url_name = None
    pk_url_kwarg = "pk"

    @cached_property
    def original(self) -> Codebook:
        return get_object_or_404(Codebook, pk=self.kwargs[self.pk_url_kwarg])

    # Not ``form_class`` and ``template_name``: the viewset passes its own (the codebook's edit
    # form and template) under those names.
    def get_form_class(self):
        return CopyCodebookForm

    def get_template_names(self):
        return ["themes/admin/codebook_copy.html"]

    def get_page_title(self):
        return _("Copy codebook")

    def get_page_subtitle(self):
        return str(self.original)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(self.index_url_name), "label": _("Codebooks")},
            {"url": "", "label": _("Copy “%(name)s”") % {"name": self.original.name}},
        ]

    def get_initial(self):
        name = self.original.name.removesuffix(" (starter)")
        return {"name": _("%(name)s (copy)") % {"name": name}}

    def form_valid(self, form):
        try:
            copy = copy_codebook(
                self.original,
                name=form.cleaned_data["name"],
                consultation=form.cleaned_data["consultation"],
            )
        except ValidationError as error:
            form.add_error("consultation", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Codebook “%(name)s” made, with %(count)s themes.")
            % {"name": copy.name, "count": copy.themes.count()},
        )
        return redirect(self.edit_url_name, copy.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            original=self.original,
            action_url=self.request.path,
            submit_button_label=_("Copy"),
            submit_button_active_label=_("Copying…"),
            **kwargs,
        )


# The viewset ------------------------------------------------------------------------------------


class CodebookViewSet(SnippetViewSet):
    model = Codebook
    icon = "tag"
    menu_label = gettext_lazy("Codebooks")
    url_prefix = "codebooks"
    copy_view_class = CodebookCopyView
    list_display = [
        "name",
        Column("consultation", label=gettext_lazy("Consultation")),
        Column("theme_count", label=gettext_lazy("Themes"), accessor="themes.count"),
        Column(
            "is_starter",
            label=gettext_lazy("Starter"),
            accessor=lambda c: _("Yes") if c.is_starter else "",
        ),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("consultation"),
            ThemeInlinePanel(
                "themes",
                heading=gettext_lazy("Themes"),
                label=gettext_lazy("Theme"),
                panels=[
                    FieldPanel("name"),
                    FieldPanel("description"),
                    FieldPanel("keywords"),
                    FieldPanel("parent"),
                    FieldPanel("colour"),
                ],
            ),
        ],
        base_form_class=CodebookForm,
    )

    def get_copy_view_kwargs(self, **kwargs):
        return {
            **super().get_copy_view_kwargs(**kwargs),
            "index_url_name": self.get_url_name("list"),
            "edit_url_name": self.get_url_name("edit"),
        }
