"""Rows the verbs refuse, each reported by row and column in plain words; nothing applied
until confirmed; then only the valid rows, or nothing at all if the officer asks for that.
And a row someone else changed after the template was downloaded, shown with their change."""

import datetime as dt

import pytest
from django.urls import reverse

from improvement.models import Action, BulkUpdate, Measure, MeasureValue, Priority, ProgressUpdate, Rating
from tests.factories import ActionFactory, MeasureFactory, PersonFactory, UserFactory
from tests.improvement.bulk_files import FORMATS, download, officers_plan, upload

pytestmark = pytest.mark.django_db

TOMORROW = dt.date.today() + dt.timedelta(days=1)


def errors_by_row(record):
    return {row["row"]: [(e["column"], e["message"]) for e in row["errors"]] for row in record.rows if row["errors"]}


@pytest.fixture
def bad_file(officer):
    """A template of two priorities with, in order: one good row per kind, and one bad row for
    each rule the issue names."""

    def make(client, file_format):
        plan = officers_plan(officer, priorities=2)
        (good, bad), person = plan.priorities.all(), officer.person
        good_action, bad_action = Action.objects.filter(priority=good).get(), Action.objects.get(priority=bad)
        good_measure, bad_measure = Measure.objects.get(priority=good), Measure.objects.get(priority=bad)
        count_measure = MeasureFactory(priority=bad, owner=person, unit=Measure.Unit.COUNT)
        moved_action = ActionFactory(priority=bad, owner=person)
        dated_action = ActionFactory(priority=bad, owner=person)
        template = download(client, file_format)
        rows = {
            "good rating": template.set(good, new_rating="Green", commentary="Back on plan."),
            "good progress": template.set(good_action, new_status="In progress"),
            "good value": template.set(good_measure, new_value="62", new_value_period="June 2022"),
            "not RAG": template.set(bad, new_rating="Blue", commentary="Hmm."),
            "no commentary": template.set(bad_action, new_rating="Green"),
            "over 100": template.set(bad_measure, new_value="120", new_value_period="June 2022"),
            "future": template.set(count_measure, new_value="3", new_value_period=TOMORROW.strftime("%d/%m/%Y")),
            "no reason": template.set(moved_action, new_due_date="March 2023"),
            "not in plan": template.add_row(type="Action", ID="99999", version="1", new_status="Complete"),
            "bad date": template.set(dated_action, new_due_date="next Tuesday", reason="Later."),
        }
        return plan, template, rows

    return make


@pytest.mark.parametrize("file_format", FORMATS)
def test_each_bad_row_is_reported_by_row_and_column_and_nothing_changes(client, officer, bad_file, file_format):
    client.force_login(officer)
    plan, template, rows = bad_file(client, file_format)
    before = ProgressUpdate.objects.count(), MeasureValue.objects.count()

    page = upload(client, template.name, template.content).content.decode()

    record = BulkUpdate.objects.get()
    errors = errors_by_row(record)
    assert errors == {
        rows["not RAG"]: [("New rating", "Choose red, amber or green.")],
        rows["no commentary"]: [("Commentary", "Explain why the rating has changed from Red to Green.")],
        rows["over 100"]: [("New value", "A percentage must be between 0 and 100.")],
        rows["future"]: [("New value period", "The period cannot be in the future.")],
        rows["no reason"]: [("Reason", "Say why the due date is moving.")],
        rows["not in plan"]: [("ID", f"There is no action with ID 99999 in {plan}.")],
        rows["bad date"]: [
            (
                "New due date",
                "New due date must be a day (31/03/2025 or 2025-03-31), a month (March 2025 or 2025-03) "
                "or a year (2025).",
            )
        ],
    }
    assert record.counts == {"create": 1, "change": 2, "unchanged": 0, "error": 7}
    for message in ("Choose red, amber or green.", "Explain why the rating has changed from Red to Green."):
        assert message in page
    assert (ProgressUpdate.objects.count(), MeasureValue.objects.count()) == before


@pytest.mark.parametrize("file_format", FORMATS)
def test_confirming_applies_only_the_valid_rows(client, officer, bad_file, file_format):
    client.force_login(officer)
    plan, template, rows = bad_file(client, file_format)
    upload(client, template.name, template.content)
    record = BulkUpdate.objects.get()

    client.post(reverse("improvement:bulk_update_preview", args=[record.pk]), {"apply": "valid"})

    record.refresh_from_db()
    assert (record.status, record.only_if_all_valid) == ("applied", False)
    good, bad = plan.priorities.with_current_rating()
    assert (good.current_rating, bad.current_rating) == ("green", "amber")
    assert Action.objects.filter(status="in_progress").count() == 1
    assert set(MeasureValue.objects.filter(period_end=dt.date(2022, 6, 1)).values_list("value", flat=True)) == {62}
    assert not Action.objects.filter(due_date=dt.date(2023, 3, 1)).exists()


@pytest.mark.parametrize("file_format", FORMATS)
def test_only_if_every_row_is_valid_applies_nothing(client, officer, bad_file, file_format):
    client.force_login(officer)
    plan, template, rows = bad_file(client, file_format)
    upload(client, template.name, template.content)
    record = BulkUpdate.objects.get()
    before = ProgressUpdate.objects.count(), MeasureValue.objects.count()

    page = client.post(reverse("improvement:bulk_update_preview", args=[record.pk]), {"apply": "all"})

    assert "Nothing was applied: 7 rows have errors, and you chose to apply nothing" in page.content.decode()
    assert (ProgressUpdate.objects.count(), MeasureValue.objects.count()) == before
    assert BulkUpdate.objects.get().status == "previewed"


