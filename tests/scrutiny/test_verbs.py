"""A scrutiny action's progress: its updates are the record, and its status follows them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from inspections.models import EditConflict
from scrutiny.models import ScrutinyAction, ScrutinyActionUpdate
from tests.factories import FindingFactory, MeetingFactory, PersonFactory, ScrutinyActionFactory, UserFactory

pytestmark = pytest.mark.django_db

MEETING_DAY = dt.date(2022, 2, 21)


@pytest.fixture
def action():
    return ScrutinyActionFactory(meeting=MeetingFactory(date=MEETING_DAY), due_date=dt.date(2022, 3, 15))


@pytest.fixture
def user():
    user = UserFactory()
    PersonFactory(name="Sam Scrutiny", user=user)
    return user


def test_marking_it_done_completes_it_with_an_attributed_update(action, user):
    update = action.record_progress(
        by=user, commentary="Reported to Cabinet.", status="complete", as_of=dt.date(2022, 3, 10)
    )
    action.refresh_from_db()
    assert (action.status, action.version) == ("complete", 2)
    assert (update.status, update.recorded_by, update.author.name) == ("complete", user, "Sam Scrutiny")
    assert not ScrutinyAction.objects.open().filter(pk=action.pk).exists()


def test_an_update_that_says_done_closes_the_action(action, user):
    # The fault this replaced: an update saying "complete" left the action open.
    action.record_progress(by=user, commentary="Done.", status="complete", as_of=dt.date(2022, 3, 1))
    assert ScrutinyAction.objects.get(pk=action.pk).status == ScrutinyAction.Status.COMPLETE


def test_a_note_alone_keeps_the_status(action, user):
    action.record_progress(by=user, commentary="Chased the service.", as_of=dt.date(2022, 3, 1))
    action.refresh_from_db()
    assert action.status == "open"
    assert ScrutinyActionUpdate.objects.get(action=action).status == ""


def test_the_status_follows_the_latest_update_that_gives_one(action, user):
    action.record_progress(by=user, commentary="Started.", status="in_progress", as_of=dt.date(2022, 3, 2))
    action.record_progress(by=user, commentary="Was waiting.", status="open", as_of=dt.date(2022, 3, 1))
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_progress_needs_a_note(action, user):
    with pytest.raises(ValidationError, match="Enter what progress has been made."):
        action.record_progress(by=user, commentary=" ", status="complete", as_of=dt.date(2022, 3, 1))
    assert not action.updates.exists()


def test_an_unknown_status_is_refused(action, user):
    with pytest.raises(ValidationError, match="Choose a status from the list."):
        action.record_progress(by=user, commentary="x", status="done", as_of=dt.date(2022, 3, 1))


def test_the_date_cannot_be_before_the_meeting(action, user):
    with pytest.raises(ValidationError, match=r"before the meeting that raised the action \(21 February 2022\)"):
        action.record_progress(by=user, commentary="x", as_of=dt.date(2022, 2, 20))


def test_the_date_cannot_be_in_the_future(action, user):
    with pytest.raises(ValidationError, match="The date cannot be in the future."):
        action.record_progress(by=user, commentary="x", as_of=dt.date.today() + dt.timedelta(days=3))


def test_a_stale_version_is_refused(action, user):
    stale = ScrutinyAction.objects.get(pk=action.pk)
    action.record_progress(by=user, commentary="First.", as_of=dt.date(2022, 3, 1), expected_version=1)
    with pytest.raises(EditConflict, match="after you opened this page"):
        stale.record_progress(
            by=user, commentary="Second.", status="complete", as_of=dt.date(2022, 3, 2), expected_version=1
        )
    assert list(action.updates.values_list("commentary", flat=True)) == ["First."]


def test_findings_are_linked_and_unlinked_with_history(action, user):
    finding = FindingFactory()
    action.link_findings([finding], by=user)
    action.unlink_finding(finding, by=user, reason="Raised about another visit.")
    latest = action.history.order_by("-history_id").first()
    assert (latest.history_user, latest.history_change_reason) == (
        user,
        f"Unlinked from {finding}: Raised about another visit.",
    )
    assert not action.findings.exists()


def test_its_timeline_lists_updates_newest_first_with_their_authors(action, user):
    action.record_progress(by=user, commentary="Started.", status="in_progress", as_of=dt.date(2022, 3, 1))
    action.record_progress(by=user, commentary="Done.", status="complete", as_of=dt.date(2022, 3, 9))
    assert [(entry.what, entry.who, entry.text) for entry in action.timeline()] == [
        ("Status: Complete", "Sam Scrutiny", "Done."),
        ("Status: In progress", "Sam Scrutiny", "Started."),
    ]
