import pytest

from consultations.services import OTHER, RawAnswer
from tests.consultations.admin.support import respond
from tests.factories import make_consultation

SAFER = "What would make you feel safer?"
TRAVEL = "How do you get to school?"
UNSAFE = "Where do you feel unsafe?"
RATING = "How safe do you feel at school?"
RANKING = "What matters most?"
AGE = "How old are you?"
AREA = "Where do you live?"


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    """Role tests here; the second factor on /reports/ has its own test."""
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe", slug="feeling-safe")


@pytest.fixture
def answered(consultation, django_capture_on_commit_callbacks):
    """15 young people, worked out by hand in test_reports.py:

    - 12 aged 13 to 15 in Mendip: "Better street lights near the park", Bus (8) or Walk (4),
      unsafe at the Park, rating 4, ranking Transport then Bullying;
    - 3 aged 16 to 18 in Sedgemoor: "More youth clubs open late", Car (2) or Other "scooter"
      (1), unsafe Online, rating 2, ranking Mental health then Transport.
    """
    with django_capture_on_commit_callbacks(execute=True):
        _answer(consultation)
    return consultation


def _answer(consultation):
    for n in range(12):
        respond(
            consultation,
            {
                SAFER: "Better street lights near the park",
                TRAVEL: "Bus" if n < 8 else "Walk",
                UNSAFE: "Park",
                RATING: "4",
                RANKING: RawAnswer.of("Transport", "Bullying"),
                AGE: "13 to 15",
                AREA: "Mendip",
            },
        )
    for n in range(3):
        respond(
            consultation,
            {
                SAFER: "More youth clubs open late",
                TRAVEL: RawAnswer.of("Car") if n < 2 else RawAnswer.of(OTHER, other="scooter"),
                UNSAFE: "Online",
                RATING: "2",
                RANKING: RawAnswer.of("Mental health", "Transport"),
                AGE: "16 to 18",
                AREA: "Sedgemoor",
            },
        )
