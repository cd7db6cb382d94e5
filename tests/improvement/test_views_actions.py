"""An action's page, and updating it: status, progress note, completion date, due date."""

import datetime as dt

import pytest
from django.urls import reverse

from improvement.models import Action, DueDateChange
from tests.factories import ActionFactory, PersonFactory, ProgressUpdateFactory
from tests.officer_pages import date_fields, error_summary, hidden_version, text_of

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def progress(action, **data):
    return reverse("improvement:action_progress", args=[action.pk]), {"version": action.version, **data}


def due_date(action, **data):
    return reverse("improvement:action_due_date", args=[action.pk]), {"version": action.version, **data}


@pytest.fixture
def action():
    return ActionFactory(
        description="Audit a sample of assessments.",
        owner=PersonFactory(name="Lisa Bursill"),
        start_date=dt.date(2022, 4, 1),
        due_date=dt.date(2022, 9, 30),
    )


def test_the_action_page_shows_its_rating_status_due_date_and_history(client, councillor, action):
    author = PersonFactory(name="Nigel Denning")
    ProgressUpdateFactory(
        action=action, rating="amber", date=dt.date(2022, 6, 30), author=author, commentary="Half done."
    )
    client.force_login(councillor)

    page = text_of(client.get(action.get_absolute_url()))

    assert f"{action} – {action.priority}" in page
    assert "Current rating Amber as at 30 June 2022 Last updated by Nigel Denning on 30 June 2022" in page
    assert "Status Not started Overdue" in page
    assert "Due 30 September 2022 Started 1 April 2022 Owner Lisa Bursill" in page
    assert "History Rated Amber 30 June 2022 by Nigel Denning Half done." in page


def test_completing_an_action_records_its_completion_date(client, officer, action):
    client.force_login(officer)
    url, data = progress(
        action, status="complete", commentary="All 40 audited.", **date_fields("completed_on", dt.date(2022, 9, 20))
    )

    response = client.post(url, data, follow=True)

    assert response.redirect_chain == [(action.get_absolute_url(), 302)]
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.version) == ("complete", dt.date(2022, 9, 20), 2)
    update = action.updates.get()
    assert (update.status, update.completed_on, update.commentary, update.recorded_by) == (
        "complete",
        dt.date(2022, 9, 20),
        "All 40 audited.",
        officer,
    )
    page = text_of(response)
    assert f"Progress recorded: {action} is complete." in page
    assert "Status Complete, completed on 20 September 2022" in page
    assert "Status: Complete on 20 September 2022" in page


def test_the_page_offers_the_status_as_radios_with_the_current_one_chosen_and_a_date_input(client, officer, action):
    client.force_login(officer)
    html = client.get(reverse("improvement:action_progress", args=[action.pk])).content.decode()
    assert 'id="id_status" value="not_started" checked' in html
    assert 'class="govuk-date-input" id="id_completed_on"' in html
    assert hidden_version(client.get(reverse("improvement:action_progress", args=[action.pk]))) == 1


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"status": "complete"}, [("id_completed_on_0", "Enter the date the action was completed.")]),
        (
            {"status": "complete", **date_fields("completed_on", dt.date(2022, 3, 1))},
            [("id_completed_on_0", "The completion date cannot be before the action started (1 April 2022).")],
        ),
        (
            {"status": "complete", "completed_on_0": "31", "completed_on_1": "2", "completed_on_2": "2022"},
            [("id_completed_on_0", "The date the action was completed must be a real date")],
        ),
        (
            {"status": "complete", "completed_on_0": "3", "completed_on_1": "", "completed_on_2": "2022"},
            [("id_completed_on_1", "The date the action was completed must include a month")],
        ),
        (
            {"status": "complete", **date_fields("completed_on", TODAY + dt.timedelta(days=1))},
            [("id_completed_on_0", "The date the action was completed must be today or in the past")],
        ),
        (
            {"status": "in_progress", **date_fields("completed_on", dt.date(2022, 5, 1))},
            [("id_completed_on_0", "Enter a completion date only when marking the action complete.")],
        ),
        ({"status": "cancelled"}, [("id_commentary", "Say why the action is cancelled.")]),
        ({"status": "not_started"}, [("id_commentary", "Enter a rating, a new status or a progress note.")]),
        ({"status": "done"}, [("id_status", "Choose the action's status")]),
    ],
)
def test_bad_progress_is_refused_with_its_message(client, officer, action, data, errors):
    client.force_login(officer)
    url, data = progress(action, **data)

    response = client.post(url, data)

    assert error_summary(response) == errors
    assert not action.updates.exists()
    action.refresh_from_db()
    assert (action.status, action.version) == ("not_started", 1)


def test_a_progress_note_alone_keeps_the_status(client, officer, action):
    client.force_login(officer)
    url, data = progress(action, status="not_started", commentary="Sample agreed with the auditors.")
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.status == "not_started"
    assert action.updates.get().commentary == "Sample agreed with the auditors."


def test_moving_the_due_date_keeps_the_first_one_and_shows_it_beside_the_new_one(client, officer, action):
    client.force_login(officer)
    url, data = due_date(
        action, reason="The case system arrives in November.", **date_fields("to", dt.date(2022, 12, 31))
    )

    response = client.post(url, data, follow=True)

    action.refresh_from_db()
    assert (action.due_date, action.original_due_date, action.version) == (
        dt.date(2022, 12, 31),
        dt.date(2022, 9, 30),
        2,
    )
    change = DueDateChange.objects.get(action=action)
    assert (change.reason, change.recorded_by) == ("The case system arrives in November.", officer)
    page = text_of(response)
    assert f"Due date moved: {action} is now due 31 December 2022." in page
    assert "Due 31 December 2022 (re-baselined from 30 September 2022)" in page
    assert "Due date moved from 30 September 2022 to 31 December 2022" in page
    assert "The case system arrives in November." in page
    form_page = text_of(client.get(url))
    assert "Due now: 31 December 2022 (re-baselined from 30 September 2022)." in form_page


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({**date_fields("to", dt.date(2022, 12, 31))}, [("id_reason", "Say why the due date is moving.")]),
        ({"reason": "Later."}, [("id_to_0", "Enter the new due date")]),
        (
            {"reason": "Same.", **date_fields("to", dt.date(2022, 9, 30))},
            [("id_to_0", "The action is already due 30 September 2022.")],
        ),
        (
            {"reason": "Earlier.", **date_fields("to", dt.date(2022, 3, 1))},
            [("id_to_0", "The due date cannot be before the action started (1 April 2022).")],
        ),
    ],
)
def test_a_bad_due_date_move_is_refused_with_its_message(client, officer, action, data, errors):
    client.force_login(officer)
    url, data = due_date(action, **data)

    assert error_summary(client.post(url, data)) == errors
    action.refresh_from_db()
    assert (action.due_date, action.original_due_date) == (dt.date(2022, 9, 30), None)
    assert not DueDateChange.objects.exists()


def test_a_closed_actions_due_date_does_not_move(client, officer):
    action = ActionFactory(complete=True)
    client.force_login(officer)
    assert "Move the due date" not in text_of(client.get(action.get_absolute_url()))

    url, data = due_date(action, reason="Later.", **date_fields("to", dt.date(2022, 12, 31)))
    response = client.post(url, data)

    assert error_summary(response) == [("id_to_0", "The action is complete: its due date can no longer move.")]
    assert Action.objects.get(pk=action.pk).due_date == dt.date(2022, 9, 30)
