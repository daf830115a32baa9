"""The briefing on the Wagtail dashboard: the latest consultations with their headline figures,
and the “You said, we did” promises that are open or overdue.

Everything here is read in a fixed number of queries, however many consultations, themes,
answers or promises there are, because it is on the first page every report reader sees after
signing in. The top themes are therefore counted in the database (:func:`theme_respondents`)
rather than by building each consultation's themed summary; they agree with the report's themed
summary (the same respondents and the same shares), which
``tests/consultations/reports/test_landing_panel.py`` checks.

To show more or fewer consultations or overdue promises, change :data:`LATEST` or
:data:`OVERDUE_SHOWN`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q

from consultations.commitments.models import Commitment
from consultations.commitments.selectors import (
    PromiseCounts,
    commitment_counts_by_consultation,
    commitments_open,
    commitments_overdue,
)
from consultations.models import Answer, ConsultationPage
from consultations.themes.models import HumanCoding, MachineCode, Theme

from .selectors import threshold

#: How many consultations the dashboard panel lists, the latest to open first.
LATEST = 5
#: How many overdue promises it lists by name (the rest are counted).
OVERDUE_SHOWN = 5
#: How many themes it names per consultation.
TOP_THEMES = 3


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    respondents: int
    share: float  # of the young people with a written answer that could be coded, 0 to 1


@dataclass(frozen=True)
class ConsultationBriefing:
    consultation: ConsultationPage
    responses: int
    too_small: bool  # fewer responses than the suppression threshold: no themes shown
    themes: list[ThemeCount]
    promises: PromiseCounts


@dataclass(frozen=True)
class Briefing:
    consultations: list[ConsultationBriefing] = field(default_factory=list)
    open_promises: int = 0
    overdue_promises: int = 0
    overdue: list[Commitment] = field(default_factory=list)  # the longest overdue first


def _later_coding(outer: str = "") -> Exists:
    """True when a later coding of the same answer in the same codebook exists. ``outer`` is the
    path from the outer query's model to its ``HumanCoding``."""
    coded_at = OuterRef(f"{outer}coded_at")
    return Exists(
        HumanCoding.objects.filter(
            answer_id=OuterRef(f"{outer}answer_id"), codebook_id=OuterRef(f"{outer}codebook_id")
        ).filter(Q(coded_at__gt=coded_at) | Q(coded_at=coded_at, pk__gt=OuterRef(f"{outer}pk")))
    )


def theme_respondents(consultation_ids: list[int]) -> dict[int, int]:
    """{theme id: young people who raised it}, over the codebooks of these consultations.

    An answer's themes are those of the latest person's coding of it where there is one (even
    “none of these”), else its current coding run's, as in
    ``consultations.themes.services.theme_coding.effective_codes``; only released answers with
    redacted text count. One query: the (theme, response) pairs of people's codings and of
    the machine's are joined with ``UNION`` (which drops duplicates) and counted by theme.
    """
    if not consultation_ids:
        return {}
    people = (
        HumanCoding.themes.through.objects.filter(
            humancoding__codebook__consultation_id__in=consultation_ids,
            humancoding__answer__response__page_id=F("humancoding__codebook__consultation_id"),
            humancoding__answer__held=False,
            theme__codebook_id=F("humancoding__codebook_id"),
        )
        .exclude(humancoding__answer__redacted_text="")
        .exclude(_later_coding("humancoding__"))
        .values(theme_key=F("theme_id"), respondent=F("humancoding__answer__response_id"))
    )
    machine = (
        MachineCode.objects.filter(
            run__is_current=True,
            run__codebook__consultation_id__in=consultation_ids,
            answer__response__page_id=F("run__codebook__consultation_id"),
            answer__held=False,
        )
        .exclude(answer__redacted_text="")
        .exclude(
            Exists(
                HumanCoding.objects.filter(
                    answer_id=OuterRef("answer_id"), codebook_id=OuterRef("run__codebook_id")
                )
            )
        )
        .values(theme_key=F("theme_id"), respondent=F("answer__response_id"))
    )
    pairs = people.union(machine)
    # Django cannot aggregate over a union, so the union's SQL (built, quoted and parametrised
    # by the ORM, its columns named by the first query's aliases) is counted in an outer query.
    sql, params = pairs.query.sql_with_params()
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(
            f"SELECT theme_key, COUNT(*) FROM ({sql}) pairs GROUP BY theme_key",  # noqa: S608
            params,
        )
        return dict(cursor.fetchall())


def top_themes(
    consultation_ids: list[int], *, top: int = TOP_THEMES
) -> dict[int, list[ThemeCount]]:
    """{consultation id: its ``top`` themes raised by anyone, most raised first (ties by name)},
    with each one's share of the young people whose written answers could be coded, as the
    themed summary counts them. A consultation with no codebook, or nothing coded, is left out.
    Three queries."""
    counts = theme_respondents(consultation_ids)
    if not counts:
        return {}
    coded_people = dict(
        Answer.objects.filter(response__page_id__in=consultation_ids, held=False)
        .exclude(redacted_text="")
        .values("response__page_id")
        .annotate(n=Count("response_id", distinct=True))
        .values_list("response__page_id", "n")
    )
    themes: dict[int, list[ThemeCount]] = {}
    rows = Theme.objects.filter(pk__in=counts).values_list(
        "pk", "name", "codebook__consultation_id"
    )
    for pk, name, consultation_id in rows:
        total = coded_people.get(consultation_id) or 0
        share = counts[pk] / total if total else 0.0
        themes.setdefault(consultation_id, []).append(ThemeCount(name, counts[pk], share))
    return {
        consultation_id: sorted(found, key=lambda t: (-t.respondents, t.theme))[:top]
        for consultation_id, found in themes.items()
    }


def briefing(
    *, today: date, latest: int | None = None, overdue_shown: int | None = None
) -> Briefing:
    """The ``latest`` live consultations (latest to open first) with their responses, top themes
    and promises, and every open and overdue promise, the ``overdue_shown`` longest overdue by
    name (by default :data:`LATEST` and :data:`OVERDUE_SHOWN`). Eight queries at most, whatever the
    numbers."""
    latest = LATEST if latest is None else latest
    overdue_shown = OVERDUE_SHOWN if overdue_shown is None else overdue_shown
    consultations = list(
        ConsultationPage.objects.live()
        .annotate(responses_count=Count("responses"))
        .order_by("-opens_at", "title")[:latest]
    )
    shown = [c.pk for c in consultations if c.responses_count >= threshold()]
    themes = top_themes(shown)
    promises = commitment_counts_by_consultation([c.pk for c in consultations], today=today)
    overdue = commitments_overdue(today=today)
    return Briefing(
        consultations=[
            ConsultationBriefing(
                consultation=consultation,
                responses=consultation.responses_count,
                too_small=consultation.pk not in shown,
                themes=themes.get(consultation.pk, []),
                promises=promises.get(consultation.pk, PromiseCounts()),
            )
            for consultation in consultations
        ],
        open_promises=commitments_open().count(),
        overdue_promises=overdue.count(),
        overdue=list(overdue[:overdue_shown]),
    )
