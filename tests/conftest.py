import pytest

from tests.factories import make_site


@pytest.fixture
def home(db):
    """A fresh site: a home page at the root of the default site."""
    return make_site()


@pytest.fixture(autouse=True)
def clear_cache():
    """Each test starts with an empty cache: settings, rate limits and sign-in limits live there."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
