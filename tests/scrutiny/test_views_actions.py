"""A scrutiny action's page, and recording its progress on the officers' page."""

import datetime as dt

import pytest
from django.urls import reverse

from scrutiny.models import ScrutinyAction
from tests.factories import MeetingFactory, PersonFactory, PriorityFactory, ScrutinyActionFactory
from tests.officer_pages import error_summary, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    return ScrutinyActionFactory(
        meeting=MeetingFactory(date=dt.date(2022, 2, 21)),
        number=3,
        text="Officers to provide Members with the caseload figures.",
        due_date=dt.date(2022, 4, 4),
        priorities=[PriorityFactory(title="Workforce")],
    )


def progress_url(action):
    return reverse("scrutiny:action_progress", args=[action.pk])


def test_the_page_shows_the_action_and_where_it_came_from(client, councillor, action):
    client.force_login(councillor)
    page = text_of(client.get(action.get_absolute_url()))
    assert "Scrutiny action 3 Officers to provide Members with the caseload figures." in page
    assert "Status Open Overdue" in page
    assert "Due 4 April 2022" in page
    assert f"Raised at {action.meeting}" in page
    assert f"Priorities {action.priorities.get()}" in page
    assert "History Nothing has been recorded yet." in page


def test_the_meeting_page_links_to_each_action(client, councillor, action):
    client.force_login(councillor)
    assert action.get_absolute_url() in client.get(action.meeting.get_absolute_url()).content.decode()


def test_marking_it_done_records_attributed_progress_and_closes_it(client, officer, action):
    PersonFactory(name="Olivia Officer", user=officer)
    client.force_login(officer)
    assert 'id="id_status" value="open" checked' in client.get(progress_url(action)).content.decode()

    response = client.post(
        progress_url(action),
        {"version": 1, "status": "complete", "commentary": "Figures sent to Members on 1 April."},
        follow=True,
    )

    assert response.redirect_chain == [(action.get_absolute_url(), 302)]
    action.refresh_from_db()
    assert (action.status, action.version) == (ScrutinyAction.Status.COMPLETE, 2)
    update = action.updates.get()
    assert (update.status, update.commentary, update.recorded_by, update.author.name) == (
        "complete",
        "Figures sent to Members on 1 April.",
        officer,
        "Olivia Officer",
    )
    page = text_of(response)
    assert "Progress recorded: action 3 is complete." in page
    today = dt.date.today()
    assert f"Status Complete Last updated by Olivia Officer on {today.day} {today:%B %Y}" in page
    assert f"Status: Complete {today.day} {today:%B %Y} by Olivia Officer Figures sent to Members on 1 April." in page


def test_progress_without_a_note_is_refused(client, officer, action):
    client.force_login(officer)
    response = client.post(progress_url(action), {"version": 1, "status": "complete", "commentary": ""})
    assert error_summary(response) == [("id_commentary", "Enter what progress has been made.")]
    action.refresh_from_db()
    assert (action.status, action.updates.count()) == ("open", 0)


def test_an_unknown_status_is_refused(client, officer, action):
    client.force_login(officer)
    response = client.post(progress_url(action), {"version": 1, "status": "done", "commentary": "x"})
    assert error_summary(response) == [("id_status", "Choose the action's status")]
