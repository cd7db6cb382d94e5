"""An officer's monthly bulk update in the browser: download the template, fill it in, upload
it, check the preview, confirm; each page passes axe."""

import pytest
from playwright.sync_api import expect

from improvement.models import Action, BulkUpdate, Measure, Priority
from tests.browser.axe import assert_no_axe_violations
from tests.conftest import PASSWORD
from tests.improvement.bulk_files import Template, officers_plan


def sign_in(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_officer_updates_the_plan_from_a_spreadsheet(page, live_server, officer, tmp_path, file_format):
    plan = officers_plan(officer)
    priority, action, measure = plan.priorities.get(), Action.objects.get(), Measure.objects.get()
    sign_in(page, "officer")

    page.goto("/plan/bulk-update/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly bulk update")
    assert_no_axe_violations(page)

    page.get_by_label("The whole current plan").check()
    page.get_by_label("Excel (.xlsx)" if file_format == "xlsx" else "CSV (.csv)").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the template").click()
    download = download_info.value
    template = Template(download.path().read_bytes(), file_format, download.suggested_filename)
    template.set(priority, new_rating="Green", commentary="Recruitment is back on plan.")
    template.set(action, new_rating="Blue")
    template.set(measure, new_value="64", new_value_period="June 2022")
    filled = tmp_path / download.suggested_filename
    filled.write_bytes(template.content)

    page.get_by_label("Spreadsheet").set_input_files(str(filled))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your changes")
    rows = page.locator("#rows")
    expect(rows).to_contain_text("Rated Green: Recruitment is back on plan.")
    expect(rows).to_contain_text("New rating: Choose red, amber or green.")
    expect(rows).to_contain_text("Value for June 2022 recorded: 64%")
    assert_no_axe_violations(page)
    assert Priority.objects.with_current_rating().get().current_rating == "amber"

    page.get_by_label("Apply the rows without errors; leave the rows with errors").check()
    page.get_by_role("button", name="Confirm and apply").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bulk update applied")
    expect(page.locator(".govuk-panel__body")).to_have_text(f"2 rows of {filled.name} applied")
    assert_no_axe_violations(page)
    assert Priority.objects.with_current_rating().get().current_rating == "green"
    assert measure.values.count() == 2
    record = BulkUpdate.objects.get()
    assert (record.status, record.uploaded_by, record.counts["error"]) == ("applied", officer, 1)


def test_a_refused_file_is_explained_on_the_upload_page(page, live_server, officer, tmp_path):
    officers_plan(officer)
    sign_in(page, "officer")
    empty = tmp_path / "update.csv"
    empty.write_bytes(b"")

    page.goto("/plan/bulk-update/")
    page.get_by_label("Spreadsheet").set_input_files(str(empty))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Nothing was changed. update.csv is empty. Upload the template with your changes in it."
    )
    assert_no_axe_violations(page)


def test_a_councillor_is_refused(page, live_server, councillor):
    sign_in(page, "councillor")
    response = page.goto("/plan/bulk-update/")
    assert response.status == 403
