"""A word cloud filtered by one thing, or by two of age band, area and way of answering, reads
that slice's running totals, and gives exactly the figures counting every chosen answer's terms
gives."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from consultations.models import PAIR_SEPARATOR, AnswerTerm, Source, TermSlice
from consultations.selectors import TermFilters, top_terms
from consultations.services.terms import count_answer_terms, set_answer_held
from tests.consultations.services.test_terms import add_answer, long_text

pytestmark = pytest.mark.django_db

WORDS = ["youth club", "bus", "late", "park", "safe", "police", "school", "knife crime", "money"]
START = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)


@pytest.fixture
def consultation(home):
    from tests.factories import make_consultation

    consultation = make_consultation(home)
    rng = random.Random(5)
    answers = [
        add_answer(
            consultation,
            " and ".join(rng.choices(WORDS, k=rng.randint(1, 4))),
            held=rng.random() < 0.1,
            age_band=rng.choice(["", "13 to 15", "16 to 18"]),
            area=rng.choice(["", "Mendip", "Sedgemoor"]),
            source=rng.choice([Source.ONLINE, Source.PAPER]),
            submitted_at=START + timedelta(hours=rng.randint(0, 24 * 10)),
        )
        for _ in range(120)
    ]
    count_answer_terms([a.pk for a in answers])
    set_answer_held(answer_id=answers[0].pk, held=not answers[0].held)
    return consultation


ONE_THING = [
    {"age_band": "13 to 15"},
    {"area": "Sedgemoor"},
    {"source": Source.PAPER},
    {"date_from": date(2026, 3, 3)},
    {"date_to": date(2026, 3, 3)},
    {"date_from": date(2026, 3, 2), "date_to": date(2026, 3, 5)},
    {"age_band": "a band nobody chose"},
    {"age_band": "16 to 18", "area": "Mendip"},
    {"age_band": "13 to 15", "source": Source.PAPER},
    {"area": "Sedgemoor", "source": Source.ONLINE},
    {"age_band": "16 to 18", "area": "an area nobody chose"},
]


@pytest.mark.parametrize("filters", ONE_THING)
@pytest.mark.parametrize("by_question", [False, True])
def test_one_filter_reads_its_slice_with_the_same_figures(
    consultation, monkeypatch, filters, by_question
):
    if by_question:
        filters = {**filters, "question": long_text(consultation)}
    assert TermFilters(**{k: v for k, v in filters.items() if k != "question"}).slice()
    from_slices = top_terms(consultation, **filters)

    monkeypatch.setattr(TermFilters, "slice", lambda self: None)
    from_answers = top_terms(consultation, **filters)
    assert from_slices == from_answers
    if "nobody" not in str(filters):
        assert from_answers  # the comparison is of something

    monkeypatch.undo()
    AnswerTerm.objects.all().delete()  # the slices alone answer it
    assert top_terms(consultation, **filters) == from_slices


@pytest.mark.parametrize(
    "filters",
    [
        {"age_band": "16 to 18", "area": "Mendip", "source": Source.PAPER},
        {"age_band": "16 to 18", "date_from": date(2026, 3, 3)},
        {"area": "Mendip", "date_to": date(2026, 3, 5)},
    ],
)
def test_other_mixes_count_the_chosen_answers_terms(consultation, filters):
    assert TermFilters(**filters).slice() is None
    rows = top_terms(consultation, **filters)
    assert rows
    AnswerTerm.objects.all().delete()
    assert top_terms(consultation, **filters) == []


def test_a_value_with_the_pair_separator_is_not_kept_in_pairs(consultation):
    odd = f"Mendip{PAIR_SEPARATOR}North"
    answer = add_answer(consultation, "skate park", age_band="13 to 15", area=odd)
    count_answer_terms([answer.pk])
    assert TermSlice.objects.filter(dimension="area", value=odd, term="skate park").exists()
    assert not TermSlice.objects.filter(dimension__contains="+", value__endswith="North").exists()
    both = {"age_band": "13 to 15", "area": odd}
    assert TermFilters(**both).slice() is None
    [row] = top_terms(consultation, **both)
    assert (row.term, row.answers) == ("skate park", 1)


def test_the_day_is_the_day_in_london(consultation):
    """22:30 UTC on 1 March is 22:30 in London (GMT); 23:30 UTC on 30 June is 00:30 on 1 July."""
    answer = add_answer(
        consultation, "rollercoaster", submitted_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    )
    count_answer_terms([answer.pk])
    [row] = top_terms(consultation, date_from=date(2026, 7, 1), date_to=date(2026, 7, 1))
    assert (row.term, row.answers, row.share) == ("rollercoaster", 1, 1.0)
    assert top_terms(consultation, date_from=date(2026, 6, 30), date_to=date(2026, 6, 30)) == []
