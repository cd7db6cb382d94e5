"""Sign-in, sign-out, the sign-in requirement, /healthz and the accessibility statement."""

import re

import pytest
from django.db import connections
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_signs_in_with_good_credentials(client, officer):
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == officer
    assert b"Olivia Officer (Officer)" in response.content


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("officer", b"Olivia Officer (Officer)"),
        ("councillor", b"Colin Councillor (Councillor)"),
        ("admin", b"Ada Administrator (Administrator)"),
    ],
)
def test_home_shows_each_users_name_and_role(client, request, persona, shown):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert shown in response.content


def test_it_refuses_bad_credentials_with_a_clear_error(client, officer):
    response = client.post(reverse("login"), {"username": "officer", "password": "wrong"})

    assert response.status_code == 200
    assert "Enter a correct username and password. Both are case-sensitive." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_signs_out(client, officer):
    client.force_login(officer)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize(
    "url",
    ["/", "/inspections/", "/plan/", "/plan/measures/", "/scrutiny/"],
)
def test_it_redirects_anonymous_visitors_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_sign_in_and_accessibility_statement_are_public(client):
    assert client.get(reverse("login")).status_code == 200
    statement = client.get(reverse("accessibility"))
    assert statement.status_code == 200
    assert b"Accessibility statement" in statement.content


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client):
    # A real connection to a database that is not there: a missing SQLite folder, or a
    # PostgreSQL port nobody listens on.
    good = connections["default"]
    settings_dict = dict(good.settings_dict)
    if good.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-folder/improvement-tracker.sqlite3"
    else:
        settings_dict.update(
            HOST="127.0.0.1", PORT="1", OPTIONS={**settings_dict.get("OPTIONS", {}), "connect_timeout": 2}
        )
    connections["default"] = good.__class__(settings_dict, "default")
    try:
        response = client.get("/healthz")
    finally:
        connections["default"].close()
        connections["default"] = good

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_healthz_needs_no_sign_in_and_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


def page_text(response):
    """The page's HTML with its whitespace collapsed and none left beside a tag, for matching
    what it says across lines and includes."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", re.sub(r"\s+", " ", response.content.decode()))
