"""My work: what the signed-in officer owns or leads, overdue first, each with a way to update it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureValueFactory,
    MeetingFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ScrutinyActionFactory,
)
from tests.officer_pages import text_of
from tests.pages import count_queries, keep_permissions

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2022, 1, 31)
LATER = dt.date.today() + dt.timedelta(days=60)


def work_for(person):
    """One of everything the person can own or lead, and an action of someone else's."""
    ActionFactory(owner=person, description="Due later.", due_date=LATER, start_date=None)
    late = ActionFactory(owner=person, description="Overdue.", due_date=LONG_AGO, start_date=None)
    ProgressUpdateFactory(action=late, rating="red", commentary="Behind.")
    ActionFactory(owner=person, description="Done.", complete=True)
    ActionFactory(description="Someone else's.")
    measure = MeasureFactory(owner=person, title="Repeat plans")
    MeasureValueFactory(measure=measure, value=Decimal("31"))
    return {
        "action": late,
        "priority": PriorityFactory(lead=person, title="Early help"),
        "measure": measure,
        "scrutiny_action": ScrutinyActionFactory(
            owner=person, text="Report caseloads.", meeting=MeetingFactory(date=dt.date(2022, 2, 21))
        ),
    }


def test_an_officer_without_a_linked_person_is_told_how_to_get_one(client, officer):
    client.force_login(officer)
    page = text_of(client.get(reverse("my_work")))
    assert "Your account is not linked to a person in the record, so nothing here is yours yet." in page
    assert "in the admin, open People, choose your name, set User to your account and save" in page


def test_my_work_lists_what_i_own_and_lead_overdue_first(client, officer):
    person = PersonFactory(name="Olivia Officer", user=officer)
    work = work_for(person)
    client.force_login(officer)

    response = client.get(reverse("my_work"))
    page = text_of(response)

    assert "What Olivia Officer owns or leads. Overdue actions come first." in page
    assert page.index("Overdue.") < page.index("Due later.") < page.index("Done.")
    assert "Someone else's." not in page
    assert f"{work['action']}: Overdue. 31 January 2022 Overdue Not started Red" in page
    assert f"{work['priority']} Not rated" in page
    assert f"{work['measure']} 31%" in page
    assert f"{work['scrutiny_action']}: Report caseloads." in page
    html = response.content.decode()
    for name, record in (
        ("improvement:action_progress", work["action"]),
        ("improvement:priority_rate", work["priority"]),
        ("improvement:measure_record_value", work["measure"]),
        ("scrutiny:action_progress", work["scrutiny_action"]),
    ):
        assert f'href="{reverse(name, args=[record.pk])}"' in html


def test_my_work_is_in_the_navigation_for_officers_only(client, officer, councillor, admin):
    for user, shown in ((officer, True), (admin, True), (councillor, False)):
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert (f'href="{reverse("my_work")}"' in html) is shown, user.username
    client.force_login(councillor)
    assert client.get(reverse("my_work")).status_code == 403


def test_my_work_has_a_fixed_number_of_queries(client, officer):
    person = PersonFactory(user=officer)
    work_for(person)
    client.force_login(officer)
    keep_permissions(client)
    few = count_queries(client, reverse("my_work"))
    for _ in range(5):
        work_for(person)
    assert count_queries(client, reverse("my_work")) == few
