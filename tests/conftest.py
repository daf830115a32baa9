import pytest
from wagtail.signal_handlers import disable_reference_index_auto_update

from tests.factories import make_site, remove_welcome_page


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Each test database, once migrated, loses Wagtail's "Welcome" page, as a real install does.

    ``make_site`` still removes it (a transactional test can bring it back), but deleting a page
    walks every table that points at pages: in a profile of the reports, admin and safeguarding
    tests that was about a twentieth of their time, done once here instead.
    """
    with django_db_blocker.unblock():
        remove_welcome_page()


@pytest.fixture(autouse=True)
def no_reference_index():
    """Wagtail's reference index ("where is this page used?") is not updated in tests.

    Wagtail rebuilds a page's entries after every save, which was about a tenth of the time of
    the tests that build pages; nothing in Youth Voice reads the index, so no test needs it.
    """
    with disable_reference_index_auto_update():
        yield


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
