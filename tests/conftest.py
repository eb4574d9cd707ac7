import os

import httpx
import pytest

from tests.base import PASSWORD, make_people, make_token
from tests.browser import browser, page  # noqa: F401 - fixtures for page tests

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def live_people(transactional_db):
    """The same people, committed, for tests that talk to the live server over real HTTP."""
    return make_people()


class Api:
    """A real HTTP client against the live server; `as_(user)` authenticates with a fresh API token."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def client(self, user=None) -> httpx.Client:
        headers = {"Accept": "application/json"}
        if user is not None:
            _, key = make_token(user, name="test")
            headers["Authorization"] = f"Bearer {key}"
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)


@pytest.fixture
def api(live_server, transactional_db):
    return Api(live_server.url)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users need hashed passwords, not slow ones."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """The canary disclosure walk (tests/disclosure) carries the `walk` marker."""
    for item in items:
        if "disclosure" in item.path.parts:
            item.add_marker(pytest.mark.walk)
