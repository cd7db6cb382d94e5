"""Shared personas: every test signs in as one of these."""

import os

import pytest
from django.core.cache import cache
from django.test import override_settings

from config.demo import ensure_roles, user_in_role
from config.roles import ADMINISTRATORS, COUNCILLORS, OFFICERS

PASSWORD = "a-long-test-password-42"


def in_ci():
    """CI (or REQUIRE_BROWSER_TESTS) is set: a test that cannot find what it needs fails here."""
    return any(
        os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
        for name in ("CI", "REQUIRE_BROWSER_TESTS")
    )


def required(path):
    """`path`, which a test needs: fails under CI when it is missing, skips elsewhere."""
    if not path.exists():
        message = f"{path} is missing."
        if in_ci():
            pytest.fail(f"{message} Tests that need it are required here (CI is set).")
        pytest.skip(message)
    return path


# Tests run with DEBUG off and the production settings, except for what needs a deployment:
# hashed static files need `collectstatic`, and https redirects and Secure cookies need TLS.
# Session-scoped so that the live server's thread (browser tests) starts with them too.
TEST_SETTINGS = {
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    "WHITENOISE_USE_FINDERS": True,
    "WHITENOISE_AUTOREFRESH": True,
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    # A deliberately slow hash is the point in production and only a cost in tests.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


@pytest.fixture(scope="session", autouse=True)
def test_settings(django_test_environment):
    with override_settings(**TEST_SETTINGS):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: a cached page's key holds the record's token and
    the date, not the settings a test overrides, so one test's page could be shown to the next."""
    cache.clear()


@pytest.fixture
def roles(db):
    # Transactional tests flush the groups the data migration made; put them back.
    ensure_roles()


@pytest.fixture
def officer(roles):
    return user_in_role("officer", OFFICERS, PASSWORD, "Olivia", "Officer")[0]


@pytest.fixture
def councillor(roles):
    return user_in_role("councillor", COUNCILLORS, PASSWORD, "Colin", "Councillor")[0]


@pytest.fixture
def admin(roles):
    return user_in_role("admin", ADMINISTRATORS, PASSWORD, "Ada", "Administrator")[0]


@pytest.fixture
def second_admin(roles):
    """Another administrator, for attribution: who previewed is not always who confirmed."""
    return user_in_role("admin2", ADMINISTRATORS, PASSWORD, "Bea", "Administrator")[0]
