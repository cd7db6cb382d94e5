"""The monthly bulk update's journey: download, change three rows, upload, preview, confirm; the
record of each upload; who may use it; and query counts that do not grow with the rows."""

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from improvement.bulk import ALREADY_SO
from improvement.models import Action, BulkUpdate, DueDateChange, Measure, MeasureValue, Priority, ProgressUpdate
from tests.factories import PersonFactory, UserFactory
from tests.improvement.bulk_files import FORMATS, download, officers_plan, upload
from tests.pages import count_queries

pytestmark = pytest.mark.django_db


def history_counts():
    return (
        ProgressUpdate.objects.count(),
        DueDateChange.objects.count(),
        MeasureValue.objects.count(),
        list(MeasureValue.objects.order_by("pk").values_list("value", "version")),
    )


def change_three_rows(template, priority, action, measure):
    template.set(priority, new_rating="Green", commentary="Recruitment is back on plan.")
    template.set(action, new_status="In progress", new_due_date="31/12/2022", reason="The audit team starts late.")
    template.set(measure, new_value="64", new_value_period="June 2022")


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_round_trip_applies_three_changes_through_the_verbs(client, officer, file_format):
    plan = officers_plan(officer)
    priority, action, measure = plan.priorities.get(), Action.objects.get(), Measure.objects.get()
    client.force_login(officer)

    template = download(client, file_format)
    change_three_rows(template, priority, action, measure)
    content = template.content
    preview = upload(client, template.name, content)

    record = BulkUpdate.objects.get()
    assert preview.redirect_chain[-1][0] == reverse("improvement:bulk_update_preview", args=[record.pk])
    assert record.counts == {"create": 1, "change": 2, "unchanged": 0, "error": 0}
    assert (record.status, record.file_name, record.uploaded_by) == ("previewed", template.name, officer)
    assert (record.sha256, bytes(record.content)) == (hashlib.sha256(content).hexdigest(), content)
    page = preview.content.decode()
    assert "Rated Green: Recruitment is back on plan." in page
    assert "Due date moved from 30 September 2022 to 31 December 2022: The audit team starts late." in page
    assert "Value for June 2022 recorded: 64%" in page
    assert Priority.objects.with_current_rating().get().current_rating == "amber", "nothing applied before confirm"
    assert (Priority.objects.get().version, Action.objects.get().due_date) == (1, dt.date(2022, 9, 30))

    done = client.post(reverse("improvement:bulk_update_preview", args=[record.pk]), {"apply": ""}, follow=True)

    assert done.redirect_chain[-1][0] == reverse("improvement:bulk_update_result", args=[record.pk])
    assert "Bulk update applied" in done.content.decode()
    record.refresh_from_db()
    assert (record.status, bytes(record.content), record.applied_at is not None) == ("applied", b"", True)
    assert record.counts == {"create": 1, "change": 2, "unchanged": 0, "error": 0}
    via = f"spreadsheet {template.name} (bulk update {record.pk})"

    [rating] = priority.timeline()[:1]
    assert (rating.what, rating.who, rating.text, rating.via) == (
        "Rated Green",
        "Olivia Officer",
        "Recruitment is back on plan.",
        via,
    )
    action_entries = {entry.what: entry for entry in action.timeline()}
    moved = action_entries["Due date moved from 30 September 2022 to 31 December 2022"]
    status = action_entries["Status: In progress"]
    assert (moved.who, moved.via, status.who, status.via) == ("Olivia Officer", via, "Olivia Officer", via)
    [value, *_] = measure.timeline()
    assert (value.what, value.who, value.via) == ("Value for June 2022 recorded: 64%", "Olivia Officer", via)
    action.refresh_from_db()
    assert (action.status, action.due_date, action.original_due_date) == (
        "in_progress",
        dt.date(2022, 12, 31),
        dt.date(2022, 9, 30),
    )

    # The same file again changes nothing: every row is already so.
    before = history_counts()
    again = upload(client, template.name, content)
    second = BulkUpdate.objects.exclude(pk=record.pk).get()
    assert second.counts == {"create": 0, "change": 0, "unchanged": 3, "error": 0}
    assert again.content.decode().count(ALREADY_SO) == 3
    client.post(reverse("improvement:bulk_update_preview", args=[second.pk]), {"apply": ""})
    assert history_counts() == before
    assert second.sha256 == record.sha256


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_good_file_is_previewed_row_by_row(client, officer, file_format):
    plan = officers_plan(officer)
    priority, measure = plan.priorities.get(), Measure.objects.get()
    client.force_login(officer)
    template = download(client, file_format)
    template.set(priority, new_rating="amber")  # the same rating needs no commentary
    template.set(measure, new_value="61.5", new_value_period="May 2022", reason="The return was resubmitted.")

    upload(client, template.name, template.content)

    rows = {row["row"]: row for row in BulkUpdate.objects.get().rows}
    assert rows[template.row_number(priority)]["outcome"] == "change"
    assert rows[template.row_number(Action.objects.get())]["outcome"] == "unchanged"
    correction = rows[template.row_number(measure)]
    assert (correction["outcome"], correction["changes"]) == (
        "change",
        ["Value for May 2022 corrected from 60% to 61.5%"],
    )
    assert MeasureValue.objects.get().value == 60


