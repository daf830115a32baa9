"""Large numbers in a report read as people write them: 2,260, not 2260."""

from types import SimpleNamespace

from django.template.loader import render_to_string


def _report(answered: int, responses: int) -> SimpleNamespace:
    question = SimpleNamespace(text="How do you get to school?")
    return SimpleNamespace(
        headline=SimpleNamespace(hidden=None, shown=None, responses=responses),
        questions=[SimpleNamespace(question=question, answered=answered, summary="", series=None)],
    )


def test_a_choice_questions_count_has_a_thousands_separator():
    html = render_to_string(
        "reports/includes/report_body.html", {"report": _report(answered=2260, responses=2512)}
    )

    assert "2,260 young people answered." in html
    assert "2260" not in html
    assert "2,512" in html


def test_one_young_person_reads_in_the_singular():
    html = render_to_string(
        "reports/includes/report_body.html", {"report": _report(answered=1, responses=1)}
    )

    assert "1 young person answered." in html
