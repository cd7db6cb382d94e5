"""Every page a councillor reads, over the whole loaded record, passes axe and has one h1."""

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from improvement.models import Measure, Priority
from inspections.models import Finding, Inspection
from inspections.themes import sync_themes
from scrutiny.models import Meeting
from tests import pages
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in


@pytest.fixture
def record(transactional_db):
    # Transactional tests flush what data migrations made; put the theme list back first.
    sync_themes(apps)
    call_command("load_letters", verbosity=0)


def test_every_page_passes_axe(page, live_server, councillor, record):
    sign_in(page, live_server, councillor)
    visit = Inspection.objects.get(kind="monitoring_visit", visit_start="2022-02-02")
    finding = Finding.objects.filter(kind="area_for_improvement").first()
    priority = Priority.objects.exclude(updates=None).first()
    measure = Measure.objects.exclude(values=None).first()
    meeting = Meeting.objects.get(date="2022-02-21")
    # Each page by its address and the heading it must show: a sign-in page or an error page
    # in its place fails.
    pages = [
        ("/", "Overview"),
        ("/inspections/", "Inspections timeline"),
        (visit.get_absolute_url(), visit.title),
        (finding.get_absolute_url(), str(finding)),
        ("/plan/", "Ofsted Improvement Plan"),
        (priority.get_absolute_url(), str(priority)),
        ("/plan/measures/", "Measures"),
        (measure.get_absolute_url(), measure.title),
        ("/scrutiny/", "Scrutiny"),
        (meeting.get_absolute_url(), f"{meeting.title or 'Meeting'}, 21 February 2022"),
    ]
    for path, heading in pages:
        page.goto(path)
        expect(page).to_have_url(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.locator(".app-service-navigation__user")).to_contain_text("Colin Councillor (Councillor)")
        assert_no_axe_violations(page)


# Downloads and the health check: not pages a person reads.
NOT_PAGES = {"healthz", "improvement:bulk_update_template", "scrutiny:briefing_pack_version_content"}


def _first_who_reads(access):
    """The persona who may open the page: an officer where they may, else an administrator."""
    for persona in ("officer", "admin", "anonymous"):
        if access.get[pages.PERSONAS.index(persona)] == 200:
            return persona
    return None


@pytest.mark.parametrize("persona", ["officer", "admin"])
def test_every_page_of_the_site_passes_axe(page, live_server, request, persona):
    """Every URL in the permission matrix that the persona is the first to read (see
    `_first_who_reads`), with objects made by factories: the officers' forms, bulk update and
    briefing pack pages, and the administrators' import pages included."""
    sync_themes(apps)  # fixture previews name themes; transactional tests flush the migration's
    user = request.getfixturevalue(persona)
    sign_in(page, live_server, user)
    checked = []
    for pattern in pages.url_patterns():
        access = pages.ACCESS.get(pattern.name)
        if access is None or _first_who_reads(access) != persona or pattern.name in NOT_PAGES:
            continue
        path = pattern.url(user)
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_no_axe_violations(page)
        checked.append(pattern.name)

    assert len(checked) >= {"officer": 40, "admin": 2}[persona], checked


def test_the_audit_trail_passes_axe(page, live_server, admin, record):
    # A rating and an admin-style change, so that the table shows before and after.
    priority = Priority.objects.exclude(updates=None).first()
    priority.record_rating(by=admin, rating="amber", commentary="Checked against the February report.")
    sign_in(page, live_server, admin)
    page.goto("/audit/")
    expect(page).to_have_url(f"{live_server.url}/audit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit trail")
    expect(page.get_by_role("link", name="Audit trail")).to_have_count(1)
    assert_no_axe_violations(page)
    page.goto("/audit/?start=31/2/2022")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)
