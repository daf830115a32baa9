"""Helpers for the coding screen's tests: a signed-in facilitator, the screen's address, and a
current run whose suggestions the test chooses (so scores are exact, not the engine's)."""

import pytest
from django.urls import reverse

from consultations.themes.models import CodingRun, MachineCode, RunStatus
from tests.consultations.admin.support import facilitator


@pytest.fixture
def signed_in(client):
    user = facilitator()
    client.force_login(user)
    client.user = user
    return client


def screen_url(consultation, view="coding", **query) -> str:
    address = reverse(f"themes:{view}", args=[consultation.pk])
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return address


def suggest(codebook, suggestions: dict, *, queue=()) -> CodingRun:
    """Make a finished, current run with these suggestions: {answer: {theme: score}}."""
    CodingRun.objects.filter(codebook=codebook).update(is_current=False)
    run = CodingRun.objects.create(
        codebook=codebook,
        status=RunStatus.DONE,
        is_current=True,
        queue=[[answer.pk, 0.5] for answer in queue],
    )
    MachineCode.objects.bulk_create(
        MachineCode(run=run, answer=answer, theme=theme, score=score)
        for answer, scores in suggestions.items()
        for theme, score in scores.items()
    )
    return run


def rows_by_name(response) -> dict[str, dict]:
    return {row["theme"].name: row for row in response.context["theme_rows"]}