def test_the_template_holds_the_current_state_and_says_what_each_column_accepts(client, officer):
    plan = officers_plan(officer)
    priority, action, measure = plan.priorities.get(), Action.objects.get(), Measure.objects.get()
    client.force_login(officer)

    template = download(client, "csv")

    assert template.name.startswith("bulk-update-plan-") and template.name.endswith(".csv")
    notes = "\n".join(template.notes)
    assert all(note.startswith("# ") for note in template.notes)
    assert "New rating (priorities and actions; you may change): Red, Amber or Green." in notes
    assert "Version (every row; do not change)" in notes
    assert "Item (every row; for reference)" in notes
    rows = template.data()
    assert (
        rows[template.row_number(priority)].items()
        >= {
            "Type": "Priority",
            "ID": str(priority.pk),
            "Version": "1",
            "Current rating": "Amber",
            "New rating": "",
        }.items()
    )
    assert (
        rows[template.row_number(action)].items()
        >= {
            "Current rating": "Red",
            "Current status": "Not started",
            "Due date": "30/09/2022",
        }.items()
    )
    value = MeasureValue.objects.get()
    assert (
        rows[template.row_number(measure)].items()
        >= {
            "Version": str(value.version),
            "Latest value": "60%",
            "Latest period": "May 2022",
        }.items()
    )
    assert list(rows) == [template.row_number(r) for r in (priority, action, measure)]


def test_a_template_of_one_priority_or_of_my_work_holds_only_that(client, officer):
    plan = officers_plan(officer, priorities=2)
    first, second = plan.priorities.all()
    someone = PersonFactory()
    Action.objects.filter(priority=second).update(owner=someone)
    client.force_login(officer)

    one = download(client, "csv", scope="priority", priority=first)
    mine = download(client, "csv", scope="mine")

    assert {(row["Type"], row["ID"]) for row in one.data().values()} == {
        ("Priority", str(first.pk)),
        ("Action", str(first.actions.get().pk)),
        ("Measure", str(first.measures.get().pk)),
    }
    assert ("Action", str(second.actions.get().pk)) not in {(row["Type"], row["ID"]) for row in mine.data().values()}
    assert len(mine.data()) == 5


def test_values_a_spreadsheet_would_run_are_written_as_text(client, officer):
    officers_plan(officer)
    Measure.objects.update(title='=HYPERLINK("http://evil.example","x")')
    Priority.objects.update(lead=None, lead_role="@SUM(1+1)")
    Action.objects.update(owner=None, owner_role="+44 1392 000000")
    client.force_login(officer)

    csv_template, xlsx_template = download(client, "csv"), download(client, "xlsx")

    cells = [cell for row in csv_template.data().values() for cell in row.values()]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert "'@SUM(1+1)" in cells and "'+44 1392 000000" in cells
    assert not [cell for cell in cells if str(cell).startswith(("=", "+", "-", "@"))]
    sheet = xlsx_template.sheet
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula"
    assert '\'=HYPERLINK("http://evil.example","x")' in [c.value for row in sheet.iter_rows() for c in row]


def test_a_councillor_can_neither_download_nor_upload(client, councillor, officer):
    officers_plan(officer)
    client.force_login(councillor)
    template_url = reverse("improvement:bulk_update_template")

    assert client.get(reverse("improvement:bulk_update")).status_code == 403
    assert client.get(template_url, {"scope": "plan", "file_format": "csv"}).status_code == 403
    response = upload(client, "plan.csv", b"Type,ID\r\n", follow=False)

    assert response.status_code == 403
    assert not BulkUpdate.objects.exists()
    assert ProgressUpdate.objects.count() == 2


def test_a_councillor_cannot_confirm_an_officers_upload(client, councillor, officer):
    plan = officers_plan(officer)
    client.force_login(officer)
    template = download(client, "csv")
    template.set(plan.priorities.get(), new_rating="Green", commentary="On plan.")
    upload(client, template.name, template.content)
    record = BulkUpdate.objects.get()
    client.force_login(councillor)

    response = client.post(reverse("improvement:bulk_update_preview", args=[record.pk]), {"apply": ""})

    assert response.status_code == 403
    assert BulkUpdate.objects.get().status == "previewed"
    assert ProgressUpdate.objects.count() == 2


