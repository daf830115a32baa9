"""The themed summary of a consultation (or one question): glue around ``analysis.summaries``.

Counts in the database, words from a sample. The themes that won for each released answer (never
a held one) are a person's coding where there is one, else the current run's (as
``consultations.themes.services.theme_coding.effective_codes`` has them): one SQL ``UNION ALL`` of
the two (:func:`_coded_rows`). The database groups it by theme, age band and area, counting
distinct respondents, and picks the even spread of each theme's answers whose words are read for
quotes and key phrases, in one statement (:func:`counted_in_the_database`); only those answers'
texts are read. :func:`consultations.analysis.summaries.summarise_counted` puts the two together,
so a summary of a million answers reads thousands of texts and a few hundred rows of counts, and
gives exactly what :func:`~consultations.analysis.summaries.summarise` gives from every answer in
memory (``coded_answers``; ``tests/consultations/themes/test_summary_in_the_database.py`` compares
them).

The change since an earlier consultation (``AnalysisOptions.earlier_consultation``) compares each
theme's share of respondents with the share of the earlier consultation's respondents given a theme
of the same name (ignoring capitals) by *its* codebook, over the whole earlier consultation.

Breakdowns hide small groups with ``YOUTHVOICE_SUPPRESSION_THRESHOLD`` (10 by default).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import replace
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, QuerySet

from consultations.analysis.summaries import (
    TEXT_SAMPLE,
    CodedAnswer,
    ThemeCounts,
    ThemedSummary,
    WordSample,
    spread_condition,
    summarise_counted,
)
from consultations.models import AboutYouOptions, AnalysisOptions, ConsultationPage, Response
from consultations.services.terms import terms_version
from consultations.themes.models import Codebook, CodingRun, HumanCoding, MachineCode
from consultations.themes.services.theme_coding import (
    codable_answers,
    current_run,
    effective_codes,
    latest_codings,
)


def _threshold() -> int:
    return int(getattr(settings, "YOUTHVOICE_SUPPRESSION_THRESHOLD", 10))


def _codebook(consultation: ConsultationPage) -> Codebook | None:
    return Codebook.objects.filter(consultation=consultation).first()


def _filtered(answers, *, question=None, filters=None):
    """Answers narrowed by ``filters`` (a ``TermFilters``) and to one ``question``, if given."""
    if filters is not None:
        answers = filters.narrow(answers)
    if question:
        answers = answers.filter(question_id=getattr(question, "pk", question))
    return answers


def coded_answers(codebook: Codebook, *, question=None, filters=None) -> list[CodedAnswer]:
    """The codebook's released answers (filtered) with the themes that won for each."""
    names = dict(codebook.themes.values_list("pk", "name"))
    codes = effective_codes(codebook, released_only=False)  # only released rows are read below
    rows = _filtered(codable_answers(codebook), question=question, filters=filters).values_list(
        "pk", "response_id", "redacted_text", "response__age_band", "response__area"
    )
    named: dict[frozenset[int], frozenset[str]] = {}  # few distinct sets of themes: name each once

    def themes_of(pk: int) -> frozenset[str]:
        ids = frozenset(codes[pk].themes) if pk in codes else frozenset()
        if ids not in named:
            named[ids] = frozenset(names[t] for t in ids if t in names)
        return named[ids]

    return [
        CodedAnswer(
            id=pk,
            respondent=response_id,
            text=text,
            themes=themes_of(pk),
            age_band=age_band or None,
            area=area or None,
        )
        for pk, response_id, text, age_band, area in rows.order_by("pk").iterator(chunk_size=2_000)
    ]


# In the database ---------------------------------------------------------------------------


def _narrowed(rows: QuerySet, to_answer: str, *, question=None, filters=None) -> QuerySet:
    """``rows`` (reaching the answer through ``to_answer``) narrowed like :func:`_filtered`."""
    if filters is not None:
        rows = replace(filters, question=None).narrow(rows, to=f"{to_answer}response__")
        question = question or filters.question
    if question:
        rows = rows.filter(**{f"{to_answer}question_id": getattr(question, "pk", question)})
    return rows


