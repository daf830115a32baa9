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

from django.conf import settings

from consultations.analysis.summaries import CodedAnswer, ThemedSummary, summarise
from consultations.models import AboutYouOptions, AnalysisOptions, ConsultationPage
from consultations.themes.models import Codebook
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
    options = AboutYouOptions.load()
    return summarise(
        coded_answers(codebook, question=question, filters=filters),
        themes,
        earlier_shares=earlier_shares(consultation, themes),
        threshold=_threshold(),
        age_bands=list(options.options_for("age_band")),
        areas=list(options.options_for("area")),
    )
