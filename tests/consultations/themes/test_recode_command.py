"""``manage.py recode_consultation``: re-codes a consultation's answers, with progress lines."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from consultations.themes.models import CodingRun, MachineCode, RunStatus
from consultations.themes.services import theme_coding as coding
from tests.consultations.themes.support import coded_consultation
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("recode_consultation", *args, stdout=out)
    return out.getvalue()


def test_recodes_by_id_with_progress_lines(home, monkeypatch):
    consultation, codebook, answers = coded_consultation(home)
    monkeypatch.setattr(coding, "CHUNK_SIZE", 5)

    output = run(str(consultation.pk))

    assert "  5 of 12 answers (41%)" in output
    assert "  10 of 12 answers (83%)" in output
    assert "  12 of 12 answers (100%)" in output
    assert "Done: 12 answers coded" in output
    current = coding.current_run(codebook)
    assert current.status == RunStatus.DONE and current.done == len(answers)
    assert MachineCode.objects.filter(run=current).exists()


def test_recodes_by_slug_and_replaces_the_current_run(home):
    consultation, codebook, _answers = coded_consultation(home, slug="feeling-safe")
    first = coding.recode(codebook)

    run("feeling-safe")

    assert CodingRun.objects.filter(codebook=codebook, is_current=True).count() == 1
    assert coding.current_run(codebook).pk != first.pk


def test_clean_stale_marks_unfinished_runs_failed(home):
    consultation, codebook, _answers = coded_consultation(home)
    stale = coding.start_run(codebook)
    CodingRun.objects.filter(pk=stale.pk).update(
        started_at=stale.started_at - coding.STALE_AFTER * 2
    )

    output = run(str(consultation.pk), "--clean-stale")

    assert "Marked 1 unfinished runs as failed." in output
    stale.refresh_from_db()
    assert stale.status == RunStatus.FAILED


@pytest.mark.parametrize("value", ["999999", "no-such-consultation"])
def test_unknown_consultation_is_an_error(home, value):
    with pytest.raises(CommandError, match="No consultation has the id or slug"):
        run(value)
    assert not CodingRun.objects.exists()


def test_consultation_without_a_codebook_is_an_error(home):
    consultation = make_consultation(home)
    with pytest.raises(CommandError, match="has no codebook"):
        run(str(consultation.pk))
    assert not CodingRun.objects.exists()
