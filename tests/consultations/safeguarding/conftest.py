import pytest

from tests.factories import make_consultation


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    """These tests are about the queue; one test switches the second-factor rule back on."""
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def default_deadlines(settings):
    """The shipped working time, whatever an overlay says."""
    settings.YOUTHVOICE_SAFEGUARDING_DEADLINES = {"urgent": 4, "concern": 8}
    settings.YOUTHVOICE_WORKING_HOURS = ("09:00", "17:00")
    settings.YOUTHVOICE_WORKING_DAYS = (0, 1, 2, 3, 4)


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe")


# Labels as the screen gives them, pinned so these tests do not follow rewording of the rules.
SCREEN_LABELS = {
    "abuse_neglect": "Abuse or neglect at home",
    "self_harm": "Suicide and self-harm",
    "criminal_exploitation": "Criminal exploitation (county lines)",
}


@pytest.fixture(autouse=True)
def screen_labels(monkeypatch):
    from consultations.safeguarding import display

    original = display._screen_labels
    monkeypatch.setattr(display, "_screen_labels", lambda: dict(SCREEN_LABELS))
    return original
