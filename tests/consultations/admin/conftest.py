import pytest

from tests.factories import make_consultation


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    """These tests are about permissions, not MFA (tests/youthforum/accounts tests that)."""
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe")
