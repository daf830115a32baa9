"""The themed summary counted in the database gives exactly what counting every answer in memory
gives: the same counts, breakdowns, sample of answers read, quotes and key phrases."""

import random
import uuid
from datetime import date

import pytest

from consultations.analysis.summaries import summarise, summarise_counted
from consultations.models import Answer, QuestionKind, Response, Source
from consultations.selectors import TermFilters
from consultations.themes.services import theme_coding as coding
from consultations.themes.services.summaries import (
    coded_answers,
    counted_in_the_database,
    theme_shares,
    themed_summary,
)
from tests.consultations.themes.support import THEMES, make_codebook, theme
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

PHRASES = [
    "the buses stop running at six",
    "more buses in the evening please",
    "I got bullied at school and nobody helped",
    "stop the bullying in the corridors",
    "a youth club open at weekends",
    "fix the skate park lights",
    "more trees in the town",
    "cheaper food at lunch",
    "the train is too expensive",
    "people picked on me for my clothes",
]


@pytest.fixture
def coded(home):
    """A consultation of 90 young people, some answering both written questions, coded by a
    run and then partly by people (some "none of these"), with a few answers held."""
    consultation = make_consultation(home)
    codebook = make_codebook(consultation)
    questions = [
        q
        for q in consultation.ordered_questions()
        if q.kind in (QuestionKind.LONG_TEXT, QuestionKind.SHORT_TEXT)
    ]
    rng = random.Random(11)
    answers = []
    for n in range(90):
        response = Response.objects.create(
            page=consultation,
            token=uuid.uuid4(),
            age_band=rng.choice(["", "13 to 15", "16 to 18"]),
            area=rng.choice(["", "Mendip", "Sedgemoor"]),
            source=rng.choice([Source.ONLINE, Source.PAPER]),
        )
        for question in questions[: 1 + (n % 3 == 0)]:
            text = " and ".join(rng.sample(PHRASES, rng.randint(1, 2)))
            answers.append(
                Answer.objects.create(
                    response=response,
                    question=question,
                    text=text,
                    redacted_text=text,
                    held=rng.random() < 0.05,
                )
            )
    coding.recode(codebook)
    themes = list(codebook.themes.all())
    people_coded = rng.sample([a for a in answers if not a.held], 25)
    for answer in people_coded:
        chosen = rng.sample(themes, rng.randint(0, 2))  # none of these, or one or two themes
        coding.record_coding(answer, codebook, chosen, None)
    # Held after it was coded: a later concern holds it back from everything.
    Answer.objects.filter(pk=people_coded[0].pk).update(held=True)
    return consultation, codebook, questions


def both_ways(codebook, *, question=None, filters=None, text_sample):
    ordered = list(codebook.themes.order_by("sort_order", "pk").values_list("pk", "name"))
    names = dict(ordered)
    themes = [name for _, name in ordered]
    in_memory = summarise(
        coded_answers(codebook, question=question, filters=filters),
        themes,
        text_sample=text_sample,
        threshold=3,
    )
    counts, sample = counted_in_the_database(
        codebook, names, question=question, filters=filters, text_sample=text_sample
    )
    in_the_database = summarise_counted(counts, sample, themes, threshold=3)
    return in_memory, in_the_database


FILTERS = [
    None,
    TermFilters(age_band="13 to 15"),
    TermFilters(area="Mendip", source=Source.PAPER),
    TermFilters(date_from=date(2000, 1, 1)),
    TermFilters(age_band="nobody's band"),
]


@pytest.mark.parametrize("text_sample", [0, 4, 500])
@pytest.mark.parametrize("filters", FILTERS)
def test_the_database_and_memory_give_the_same_summary(coded, filters, text_sample):
    consultation, codebook, questions = coded
    in_memory, in_the_database = both_ways(codebook, filters=filters, text_sample=text_sample)
    assert in_the_database == in_memory
    if filters is None:  # the comparison is of something
        assert in_memory.respondents > 50
        assert all(t.respondents and t.quotes for t in in_memory.themes)


@pytest.mark.parametrize("text_sample", [4, 500])
def test_one_question_the_same_both_ways(coded, text_sample):
    consultation, codebook, questions = coded
    for question in questions:
        in_memory, in_the_database = both_ways(
            codebook, question=question, filters=TermFilters(question=question.pk),
            text_sample=text_sample,
        )  # fmt: skip
        assert in_the_database == in_memory
        assert in_memory.respondents


def test_a_spread_sample_reads_at_most_that_many_answers_of_each_theme(coded):
    consultation, codebook, questions = coded
    names = dict(codebook.themes.values_list("pk", "name"))
    counted, sample = counted_in_the_database(codebook, names, text_sample=4)
    assert all(len(rows) >= 1 for rows in sample.members.values())
    # Each theme contributes at most 4 answers; others come in only as members of another theme.
    assert len(sample.answers) <= 4 * len(names) < counted.answers


def test_the_report_s_summary_is_the_database_s(coded):
    consultation, codebook, questions = coded
    in_memory, _ = both_ways(codebook, text_sample=500)
    summary = themed_summary(consultation)
    assert summary.respondents == in_memory.respondents
    assert [(t.theme, t.respondents) for t in summary.themes] == [
        (t.theme, t.respondents) for t in in_memory.themes
    ]


def test_shares_for_a_later_consultation_match_counting_in_memory(coded):
    consultation, codebook, questions = coded
    answers = coded_answers(codebook)
    everyone = {a.respondent for a in answers}
    expected = {}
    for name in THEMES:
        people = {a.respondent for a in answers if name in a.themes}
        if people:
            expected[name.casefold()] = len(people) / len(everyone)
    assert theme_shares(consultation) == pytest.approx(expected)
    theme(codebook, "Bullying").delete()
    assert "bullying" not in theme_shares(consultation)


def test_codes_read_a_chunk_at_a_time_are_the_effective_codes(coded):
    """The answers file reads the winning themes a chunk of answers at a time, as they are."""
    consultation, codebook, questions = coded
    whole = {pk: frozenset(codes.themes) for pk, codes in coding.effective_codes(codebook).items()}
    by_chunk = coding.CodesByChunk(codebook)
    ids = sorted(Answer.objects.filter(held=False).values_list("pk", flat=True))
    found = {}
    for start in range(0, len(ids), 7):
        found.update(by_chunk.themes(ids[start : start + 7]))
    assert found == whole
    assert any(not themes for themes in found.values())  # a person's "none of these" is kept
