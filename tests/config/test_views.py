"""Sign-in, sign-out, the sign-in requirement, /healthz and the accessibility statement."""

import datetime as dt
import re

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from improvement.models import Action, Rating
from scrutiny.models import ScrutinyAction
from tests.conftest import PASSWORD
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    MeetingFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ScrutinyActionFactory,
)

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
    assert response.json()["database"] == "unavailable"


def test_healthz_needs_no_sign_in_and_only_answers_get(client):
    assert client.post("/healthz").status_code == 405


def page_text(response):
    """The page's HTML with its whitespace collapsed and none left beside a tag, for matching
    what it says across lines and includes."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", re.sub(r"\s+", " ", response.content.decode()))


def test_the_overview_counts_exactly_and_not_the_near_misses(client, councillor):
    today = timezone.localdate()
    older = InspectionFactory(title="The first visit", visit_start=dt.date(2020, 1, 6))
    InspectionFactory(title="A visit written up late", visit_start=dt.date(2021, 5, 3), letter_date=dt.date(2023, 1, 9))
    InspectionFactory(title="The latest visit", visit_start=dt.date(2022, 2, 2), letter_date=dt.date(2022, 3, 9))
    # Five findings: one answered by a priority, one by an action, one by a scrutiny action.
    by_priority, by_action, by_scrutiny, *_ = [FindingFactory(inspection=older) for _ in range(5)]

    rated_green = PriorityFactory(findings=[by_priority])
    ProgressUpdateFactory(priority=rated_green, action=None, rating=Rating.RED, date=dt.date(2022, 1, 10))
    ProgressUpdateFactory(priority=rated_green, action=None, rating=Rating.GREEN, date=dt.date(2022, 2, 21))
    rated_red = PriorityFactory()
    ProgressUpdateFactory(priority=rated_red, action=None, rating=Rating.RED, date=dt.date(2022, 1, 10))
    ProgressUpdateFactory(priority=rated_red, action=None, rating=None, date=dt.date(2022, 2, 21), commentary="Noted.")
    rated_amber = PriorityFactory()
    ProgressUpdateFactory(priority=rated_amber, action=None, rating=Rating.AMBER)
    commented_only = PriorityFactory()
    ProgressUpdateFactory(priority=commented_only, action=None, rating=None, commentary="Not yet rated.")
    unrated = PriorityFactory()  # no updates at all; it holds every action below

    def action(**fields):
        return ActionFactory(priority=unrated, start_date=None, **fields)

    action(status=Action.Status.NOT_STARTED, due_date=today - dt.timedelta(days=1), findings=[by_action])
    action(status=Action.Status.IN_PROGRESS, due_date=dt.date(2022, 1, 31))
    action(status=Action.Status.IN_PROGRESS, due_date=today)  # due today: not overdue yet
    action(status=Action.Status.IN_PROGRESS, due_date=today + dt.timedelta(days=30))
    action(status=Action.Status.NOT_STARTED, due_date=None)
    action(status=Action.Status.COMPLETE, due_date=dt.date(2022, 1, 31), completed_on=dt.date(2022, 2, 1))
    action(status=Action.Status.CANCELLED, due_date=dt.date(2022, 1, 31))

    latest_past = MeetingFactory(date=today - dt.timedelta(days=3))
    MeetingFactory(date=today - dt.timedelta(days=300))
    soonest = MeetingFactory(date=today + dt.timedelta(days=10))
    MeetingFactory(date=today + dt.timedelta(days=100))
    for status in ScrutinyAction.Status:
        ScrutinyActionFactory(meeting=latest_past, status=status, findings=[by_scrutiny] if status == "open" else [])
    client.force_login(councillor)

    text = page_text(client.get(reverse("home")))

    assert "The latest visit</a>, 2 February 2022 to 3 February 2022" in text
    assert "5 findings recorded;<strong>2</strong>with nothing answering them yet." in text
    assert '<li><strong class="app-rag app-rag--red">Red</strong>1</li>' in text
    assert '<li><strong class="app-rag app-rag--amber">Amber</strong>1</li>' in text
    assert '<li><strong class="app-rag app-rag--green">Green</strong>1</li>' in text
    assert "<li>Not rated: 2</li>" in text
    assert "Plan actions overdue:<strong>2</strong>" in text
    assert "Scrutiny actions open:<strong>2</strong>" in text
    assert (
        f'Last meeting:<a class="govuk-link" href="{latest_past.get_absolute_url()}">{escape(latest_past)}</a>' in text
    )
    assert f'Next meeting:<a class="govuk-link" href="{soonest.get_absolute_url()}">{escape(soonest)}</a>' in text
