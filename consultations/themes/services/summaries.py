"""The themed summary of a consultation (or one question): glue around ``analysis.summaries``.

Loads the released answers (never held ones) with their redacted text, the themes that won for each
(a person's coding where there is one, else the current run's: see
``consultations.themes.services.theme_coding.effective_codes``), and the respondents' age bands and
areas, and hands them to :func:`consultations.analysis.summaries.summarise`. The change since an
earlier consultation (``AnalysisOptions.earlier_consultation``) compares each theme's share of
respondents with the share of the earlier consultation's respondents given a theme of the same name
(ignoring capitals) by *its* codebook, over the whole earlier consultation.

Breakdowns hide small groups with ``YOUTHVOICE_SUPPRESSION_THRESHOLD`` (10 by default).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from consultations.analysis.summaries import CodedAnswer, ThemedSummary, summarise
from consultations.models import AboutYouOptions, AnalysisOptions, ConsultationPage, Response
from consultations.services.terms import terms_version
from consultations.themes.models import Codebook, CodingRun, HumanCoding
from consultations.themes.services.theme_coding import codable_answers, effective_codes


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


def theme_shares(consultation: ConsultationPage) -> dict[str, float] | None:
    """Each theme's share of the consultation's respondents (theme name folded), or None."""
    codebook = _codebook(consultation)
    if codebook is None:
        return None
    answers = coded_answers(codebook)
    respondents = {a.respondent for a in answers}
    if not respondents:
        return None
    raised: dict[str, set] = {}
    for answer in answers:
        for name in answer.themes:
            raised.setdefault(name.casefold(), set()).add(answer.respondent)
    return {name: len(people) / len(respondents) for name, people in raised.items()}


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
    themes = list(codebook.themes.order_by("sort_order", "pk").values_list("name", flat=True))
    options = consultation.about_you_options(AboutYouOptions.load())
    return summarise(
        coded_answers(codebook, question=question, filters=filters),
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