#: The columns of :func:`_coded_rows`.
_COLUMNS = ("c_theme", "c_answer", "c_respondent", "c_age_band", "c_area")


def _coded_rows(codebook: Codebook, *, question=None, filters=None) -> tuple[str, list]:
    """SQL and parameters of one row per (released answer, theme that won for it), with the
    columns of ``_COLUMNS``: the current run's codes of answers no person coded, then people's
    codes (each answer's latest coding)."""

    def shaped(rows: QuerySet, to_answer: str) -> QuerySet:
        rows = rows.filter(
            **{f"{to_answer}held": False, f"{to_answer}response__page_id": codebook.consultation_id}
        ).exclude(**{f"{to_answer}redacted_text": ""})
        rows = _narrowed(rows, to_answer, question=question, filters=filters)
        named = dict(
            zip(
                _COLUMNS,
                (
                    F("theme_id"),
                    F(f"{to_answer}id"),
                    F(f"{to_answer}response_id"),
                    F(f"{to_answer}response__age_band"),
                    F(f"{to_answer}response__area"),
                ),
                strict=True,
            )
        )
        return rows.order_by().annotate(**named).values_list(*_COLUMNS)

    run = current_run(codebook)
    by_machine = shaped(
        MachineCode.objects.filter(run_id=run.pk if run else None).exclude(
            Exists(HumanCoding.objects.filter(codebook=codebook, answer_id=OuterRef("answer_id")))
        ),
        "answer__",
    )
    by_person = shaped(
        HumanCoding.themes.through.objects.filter(
            humancoding_id__in=list(latest_codings(codebook).values())
        ),
        "humancoding__answer__",
    )
    sql, params = by_machine.union(by_person, all=True).query.sql_with_params()
    return sql, list(params)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _known(names: dict[int, str]) -> str:
    """SQL keeping the rows of these themes (their ids follow as parameters)."""
    return f"{_COLUMNS[0]} IN ({', '.join(['%s'] * len(names)) or 'NULL'})"


