import pytest

from kansrijk.matching import selectors


@pytest.fixture(autouse=True)
def _fresh_candidates():
    """Each test starts without kept candidates: ids are reused after a test's rollback."""
    selectors._CANDIDATES.clear()
    yield
    selectors._CANDIDATES.clear()
