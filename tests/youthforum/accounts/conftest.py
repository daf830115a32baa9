import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and used authenticator codes live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()
