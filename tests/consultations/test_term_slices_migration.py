"""consultations 0019 and 0020: the word cloud slices (one filter, then pairs) of answers counted
before them are filled from their stored terms, equal to what counting them afresh gives."""

from datetime import UTC, datetime

import pytest

from consultations.models import Source, TermSlice
from consultations.services.terms import count_answer_terms
from tests.consultations.services.test_terms import add_answer, expected_slices, slices
from tests.migration_support import latest, migrate

BEFORE = [("consultations", "0018_question_easy_read_image")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_slices_are_filled_from_the_answers_already_counted(home):
    from tests.factories import make_consultation

    consultation = make_consultation(home, title="Feeling safe")
    evening = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 1 July in London
    answers = [
        add_answer(consultation, "more youth clubs please", age_band="13 to 15", area="Mendip"),
        add_answer(consultation, "youth clubs, youth clubs", source=Source.PAPER),
        add_answer(consultation, "the buses are late", age_band="13 to 15", submitted_at=evening),
        add_answer(consultation, "knife crime", held=True, age_band="13 to 15"),
    ]
    count_answer_terms([a.pk for a in answers])
    before = slices()
    try:
        migrate(BEFORE)
        migrate(latest())
    finally:
        migrate(latest())

    assert slices() == before == expected_slices()
    assert TermSlice.objects.get(dimension="day", value="2026-07-01", term="bus").answers == 1
    assert TermSlice.objects.get(dimension="age_band", value="13 to 15", term="").answers == 2
    pair = TermSlice.objects.get(dimension="age_band+area", value="13 to 15\x1fMendip", term="")
    assert pair.answers == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pairs_are_filled_from_the_answers_already_counted_and_taken_out_going_back(home):
    from tests.factories import make_consultation

    consultation = make_consultation(home, title="Feeling safe")
    answers = [
        add_answer(consultation, "more youth clubs please", age_band="13 to 15", area="Mendip"),
        add_answer(consultation, "youth clubs", age_band="13 to 15", source=Source.PAPER),
    ]
    count_answer_terms([a.pk for a in answers])
    before = slices()
    try:
        migrate([("consultations", "0019_term_slices")])
        assert not TermSlice.objects.filter(dimension__contains="+").exists()
        assert TermSlice.objects.filter(dimension="age_band").exists()
        migrate(latest())
    finally:
        migrate(latest())
    assert slices() == before == expected_slices()
