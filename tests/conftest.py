import pytest

from ingest.paths import shared_dir

SHARED = shared_dir()


@pytest.fixture(scope="session")
def shared():
    """The ../shared folder with the real Ofsted data; tests that need it skip without it."""
    if SHARED is None:
        pytest.skip("../shared (real Ofsted data) is not beside this checkout")
    return SHARED
