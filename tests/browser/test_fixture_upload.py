"""An administrator uploads a fixture in the admin, checks the preview and confirms it."""

import json

import pytest
from django.apps import apps
from playwright.sync_api import expect

from inspections.models import Finding, FixtureLoad
from inspections.themes import sync_themes
from tests.conftest import PASSWORD
from tests.inspections import fixture_samples as samples


def sign_in(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@pytest.fixture
def fixture_file(tmp_path, transactional_db):
    # An earlier transactional test may have flushed the theme list the sample refers to.
    sync_themes(apps)
    return samples.write(tmp_path / "2024-05-20-testshire-letter.json", samples.valid_records())


def test_admin_uploads_previews_and_confirms_a_fixture(page, live_server, admin, fixture_file):
    sign_in(page, "admin")
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
    assert FixtureLoad.objects.get().user == admin


def test_a_bad_fixture_is_refused_in_the_browser(page, live_server, admin, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"model": "inspections.nonsense", "fields": {}}]), encoding="utf-8")
    sign_in(page, "admin")
    page.goto("/admin/inspections/fixtureload/add/")

    page.get_by_label("Fixture file").set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was loaded. bad.json, object 1: unknown model")
    assert not FixtureLoad.objects.exists()


@pytest.mark.parametrize("username", ["officer", "councillor"])
def test_the_upload_is_refused_to_officers_and_councillors(page, live_server, request, username, fixture_file):
    request.getfixturevalue(username)
    sign_in(page, username)

    page.goto("/admin/inspections/fixtureload/add/")

    # The admin refuses them: it asks for an account that may use it instead.
    expect(page.locator("body")).to_contain_text("not authorized to access this page")
    expect(page.get_by_label("Fixture file")).to_have_count(0)
    assert not FixtureLoad.objects.exists()