def counted_in_the_database(
    codebook: Codebook,
    names: dict[int, str],
    *,
    question=None,
    filters=None,
    text_sample: int | None = TEXT_SAMPLE,
) -> tuple[ThemeCounts, WordSample | None]:
    """The summary's counts for the themes ``names`` (id: name) and, unless ``text_sample`` is
    None, the answers whose words it reads: chosen as ``analysis.summaries.sample_words``
    chooses them in memory (every answer when there are ``text_sample`` or fewer, else an even
    spread of at most that many of each theme's).

    One statement reads the coded rows once (a ``MATERIALIZED`` common table expression, in
    PostgreSQL 12+ and SQLite 3.35+ alike) and returns, by the first column: ``g`` a theme's
    respondents by age band and area, ``c`` the respondents with any theme, ``m`` the themes of
    each answer in the sample.
    """
    answers = _filtered(codable_answers(codebook), question=question, filters=filters)
    answered = answers.aggregate(
        answers=Count("pk"), respondents=Count("response_id", distinct=True)
    )
    sql, params = _coded_rows(codebook, question=question, filters=filters)
    theme, answer, respondent, age_band, area = _COLUMNS
    known, ids = _known(names), list(names)
    text, number = "CAST(NULL AS VARCHAR(100))", "CAST(NULL AS BIGINT)"
    # Only column names, casts and a number of ours are spliced in; every value is a parameter.
    parts = [
        f"SELECT 'g', {theme}, {age_band}, {area}, COUNT(DISTINCT {respondent}) "  # noqa: S608
        f"FROM coded WHERE {known} GROUP BY {theme}, {age_band}, {area}",
        f"SELECT 'c', {number}, {text}, {text}, COUNT(DISTINCT {respondent}) "  # noqa: S608
        f"FROM coded WHERE {known}",
    ]
    part_params = [*ids, *ids]
    everything = text_sample is not None and (
        text_sample <= 0 or answered["answers"] <= text_sample
    )
    if text_sample is not None and not everything:
        spread = spread_condition("position", "size", text_sample)
        picked = (
            f"SELECT {answer} FROM (SELECT {answer}, ROW_NUMBER() OVER "  # noqa: S608
            f"(PARTITION BY {theme} ORDER BY {answer}) - 1 AS position, COUNT(*) OVER "
            f"(PARTITION BY {theme}) AS size FROM coded WHERE {known}) numbered WHERE {spread}"
        )
        parts.append(
            f"SELECT 'm', {theme}, {text}, {text}, {answer} FROM coded "  # noqa: S608
            f"WHERE {known} AND {answer} IN ({picked})"
        )
        part_params += [*ids, *ids]
    elif everything:
        parts.append(
            f"SELECT 'm', {theme}, {text}, {text}, {answer} FROM coded WHERE {known}"  # noqa: S608
        )
        part_params += ids
    rows = _fetch(
        f"WITH coded AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts),  # noqa: S608
        [*params, *part_params],
    )
    groups: dict[str, Counter] = defaultdict(Counter)
    coded = 0
    themes_of: dict[int, set[str]] = defaultdict(set)
    for kind, theme_id, band, place, value in rows:
        if kind == "g":
            groups[names[theme_id]][band or None, place or None] += value
        elif kind == "c":
            coded = value
        else:
            themes_of[value].add(names[theme_id])
    counts = ThemeCounts(
        respondents=answered["respondents"],
        answers=answered["answers"],
        coded_respondents=coded,
        groups=dict(groups),
    )
    if text_sample is None:
        return counts, None
    chosen = answers if everything else answers.filter(pk__in=list(themes_of))
    worded = [
        CodedAnswer(
            id=pk,
            respondent=response_id,
            text=words,
            themes=frozenset(themes_of.get(pk, ())),
            age_band=band or None,
            area=place or None,
        )
        for pk, response_id, words, band, place in chosen.order_by("pk").values_list(
            "pk", "response_id", "redacted_text", "response__age_band", "response__area"
        )
    ]
    members: dict[str, list[int]] = {name: [] for name in names.values()}
    for row, item in enumerate(worded):
        for name in sorted(item.themes):
            members[name].append(row)
    return counts, WordSample(answers=worded, members=members)


def theme_shares(consultation: ConsultationPage) -> dict[str, float] | None:
    """Each theme's share of the consultation's respondents (theme name folded), or None."""
    codebook = _codebook(consultation)
    if codebook is None:
        return None
    names = dict(codebook.themes.values_list("pk", "name"))
    folded = {pk: name.casefold() for pk, name in names.items()}
    if len(set(folded.values())) < len(folded):
        # Two themes whose names differ only in capitals count as one: a person who raised
        # both counts once, which only every answer in memory can tell.
        answers = coded_answers(codebook)
        respondents = {a.respondent for a in answers}
        if not respondents:
            return None
        raised: dict[str, set] = {}
        for answer in answers:
            for name in answer.themes:
                raised.setdefault(name.casefold(), set()).add(answer.respondent)
        return {name: len(people) / len(respondents) for name, people in raised.items()}
    counts, _ = counted_in_the_database(codebook, folded, text_sample=None)
    if not counts.respondents:
        return None
    return {
        name: sum(groups.values()) / counts.respondents
        for name, groups in counts.groups.items()
        if sum(groups.values())
    }


def earlier_shares(consultation: ConsultationPage, theme_names) -> dict[str, float] | None:
    options = AnalysisOptions.objects.filter(consultation=consultation).first()
    if options is None or options.earlier_consultation_id is None:
        return None
    shares = theme_shares(options.earlier_consultation)
    if shares is None:
        return None
    return {name: shares.get(name.casefold(), 0.0) for name in theme_names}


