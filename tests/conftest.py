import pytest

from tests.factories import make_site


@pytest.fixture
def home(db):
    """A fresh site: a home page at the root of the default site."""
    return make_site()
