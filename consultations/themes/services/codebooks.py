"""Codebooks: the starter codebook made from its YAML file, new codebooks from themes read from
a file, and copies of a codebook for a consultation. Coding answers into a codebook's themes is
:mod:`consultations.themes.services.theme_coding`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from consultations.analysis.codebooks import ThemeSpec, load_codebook_yaml
from consultations.models import ConsultationPage
from consultations.themes.models import Codebook, Theme

#: The starter codebook, reviewable YAML (see the file's header for its format).
STARTER_CODEBOOK = Path(__file__).resolve().parents[2] / "analysis/data/codebooks/youth_voice.yaml"
STARTER_NAME = "Youth voice (starter)"
#: Theme colours, each at least 3:1 against white (so a coloured bar or dot can be seen), used in
#: turn for themes made from the starter file or adopted from discovery.
PALETTE = (
    "#1d70b8",  # blue 5.2:1
    "#00703c",  # green 5.9:1
    "#d4351c",  # red 4.5:1
    "#4c2c92",  # purple 10.2:1
    "#b14207",  # orange-brown 5.3:1
    "#005a59",  # teal 7.7:1
    "#912b88",  # pink-purple 7.1:1
    "#505a5f",  # grey 7.0:1
)


@transaction.atomic
def codebook_from_specs(
    specs: Sequence[ThemeSpec], *, name: str, description: str = "", **fields
) -> Codebook:
    """A new codebook with these themes (parents resolved by name), colours from the palette."""
    codebook = Codebook.objects.create(name=name, description=description, **fields)
    made: dict[str, Theme] = {}
    for order, spec in enumerate(specs):
        made[spec.name] = Theme.objects.create(
            codebook=codebook,
            name=spec.name,
            description=spec.description,
            keywords="\n".join(spec.keywords),
            colour=PALETTE[order % len(PALETTE)],
            sort_order=order,
        )
    for spec in specs:
        if spec.parent:
            made[spec.name].parent = made[spec.parent]
            made[spec.name].save(update_fields=["parent"])
    return codebook


def starter_codebook() -> Codebook:
    """The starter "youth voice" codebook, made from :data:`STARTER_CODEBOOK` if missing."""
    existing = Codebook.objects.filter(is_starter=True).order_by("pk").first()
    if existing is not None:
        return existing
    return codebook_from_specs(
        load_codebook_yaml(STARTER_CODEBOOK),
        name=STARTER_NAME,
        description=_(
            "The themes young people raised with the partnership. Copy it for a consultation "
            "and edit the copy."
        ),
        is_starter=True,
    )


@transaction.atomic
def copy_codebook(
    codebook: Codebook, *, name: str, consultation: ConsultationPage | None = None
) -> Codebook:
    """A copy of ``codebook`` and its themes (with their parents), for ``consultation``.

    Never copies runs, codes or codings: they belong to the original's answers.
    """
    if consultation is not None and Codebook.objects.filter(consultation=consultation).exists():
        raise ValidationError(
            _("“%(title)s” already has a codebook.") % {"title": consultation.title}
        )
    description = codebook.description
    if codebook.is_starter:  # its description is about copying it, not about the copy
        description = _("Copied from “%(name)s”.") % {"name": codebook.name}
    copy = Codebook.objects.create(name=name, description=description, consultation=consultation)
    themes = list(codebook.themes.order_by("sort_order", "pk"))
    made = {}
    for theme in themes:
        made[theme.pk] = Theme.objects.create(
            codebook=copy,
            name=theme.name,
            description=theme.description,
            keywords=theme.keywords,
            colour=theme.colour,
            sort_order=theme.sort_order,
        )
    for theme in themes:
        if theme.parent_id in made:
            made[theme.pk].parent = made[theme.parent_id]
            made[theme.pk].save(update_fields=["parent"])
    return copy