def earlier_consultation(consultation: ConsultationPage) -> ConsultationPage | None:
    options = AnalysisOptions.objects.filter(consultation=consultation).first()
    return options.earlier_consultation if options is not None else None


def themed_summary(
    consultation: ConsultationPage, *, question=None, filters=None
) -> ThemedSummary | None:
    """The themed summary of the consultation (or of one ``question``), under ``filters``
    (a ``consultations.selectors.TermFilters``). None without a codebook."""
    codebook = _codebook(consultation)
    if codebook is None:
        return None
    ordered = list(codebook.themes.order_by("sort_order", "pk").values_list("pk", "name"))
    names = dict(ordered)
    themes = [name for _, name in ordered]
    options = consultation.about_you_options(AboutYouOptions.load())
    counts, sample = counted_in_the_database(codebook, names, question=question, filters=filters)
    return summarise_counted(
        counts,
        cast(WordSample, sample),  # a sample was asked for
        themes,
        earlier_shares=earlier_shares(consultation, themes),
        threshold=_threshold(),
        age_bands=list(options.options_for("age_band")),
        areas=list(options.options_for("area")),
    )


# Cached for the admin, and the key reports are cached under ---------------------------------

#: How long a themed summary or a report stays cached (a changed fingerprint retires it sooner).
CACHE_SECONDS = 60 * 60


def _codebook(consultation):
    try:
        return consultation.codebook
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist of the one-to-one
        return None


def fingerprint(consultation, *, _earlier: bool = True) -> str:
    figures = Response.objects.filter(page=consultation).aggregate(n=Count("pk"), last=Max("pk"))
    parts = [str(figures["n"]), str(figures["last"]), str(terms_version(consultation.pk))]
    codebook = _codebook(consultation)
    if codebook is not None:
        run = CodingRun.objects.filter(codebook=codebook, is_current=True).values_list(
            "pk", flat=True
        )
        coded = HumanCoding.objects.filter(codebook=codebook).aggregate(
            n=Count("pk"), last=Max("coded_at")
        )
        held = consultation.responses.filter(answers__held=True).count()
        parts += [str(list(run)), str(coded["n"]), str(coded["last"]), str(held)]
        # Edits to the themes (names, descriptions, parents, colours) change what is shown.
        parts.append(
            repr(
                list(
                    codebook.themes.order_by("pk").values_list(
                        "pk", "name", "description", "parent_id", "colour"
                    )
                )
            )
        )
    # Edits to the questions and to the analysis options (words left out, the earlier
    # consultation compared with) change what is shown too.
    parts.append(
        repr(
            list(
                consultation.questions.order_by("pk").values_list(
                    "pk", "sort_order", "kind", "text", "options", "allow_other", "about"
                )
            )
        )
    )
    options = (
        AnalysisOptions.objects.filter(consultation=consultation)
        .values_list("max_words", "mask_id", "extra_stop_words", "earlier_consultation_id")
        .first()
    )
    parts.append(repr(options))
    # The age bands and areas the tables list: the site's, or the consultation's own bands.
    about = consultation.about_you_options()
    parts.append(repr([list(about.options_for(name)) for name in ("age_band", "area")]))
    if _earlier and options and options[3]:
        # "Change since" reads the earlier consultation's figures: its changes count too (one
        # step back only, so two consultations naming each other cannot loop).
        earlier = ConsultationPage.objects.filter(pk=options[3]).first()
        if earlier is not None:
            parts.append(fingerprint(earlier, _earlier=False))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def cached_themed_summary(consultation, *, question=None):
    """The themed summary of the whole consultation or one question, as facilitators read it in
    the admin: cached under the same fingerprint as reports, so never stale."""
    key = (
        f"youthvoice:summary:{consultation.pk}:{fingerprint(consultation)}:"
        f"{getattr(question, 'pk', question) or 'all'}"
    )
    summary = cache.get(key)
    if summary is None:
        summary = themed_summary(consultation, question=question)
        cache.set(key, summary, timeout=CACHE_SECONDS)
    return summary
