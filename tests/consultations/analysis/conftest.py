"""Fixtures shared by the analysis tests."""

import pytest

from consultations.analysis.safeguarding import RULES_DIR, Screen


@pytest.fixture(scope="session")
def rules_only():
    """The shipped rules without the learned check: what the rules alone make of an answer."""
    return Screen(RULES_DIR, learned=False)