def test_a_choice_is_needed_when_some_rows_have_errors(client, officer, bad_file):
    client.force_login(officer)
    plan, template, rows = bad_file(client, "csv")
    upload(client, template.name, template.content)
    record = BulkUpdate.objects.get()

    page = client.post(reverse("improvement:bulk_update_preview", args=[record.pk]), {}).content.decode()

    assert "Choose what to apply" in page
    assert BulkUpdate.objects.get().status == "previewed"


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_row_changed_after_the_download_is_stale_and_shown_with_the_other_change(client, officer, file_format):
    plan = officers_plan(officer)
    priority, action = plan.priorities.get(), Action.objects.get()
    client.force_login(officer)
    template = download(client, file_format)
    template.set(priority, new_rating="Green", commentary="Back on plan.")
    template.set(action, new_status="In progress")
    colleague = UserFactory(first_name="Cai", last_name="Colleague")
    PersonFactory(name="Cai Colleague", user=colleague)
    priority.record_rating(by=colleague, rating=Rating.RED, commentary="Two managers left.")

    page = upload(client, template.name, template.content).content.decode()

    row = next(row for row in BulkUpdate.objects.get().rows if row["record_id"] == priority.pk)
    assert row["outcome"] == "error"
    assert row["errors"] == [
        {
            "column": "Version",
            "message": f"{priority} was changed by Cai Colleague after this template was downloaded. "
            "Check their change below, then download a new template if yours still applies.",
        }
    ]
    assert row["other_change"] | {"date": ""} == {
        "who": "Cai Colleague",
        "what": "Rated Red",
        "text": "Two managers left.",
        "date": "",
    }
    assert "Their change: Rated Red, by Cai Colleague" in page and "“Two managers left.”" in page

    record = BulkUpdate.objects.get()
    client.post(reverse("improvement:bulk_update_preview", args=[record.pk]), {"apply": "valid"})
    assert Priority.objects.with_current_rating().get().current_rating == "red", "their change stands"
    assert Action.objects.get().status == "in_progress"


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_row_that_goes_stale_between_preview_and_confirm_is_not_applied(client, officer, file_format):
    plan = officers_plan(officer)
    priority = plan.priorities.get()
    client.force_login(officer)
    template = download(client, file_format)
    template.set(priority, new_rating="Green", commentary="Back on plan.")
    upload(client, template.name, template.content)
    record = BulkUpdate.objects.get()
    assert record.counts["change"] == 1
    priority.record_rating(by=UserFactory(), rating=Rating.RED, commentary="Worse.")

    page = client.post(reverse("improvement:bulk_update_preview", args=[record.pk]), {"apply": ""}, follow=True)

    assert "after this template was downloaded" in page.content.decode()
    assert [update.rating for update in priority.updates.all()][:1] == ["red"]
    record.refresh_from_db()
    assert record.counts["error"] == 1


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_value_recorded_by_someone_else_meanwhile_is_shown(client, officer, file_format):
    officers_plan(officer)
    measure = Measure.objects.get()
    client.force_login(officer)
    template = download(client, file_format)
    row = template.set(measure, new_value="64", new_value_period="June 2022")
    measure.record_value(
        by=UserFactory(first_name="Cai", last_name="Colleague"),
        period_end=dt.date(2022, 6, 1),
        precision="month",
        value=63,
    )

    upload(client, template.name, template.content)

    [result] = [r for r in BulkUpdate.objects.get().rows if r["row"] == row]
    assert result["errors"] == [
        {
            "column": "New value period",
            "message": "A value for June 2022 is already recorded (63%). Correct it instead, giving the reason.",
        }
    ]
    assert (result["other_change"]["who"], result["other_change"]["what"]) == (
        "Cai Colleague",
        "Value for June 2022 recorded: 63%",
    )


def test_rows_for_the_wrong_kind_and_repeated_rows_are_refused(client, officer):
    plan = officers_plan(officer)
    priority = plan.priorities.get()
    client.force_login(officer)
    template = download(client, "csv")
    first = template.set(priority, new_rating="Green", commentary="Back on plan.", new_due_date="March 2023")
    again = template.add_row(type="Priority", ID=str(priority.pk), version="1", new_rating="Red", commentary="x")

    upload(client, template.name, template.content)

    assert errors_by_row(BulkUpdate.objects.get()) == {
        first: [("New due date", "New due date is for actions only: leave it empty in a priority's row.")],
        again: [("ID", f"Row {first} already updates this priority: give it one row.")],
    }


def test_a_complete_action_needs_its_completion_date(client, officer):
    officers_plan(officer)
    action = Action.objects.get()
    client.force_login(officer)
    template = download(client, "xlsx")
    row = template.set(action, new_status="Complete")

    upload(client, template.name, template.content)

    assert errors_by_row(BulkUpdate.objects.get()) == {
        row: [("Completed on", "Enter the date the action was completed.")]
    }


def test_a_correction_needs_the_version_it_was_downloaded_at(client, officer):
    officers_plan(officer)
    measure = Measure.objects.get()
    client.force_login(officer)
    template = download(client, "csv")
    row = template.set(measure, version="", new_value="61", new_value_period="May 2022", reason="Resubmitted.")

    upload(client, template.name, template.content)

    assert errors_by_row(BulkUpdate.objects.get()) == {
        row: [("Version", "Version is empty: copy it back from the template.")]
    }
    assert MeasureValue.objects.get().value == 60
