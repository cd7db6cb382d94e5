"""An administrator uploads a fixture in the admin, checks the preview and confirms it."""

import json

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from inspections.models import Finding, FixtureLoad, Inspection
from inspections.themes import sync_themes
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in
from tests.inspections import fixture_samples as samples


@pytest.fixture
def fixture_file(tmp_path, transactional_db):
    # An earlier transactional test may have flushed the themes the data migration made.
    sync_themes(apps)
    return samples.write(tmp_path / "2024-05-20-testshire-letter.json", samples.valid_records())


def test_admin_uploads_previews_and_confirms_a_fixture(page, live_server, admin, fixture_file):
    sign_in(page, live_server, admin)
    page.goto("/admin/inspections/fixtureload/add/")

    page.get_by_label("Fixture file").set_input_files(str(fixture_file))
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("#preview")
    findings_row = preview.locator("tr", has=page.get_by_role("rowheader", name="inspections.finding"))
    expect(findings_row.get_by_role("cell").nth(0)).to_have_text("2")
    expect(findings_row).to_contain_text("Finding 1: Managers' oversight is inconsistent.")
    expect(preview).to_contain_text("Testshire County Council")
    assert not Finding.objects.filter(inspection__authority__short_name="Testshire").exists()

    page.get_by_role("button", name="Load these records").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Loaded 2024-05-20-testshire-letter.json: 4 created, 0 updated, 0 unchanged."
    )
    assert Finding.objects.filter(inspection__authority__short_name="Testshire").count() == 2
    load = FixtureLoad.objects.get()
    assert (load.previewed_by, load.confirmed_by) == (admin, admin)


def test_a_bad_fixture_is_refused_in_the_browser(page, live_server, admin, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"model": "inspections.nonsense", "fields": {}}]), encoding="utf-8")
    sign_in(page, live_server, admin)
    page.goto("/admin/inspections/fixtureload/add/")

    page.get_by_label("Fixture file").set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was loaded. bad.json, object 1: unknown model")
    assert not FixtureLoad.objects.exists()


@pytest.mark.parametrize("username", ["officer", "councillor"])
def test_the_upload_is_refused_to_officers_and_councillors(page, live_server, request, username, fixture_file):
    sign_in(page, live_server, request.getfixturevalue(username))

    page.goto("/admin/inspections/fixtureload/add/")

    # The admin refuses them: it asks for an account that may use it instead.
    expect(page.locator("body")).to_contain_text("not authorized to access this page")
    expect(page.get_by_label("Fixture file")).to_have_count(0)
    assert not FixtureLoad.objects.exists()


def test_a_reload_is_previewed_field_by_field_and_keeps_what_the_file_leaves_empty(
    page, live_server, admin, tmp_path, fixture_file
):
    summary = "The second monitoring visit since the inadequate judgement."
    records = samples.valid_records()
    records[1] = {**records[1], "fields": {**records[1]["fields"], "summary": summary}}
    call_command("load_letters", directory=samples.write(tmp_path / "2024-05-20-a.json", records).parent, verbosity=0)
    records[1]["fields"].update(summary="", title="Monitoring visit (corrected)")
    records[3] = samples.finding(2, "Children are seen within a day.")
    changed = samples.write(tmp_path / "changed" / "2024-05-20-a.json", records)
    sign_in(page, live_server, admin)

    page.goto("/admin/inspections/fixtureload/add/")
    page.get_by_label("Fixture file").set_input_files(str(changed))
    page.get_by_role("button", name="Preview").click()

    inspection = page.get_by_role("table", name="inspections.inspection “Monitoring visit, 1 May 2024 to 2 May 2024”")
    title = inspection.get_by_role("row", name="title")
    expect(title.get_by_role("cell").nth(0)).to_have_text("Monitoring visit to Testshire children's services")
    expect(title.get_by_role("cell").nth(1)).to_have_text("Monitoring visit (corrected)")
    kept = inspection.get_by_role("row", name="summary")
    expect(kept.get_by_role("cell").nth(0)).to_have_text(summary)
    expect(kept.get_by_role("cell").nth(1)).to_contain_text("Kept: the file leaves it empty.")
    expect(kept.get_by_role("checkbox", name="Empty summary instead")).not_to_be_checked()
    finding = page.get_by_role("table", name="inspections.finding “Finding 2: Children are seen quickly.”")
    expect(finding.get_by_role("row", name="text").get_by_role("cell").nth(1)).to_have_text(
        "Children are seen within a day."
    )
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Load these records").click()

    expect(page.locator(".messagelist")).to_contain_text("Loaded 2024-05-20-a.json: 0 created, 2 updated, 2 unchanged.")
    inspection = Inspection.objects.get()
    assert (inspection.title, inspection.summary) == ("Monitoring visit (corrected)", summary)
