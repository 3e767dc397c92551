"""Assessment tests reuse the study world of tests/scenarios/conftest.py and the default factor library."""

import pytest

from tests.scenarios.conftest import net  # noqa: F401  (the fixture)


@pytest.fixture
def library(db):
    """The shipped factor library. Migration 0002 loads it, but transactional tests flush every table after
    themselves, so tests that need it ask for it; the loader is the migration's."""
    from assessment.factors import load_default
    from assessment.models import Factor, FactorLibrary

    load_default(FactorLibrary, Factor)
    return FactorLibrary.objects.get(is_default=True)
