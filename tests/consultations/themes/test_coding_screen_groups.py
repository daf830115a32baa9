"""Answers that say the same thing are coded together, each with its own coding, each undoable."""

from unittest import mock

import pytest

from consultations.models import QuestionKind
from consultations.themes import selectors
from consultations.themes.models import HumanCoding
from tests.consultations.themes.screen_support import screen_url, signed_in, suggest
from tests.consultations.themes.support import add_answer, coded_consultation, theme

pytestmark = pytest.mark.django_db

__all__ = ["signed_in"]

LATE_BUSES = "I would feel safer with staff on the late buses"


@pytest.fixture
def setup(home):
    """Twelve answers about the late buses (ten exact copies, two near) among others."""
    consultation, codebook, others = coded_consultation(home)
    copies = [add_answer(consultation, LATE_BUSES) for _ in range(10)]
    copies.append(add_answer(consultation, "i would feel safer with STAFF on the late buses!!"))
    copies.append(add_answer(consultation, "I would feel safer with staff on the late busses"))
    return consultation, codebook, copies, others


def themes_of(answer) -> set[str]:
    coding = HumanCoding.objects.get(answer=answer, gold=False)
    return set(coding.themes.values_list("name", flat=True))


def test_the_screen_says_how_many_answers_say_the_same_thing(signed_in, setup):
    consultation, _codebook, copies, _others = setup

    response = signed_in.get(screen_url(consultation, answer=copies[0].pk))

    html = response.content.decode()
    assert "12 answers say this" in html
    assert "i would feel safer with STAFF on the late buses!!" not in html  # same words
    assert "I would feel safer with staff on the late busses" in html  # another wording


def test_saving_codes_every_answer_of_the_group_with_its_own_row(signed_in, setup):
    consultation, codebook, copies, others = setup
    transport = theme(codebook, "Transport")

    response = signed_in.post(
        screen_url(consultation),
        {"answer": copies[3].pk, "themes": [transport.pk], "action": "save"},
    )

    assert response.status_code == 302
    rows = HumanCoding.objects.filter(codebook=codebook, gold=False)
    assert sorted(rows.values_list("answer_id", flat=True)) == sorted(a.pk for a in copies)
    assert all(themes_of(answer) == {"Transport"} for answer in copies)
    assert {row.coder for row in rows} == {signed_in.user}
    page = signed_in.get(screen_url(consultation)).content.decode()
    assert "Saved 12 answers with 1 theme." in page
    assert "12 of 24 answers coded" in page


def test_the_next_answer_is_never_another_of_the_group(signed_in, setup):
    consultation, codebook, copies, others = setup
    suggest(codebook, {}, queue=[*copies, *others])

    signed_in.post(screen_url(consultation), {"answer": copies[0].pk, "action": "save"})

    assert signed_in.get(screen_url(consultation)).context["answer"] == others[0]


def test_skipping_skips_the_whole_group(signed_in, setup):
    consultation, codebook, copies, others = setup
    suggest(codebook, {}, queue=[*copies, *others])

    signed_in.post(screen_url(consultation), {"answer": copies[0].pk, "action": "skip"})

    assert signed_in.get(screen_url(consultation)).context["answer"] == others[0]
    assert not HumanCoding.objects.exists()


def test_code_only_this_answer_leaves_the_rest_of_the_group(signed_in, setup):
    consultation, codebook, copies, _others = setup

    signed_in.post(
        screen_url(consultation), {"answer": copies[0].pk, "action": "save", "only_this": "1"}
    )

    assert list(HumanCoding.objects.values_list("answer_id", flat=True)) == [copies[0].pk]


def test_each_answer_of_a_group_is_undone_on_its_own(signed_in, setup):
    consultation, codebook, copies, _others = setup
    transport = theme(codebook, "Transport")
    signed_in.post(
        screen_url(consultation),
        {"answer": copies[0].pk, "themes": [transport.pk], "action": "save"},
    )
    listed = signed_in.get(screen_url(consultation)).content.decode()
    assert listed.count('value="undo"') == 12

    response = signed_in.post(screen_url(consultation), {"answer": copies[5].pk, "action": "undo"})

    assert response["Location"] == screen_url(consultation, answer=copies[5].pk)
    assert not HumanCoding.objects.filter(answer=copies[5]).exists()
    assert HumanCoding.objects.filter(codebook=codebook).count() == 11
    again = signed_in.get(response["Location"])
    assert again.context["answer"] == copies[5]
    assert "Coding undone" in again.content.decode()
    assert again.content.decode().count('value="undo"') == 11


