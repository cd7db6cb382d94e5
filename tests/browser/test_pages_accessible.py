"""Every page a councillor reads, over the whole loaded record, passes axe and has one h1."""

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from improvement.models import Measure, Priority
from inspections.models import Finding, Inspection
from inspections.themes import sync_themes
from scrutiny.models import Meeting
from tests.browser.axe import assert_no_axe_violations
from tests.conftest import PASSWORD


@pytest.fixture
def record(transactional_db):
    # Transactional tests flush what data migrations made; put the theme list back first.
    sync_themes(apps)
    call_command("load_letters", verbosity=0)


def test_every_page_passes_axe(page, live_server, councillor, record):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("councillor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")

    paths = [
        "/",
        "/inspections/",
        Inspection.objects.get(kind="monitoring_visit", visit_start="2022-02-02").get_absolute_url(),
        Finding.objects.filter(kind="area_for_improvement").first().get_absolute_url(),
        "/plan/",
        Priority.objects.exclude(updates=None).first().get_absolute_url(),
        "/plan/measures/",
        Measure.objects.exclude(values=None).first().get_absolute_url(),
        "/scrutiny/",
        Meeting.objects.get(date="2022-02-21").get_absolute_url(),
    ]
    for path in paths:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_no_axe_violations(page)
