"""The themed summary glue: winning codes, held answers, questions, the earlier consultation."""

import pytest

from consultations.models import AnalysisOptions
from consultations.themes.services import theme_coding as coding
from consultations.themes.services.summaries import themed_summary
from tests.consultations.themes.support import add_answer, coded_consultation, theme
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db


def test_no_codebook_no_summary(home):
    assert themed_summary(make_consultation(home)) is None


def test_people_s_codes_win_and_held_answers_are_not_counted(home):
    consultation, codebook, answers = coded_consultation(home)
    coding.recode(codebook)
    before = themed_summary(consultation).theme("Transport").respondents
    add_answer(consultation, "The buses never come", held=True)
    coding.record_coding(answers[0], codebook, [theme(codebook, "Bullying")], None)

    summary = themed_summary(consultation)

    assert summary.respondents == len(answers)
    assert summary.theme("Transport").respondents == before - 1
    quoted = [q.text for t in summary.themes for q in t.quotes]
    assert not any("never come" in text for text in quoted)


def test_change_since_the_linked_earlier_consultation(home):
    earlier, earlier_book, earlier_answers = coded_consultation(
        home, texts=["buses"] * 2 + ["x"] * 2
    )
    for answer in earlier_answers[:2]:
        coding.record_coding(answer, earlier_book, [theme(earlier_book, "Transport")], None)
    for answer in earlier_answers[2:]:
        coding.record_coding(answer, earlier_book, [], None)
    consultation, codebook, answers = coded_consultation(home)
    coding.recode(codebook)
    AnalysisOptions.objects.create(consultation=consultation, earlier_consultation=earlier)

    transport = themed_summary(consultation).theme("Transport")

    assert transport.earlier_share == pytest.approx(0.5)
    assert transport.change == pytest.approx((transport.share - 0.5) * 100)


def test_summary_of_one_question_counts_only_its_answers(home):
    consultation, codebook, _answers = coded_consultation(home)
    coding.recode(codebook)
    other = next(q for q in consultation.ordered_questions() if q.kind == "short_text")

    assert themed_summary(consultation, question=other).respondents == 0


def test_breakdowns_list_the_consultation_s_own_age_bands(home):
    """A consultation with its own bands shows them in each theme's table, and changing them
    changes the fingerprint reports and the admin are cached under."""
    from consultations.themes.services.summaries import fingerprint

    consultation, codebook, _answers = coded_consultation(home)
    coding.recode(codebook)
    before = fingerprint(consultation)
    consultation.age_bands = "10 to 11\n12 to 14"
    consultation.save()

    labels = [cell.label for cell in themed_summary(consultation).theme("Transport").by_age_band]

    assert labels[:2] == ["10 to 11", "12 to 14"]
    assert "19 to 25" not in labels
    assert fingerprint(consultation) != before
