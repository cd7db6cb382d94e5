"""Shared personas: every test signs in as one of these."""

import pytest

from config.demo import ensure_roles, user_in_role
from config.roles import ADMINISTRATORS, COUNCILLORS, OFFICERS

PASSWORD = "a-long-test-password-42"


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