def test_an_administrator_can_use_it_and_another_officer_cannot_see_my_preview(client, admin, officer):
    plan = officers_plan(officer)
    client.force_login(admin)
    template = download(client, "xlsx")
    template.set(plan.priorities.get(), new_rating="Green", commentary="On plan.")
    upload(client, template.name, template.content)
    record = BulkUpdate.objects.get()
    client.force_login(officer)

    assert client.get(reverse("improvement:bulk_update_preview", args=[record.pk])).status_code == 404


def test_every_form_needs_its_csrf_token(officer):
    officers_plan(officer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)

    response = upload(client, "plan.csv", b"x", follow=False)

    assert response.status_code == 403
    assert not BulkUpdate.objects.exists()


def test_cancelling_forgets_the_file_and_changes_nothing(client, officer):
    plan = officers_plan(officer)
    client.force_login(officer)
    template = download(client, "csv")
    template.set(plan.priorities.get(), new_rating="Green", commentary="On plan.")
    upload(client, template.name, template.content)
    record = BulkUpdate.objects.get()

    response = client.post(reverse("improvement:bulk_update_preview", args=[record.pk]), {"cancel": ""}, follow=True)

    assert f"{template.name} was cancelled. Nothing was changed." in response.content.decode()
    record.refresh_from_db()
    assert (record.status, bytes(record.content), record.rows) == ("cancelled", b"", [])
    assert ProgressUpdate.objects.count() == 2
    confirm = client.post(reverse("improvement:bulk_update_preview", args=[record.pk]), {"apply": ""})
    assert "This upload is cancelled" in confirm.content.decode()
    assert ProgressUpdate.objects.count() == 2


def test_a_preview_expires_and_can_no_longer_be_applied(client, officer):
    plan = officers_plan(officer)
    client.force_login(officer)
    template = download(client, "csv")
    template.set(plan.priorities.get(), new_rating="Green", commentary="On plan.")
    upload(client, template.name, template.content)
    old = BulkUpdate.objects.get()
    BulkUpdate.objects.filter(pk=old.pk).update(uploaded_at=old.uploaded_at - BulkUpdate.PREVIEW_LIFETIME)

    page = client.post(reverse("improvement:bulk_update_preview", args=[old.pk]), {"apply": ""}).content.decode()

    assert f"The preview of {template.name} has expired: previews are kept for 24 hours." in page
    assert ProgressUpdate.objects.count() == 2
    upload(client, template.name, template.content)  # any later upload clears expired previews
    old.refresh_from_db()
    assert (old.status, bytes(old.content), old.rows) == ("expired", b"", [])


def test_the_record_is_read_only_in_the_admin(client, admin, officer):
    plan = officers_plan(officer)
    client.force_login(officer)
    template = download(client, "csv")
    template.set(plan.priorities.get(), new_rating="Blue", commentary="On plan.")
    upload(client, template.name, template.content)
    record = BulkUpdate.objects.get()
    client.force_login(admin)

    listing = client.get(reverse("admin:improvement_bulkupdate_changelist")).content.decode()
    page = client.get(reverse("admin:improvement_bulkupdate_change", args=[record.pk])).content.decode()

    assert template.name in listing and "1 error" in listing
    assert record.sha256 in page and "Choose red, amber or green." in page
    assert 'name="_save"' not in page
    assert client.get(reverse("admin:improvement_bulkupdate_add")).status_code == 403
    assert client.post(reverse("admin:improvement_bulkupdate_delete", args=[record.pk])).status_code == 403


def test_query_counts_do_not_grow_with_the_rows(client, officer):
    client.force_login(officer)
    counts = []
    for size in (1, 8):
        BulkUpdate.objects.all().delete()
        plan = officers_plan(officer if size == 1 else UserFactory(), priorities=size)
        template_url = reverse("improvement:bulk_update_template") + "?scope=plan&file_format=xlsx&priority="
        template = download(client, "csv")
        for priority in plan.priorities.all():
            template.set(priority, new_rating="Green", commentary="On plan.")
        upload(client, template.name, template.content)
        record = BulkUpdate.objects.get()
        assert record.counts["change"] == size
        preview_url = reverse("improvement:bulk_update_preview", args=[record.pk])
        counts.append((count_queries(client, template_url), count_queries(client, preview_url)))
    assert counts[0] == counts[1]


def test_an_officer_without_a_plan_is_told_so(client, officer):
    client.force_login(officer)
    page = client.get(reverse("improvement:bulk_update")).content.decode()
    assert "There is no improvement plan to update yet." in page
    assert client.get(reverse("improvement:bulk_update_template"), {"scope": "plan"}).status_code == 404


def test_a_template_request_without_its_priority_is_explained(client, officer):
    officers_plan(officer)
    client.force_login(officer)

    response = client.get(reverse("improvement:bulk_update_template"), {"scope": "priority", "file_format": "csv"})

    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Monthly bulk update" in page
    assert page.count("Choose the priority to include") == 2  # the summary and the field
    # Shown at the template's address, the upload form still posts to the upload page.
    assert f'action="{reverse("improvement:bulk_update")}"' in page