def test_undoing_an_answer_nobody_coded_says_so_and_deletes_nothing(signed_in, setup):
    consultation, codebook, copies, others = setup
    signed_in.post(screen_url(consultation), {"answer": others[0].pk, "action": "save"})

    response = signed_in.post(
        screen_url(consultation), {"answer": copies[0].pk, "action": "undo"}, follow=True
    )

    assert "That answer had no coding to undo." in response.content.decode()
    assert HumanCoding.objects.count() == 1


def test_undo_leaves_a_gold_coding_alone(signed_in, setup):
    consultation, codebook, copies, _others = setup
    HumanCoding.objects.create(answer=copies[0], codebook=codebook, gold=True)

    signed_in.post(screen_url(consultation), {"answer": copies[0].pk, "action": "undo"})
    signed_in.post(screen_url(consultation, "gold"), {"answer": copies[0].pk, "action": "undo"})

    assert HumanCoding.objects.filter(answer=copies[0], gold=True).exists()


def test_undoing_a_held_answer_is_refused(signed_in, setup):
    consultation, codebook, _copies, _others = setup
    held = add_answer(consultation, LATE_BUSES, held=True)
    HumanCoding.objects.create(answer=held, codebook=codebook)

    response = signed_in.post(
        screen_url(consultation), {"answer": held.pk, "action": "undo"}, follow=True
    )

    assert "That answer cannot be coded" in response.content.decode()
    assert HumanCoding.objects.filter(answer=held).exists()


def test_a_theme_from_elsewhere_saves_nothing_for_any_answer_of_the_group(signed_in, setup, home):
    consultation, _codebook, copies, _others = setup
    _c, other, _a = coded_consultation(home)

    response = signed_in.post(
        screen_url(consultation),
        {"answer": copies[0].pk, "themes": [theme(other, "Transport").pk], "action": "save"},
        follow=True,
    )

    assert "Some of the themes ticked are not in this codebook." in response.content.decode()
    assert not HumanCoding.objects.exists()


def test_a_theme_that_is_not_a_number_saves_nothing(signed_in, setup):
    consultation, _codebook, copies, _others = setup

    signed_in.post(
        screen_url(consultation), {"answer": copies[0].pk, "themes": ["buses"], "action": "save"}
    )

    assert not HumanCoding.objects.exists()


def test_answers_coded_already_held_or_to_another_question_are_not_in_the_group(setup):
    consultation, codebook, copies, _others = setup
    coded = HumanCoding.objects.create(answer=copies[1], codebook=codebook)
    coded.themes.set([theme(codebook, "Bullying")])
    held = add_answer(consultation, LATE_BUSES, held=True)
    short = next(q for q in consultation.ordered_questions() if q.kind == QuestionKind.SHORT_TEXT)
    elsewhere = add_answer(consultation, LATE_BUSES)
    elsewhere.question = short
    elsewhere.save()

    group = selectors.answer_group(codebook, copies[0])

    assert group[0] == copies[0].pk
    assert set(group) == {a.pk for a in copies} - {copies[1].pk}
    assert held.pk not in group and elsewhere.pk not in group


def test_saving_a_group_keeps_the_coding_someone_gave_one_of_its_answers(signed_in, setup):
    consultation, codebook, copies, _others = setup
    coded = HumanCoding.objects.create(answer=copies[1], codebook=codebook)
    coded.themes.set([theme(codebook, "Bullying")])

    signed_in.post(
        screen_url(consultation),
        {"answer": copies[0].pk, "themes": [theme(codebook, "Transport").pk], "action": "save"},
    )

    assert themes_of(copies[1]) == {"Bullying"}
    assert themes_of(copies[2]) == {"Transport"}


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Staff on the late buses.", "staff   on the LATE buses", True),
        (LATE_BUSES, LATE_BUSES.replace("buses", "busses"), True),
        ("More buses in the evening please", "More buses in the morning please", False),
        ("More youth clubs", "more youth club", True),
        ("Buses", "Busy", False),
        ("", "", False),
    ],
)  # fmt: skip
def test_near_identical_means_the_same_words_or_nearly(first, second, same):
    a, b = selectors.normalise_answer(first), selectors.normalise_answer(second)
    assert (bool(a) and selectors.near_identical(a, b)) == same


def test_only_a_bounded_number_of_answers_is_compared_closest_in_length_first(setup):
    consultation, codebook, copies, _others = setup

    with mock.patch.object(selectors, "GROUP_CANDIDATES", 3):
        group = selectors.answer_group(codebook, copies[0])

    assert group == [copies[0].pk, copies[1].pk, copies[2].pk, copies[3].pk]
