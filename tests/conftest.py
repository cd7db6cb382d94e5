"""Shared personas: every test signs in as one of these."""

import pytest
from django.test import override_settings

from config.demo import ensure_roles, user_in_role
from config.roles import ADMINISTRATORS, COUNCILLORS, OFFICERS

PASSWORD = "a-long-test-password-42"

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
