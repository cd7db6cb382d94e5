"""The list pages and the inspections timeline in Chromium, as a councillor, over the loaded
record: each loads, takes a filter from the keyboard alone and passes axe; and no page a
councillor reads makes a 375 px wide screen scroll sideways (a wide table scrolls on its own)."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from improvement.models import ImprovementPlan, Measure, Priority
from inspections.models import Finding, Inspection
from inspections.themes import sync_themes
from scrutiny.models import Meeting
from tests.browser.axe import assert_no_axe_violations
from tests.conftest import PASSWORD
from tests.factories import ActionFactory, PersonFactory, PriorityFactory


@pytest.fixture
def record(transactional_db):
    # Transactional tests flush what data migrations made; put the theme list back first.
    sync_themes(apps)
    call_command("load_letters", verbosity=0)
    # The record has no actions: give the current plan three, one of them an owner's.
    priority = PriorityFactory(plan=ImprovementPlan.objects.current(), number=9)
    owner = PersonFactory(name="Jo Keyboard")
    ActionFactory(priority=priority, number=1, owner=owner, due_date=dt.date(2022, 9, 30))
    ActionFactory(priority=priority, number=2, due_date=dt.date(2022, 9, 30))
    ActionFactory(priority=priority, number=3, due_date=dt.date(2022, 9, 30))


def sign_in(page):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("councillor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def apply_filters(page):
    page.get_by_role("button", name="Apply filters").focus()
    page.keyboard.press("Enter")


def choose(page, label, text):
    """Pick an option of a select by typing its first letters, as a keyboard user does."""
    page.get_by_label(label, exact=True).focus()
    page.keyboard.type(text)


def test_each_list_filters_from_the_keyboard_and_passes_axe(page, live_server, councillor, record):
    sign_in(page)
    heading = page.get_by_role("heading", level=1)

    page.goto("/plan/priorities/")
    expect(heading).to_have_text("Priorities (5)")
    assert_no_axe_violations(page)
    choose(page, "Rating", "Green")
    apply_filters(page)
    expect(heading).to_have_text("Priorities (1)")
    expect(page).to_have_url(re.compile(r"rating=green"))
    expect(page.get_by_role("link", name="Voice and influence of children, young people and families")).to_be_visible()

    page.goto("/plan/actions/")
    expect(heading).to_have_text("Actions (3)")
    assert_no_axe_violations(page)
    choose(page, "Owner", "Jo")
    apply_filters(page)
    expect(heading).to_have_text("Actions (1)")

    page.goto("/plan/measures/")
    expect(heading).to_have_text(re.compile(r"Measures \(\d+\)"))
    assert_no_axe_violations(page)
    choose(page, "Theme", "Care leavers")
    apply_filters(page)
    expect(heading).to_have_text("Measures (1)")
    expect(page.get_by_role("link", name="Care leavers in unsuitable accommodation")).to_be_visible()

    page.goto("/scrutiny/actions/")
    expect(heading).to_have_text("Scrutiny actions (5)")
    assert_no_axe_violations(page)
    page.get_by_label("Only overdue scrutiny actions").focus()
    page.keyboard.press("Space")
    apply_filters(page)
    expect(heading).to_have_text("Scrutiny actions (1)")
    expect(page.get_by_role("cell", name="Overdue")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto("/scrutiny/recommendations/")
    expect(heading).to_have_text("Recommendations (6)")
    assert_no_axe_violations(page)
    page.get_by_label("Made on or before").focus()
    page.keyboard.type("30/9/2013")
    apply_filters(page)
    expect(heading).to_have_text("Recommendations (5)")

    # A filter that is not a date: GOV.UK's error summary, and still no axe violations.
    page.get_by_label("Made on or after").fill("31/2/2022")
    apply_filters(page)
    expect(page.get_by_role("alert")).to_contain_text("Made on or after must be a real date")
    assert_no_axe_violations(page)


@pytest.mark.parametrize(
    "path",
    ["/plan/priorities/", "/plan/actions/", "/plan/measures/", "/scrutiny/actions/", "/scrutiny/recommendations/"],
)
def test_no_list_scrolls_the_page_sideways_at_375_pixels(page, live_server, councillor, record, path):
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page)

    page.goto(path)

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The table scrolls on its own instead, in a labelled region a keyboard can reach.
    region = page.get_by_role(
        "region", name=re.compile(r"^(Priorities|Actions|Measures|Scrutiny actions|Recommendations)")
    )
    expect(region).to_have_attribute("tabindex", "0")


def test_the_inspections_timeline_opens_findings_from_the_keyboard_and_fits_375_pixels(
    page, live_server, councillor, record
):
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page)

    page.goto("/inspections/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Inspections timeline")
    visit = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Monitoring visit to Devon children's services")
    )
    expect(visit).to_contain_text("Steve Lowe")
    expect(visit).to_contain_text("Tracey Ledder")
    headline_findings = visit.locator("details", has_text="Headline findings (3)")
    expect(headline_findings.get_by_role("link").first).to_be_hidden()
    headline_findings.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(headline_findings.get_by_role("link")).to_have_count(3)
    expect(headline_findings.get_by_role("link").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_no_axe_violations(page)


def test_no_page_a_councillor_reads_scrolls_sideways_at_375_pixels(page, live_server, councillor, record):
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page)
    paths = [
        "/",
        "/inspections/",
        Inspection.objects.get(kind="monitoring_visit", visit_start="2022-02-02").get_absolute_url(),
        Finding.objects.filter(kind="area_for_improvement").first().get_absolute_url(),
        "/plan/",
        Priority.objects.get(plan=ImprovementPlan.objects.current(), number=9).get_absolute_url(),
        "/plan/measures/",
        *(measure.get_absolute_url() for measure in Measure.objects.exclude(values=None)),
        "/scrutiny/",
        *(meeting.get_absolute_url() for meeting in Meeting.objects.all()),
    ]
    wide = {}
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide[path] = width
    assert wide == {}
