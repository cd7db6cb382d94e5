"""The briefing pack in Chromium, on the loaded record: an officer publishes the pack for the
Children's Scrutiny Committee of 6 April 2022, an administrator approves it for the public, and
an anonymous visitor reads it. axe passes on every page; printed, the pack shows no navigation."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from inspections.themes import sync_themes
from scrutiny.models import BriefingPackVersion, Meeting
from tests.browser.axe import assert_no_axe_violations
from tests.conftest import PASSWORD

NAVIGATION = [".govuk-skip-link", ".govuk-header", ".govuk-service-navigation", ".govuk-breadcrumbs", ".govuk-footer"]


@pytest.fixture
def april(transactional_db):
    # Transactional tests flush what data migrations made; put the theme list back first.
    sync_themes(apps)
    call_command("load_letters", verbosity=0)
    return Meeting.objects.get(committee__name="Children's Scrutiny Committee", date=dt.date(2022, 4, 6))


def sign_in(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


def test_an_officer_publishes_an_administrator_approves_and_the_public_reads(page, officer, admin, april, tmp_path):
    sign_in(page, "officer")
    page.goto(f"/scrutiny/meetings/{april.pk}/briefing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefing pack for 6 April 2022")
    expect(page.get_by_text("It has not been published.")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Publish this pack").click()
    expect(page.get_by_text("Version 1 published.")).to_be_visible()
    version = BriefingPackVersion.objects.get(meeting=april)
    expect(page.locator(".app-pack__checksum")).to_have_text(version.checksum)
    assert_no_axe_violations(page)

    page.emulate_media(media="print")
    page.screenshot(path=tmp_path / "printed-pack.png", full_page=True)
    for navigation in NAVIGATION:
        expect(page.locator(navigation)).to_be_hidden()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    expect(page.locator(".app-pack__print-footer")).to_be_visible()
    expect(page.locator(".app-pack__print-footer")).to_contain_text("version 1 as at")
    page.emulate_media(media="screen")
    expect(page.locator(".govuk-service-navigation")).to_be_visible()
    sign_out(page)

    sign_in(page, "admin")
    page.goto(version.get_absolute_url())
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Approve version 1 for the public").click()
    expect(page.get_by_text("Version 1 is approved: the public can now read it.")).to_be_visible()
    assert_no_axe_violations(page)
    sign_out(page)

    page.goto("/public/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Children's Scrutiny Committee, 6 April 2022").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Briefing pack for 6 April 2022")
    expect(page.locator(".app-pack__checksum")).to_have_text(version.checksum)
    expect(page.get_by_role("heading", name="Its findings that revisit earlier ones")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_no_axe_violations(page)
