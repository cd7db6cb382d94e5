"""Councillors' pages read against the real record (`load_letters`): the overview, the finding
trace, coverage, the inspection, the plan, a measure and a meeting, with the faults councillors
met fixed. One test per page, since loading the record takes a while."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from improvement.models import ImprovementPlan, Measure
from inspections.models import Finding, Inspection
from scrutiny.models import Meeting
from tests.pages import text_by_id

pytestmark = pytest.mark.django_db

GREEN_PRIORITY = "Voice and influence of children, young people and families"


@pytest.fixture
def read(client, councillor):
    call_command("load_letters", verbosity=0)
    client.force_login(councillor)

    def read(url):
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        return response.content.decode()

    return read


def test_the_overview(read):
    page = read(reverse("home"))

    # The current plan's priorities only, each with its rating as a labelled tag.
    assert "Priorities of the Ofsted Improvement Plan" in page
    priorities = text_by_id(page, "overview-priorities")
    assert f"{GREEN_PRIORITY} Green First rating" in priorities
    assert priorities.count("Priority (not named in the source) Amber First rating") == 3
    assert "Services to care leavers" not in priorities and "Quality Assurance" not in priorities
    assert f'{escape(GREEN_PRIORITY)}</a> \n<strong class="app-rag app-rag--green">Green</strong>' in page
    assert (
        text_by_id(page, "rating-counts")
        == "Red 0 priorities Amber 3 priorities Green 1 priority Not rated 0 priorities"
    )

    # The February 2022 measure values on the plan's scorecard, each saying why it is not rated.
    scorecard = text_by_id(page, "scorecard")
    for title, latest in [
        ("Initial Child Protection Conferences within 15 days of a Section 47", "60%"),
        ("Children subject to a child protection plan who were subject to a previous CP Plan", "31%"),
        ("Care leavers in unsuitable accommodation", "29%"),
        ("Initial assessments completed in 45 days", "68%"),
    ]:
        assert f"{title} Latest value {latest} As reported on 21 February 2022" in scorecard
    assert "Retention payments taken up" not in scorecard  # the focus topic's, not the plan's
    assert scorecard.count("Not rated: no target is set.") == 4
    assert scorecard.count("Whether higher or lower is better is not set, so there is no course to judge.") == 4
    assert scorecard.count("Devon: one value,") == 8  # each trend line's text alternative, in its <desc> and beside it

    # Open scrutiny actions, the overdue one marked and first; no plan action is overdue.
    assert text_by_id(page, "open-scrutiny-actions-count") == "5 scrutiny actions are open, of which 1 is overdue."
    actions = text_by_id(page, "open-scrutiny-actions")
    assert actions.startswith("The Committee to make a recommendation to Cabinet at the Children's Scrutiny Committee")
    assert "Overdue Open, due 15 March 2022" in actions
    assert text_by_id(page, "overdue-actions-count") == "0 actions of the plan are open past their due date."
    assert text_by_id(page, "meetings") == (
        "Next meeting: none scheduled Last meeting: Children's Standing Overview Group, 4 April 2022"
    )

    # The golden thread counts only findings that call for an answer (not 44 of 61).
    thread = text_by_id(page, "golden-thread")
    assert (
        "Inspection of local authority arrangements for the protection of children, April 2013: "
        "19 call for an answer, 11 with nothing answering them" in thread
    )
    assert "Inspection of Local Authority Children's Services (ILACS), January 2020: 12 call for an answer, 4" in thread
    assert "First Monitoring Visit" not in thread
    assert text_by_id(page, "latest-inspection").startswith(
        "Latest: Monitoring visit to Devon children's services, 2 February 2022 to 3 February 2022"
    )


def test_the_finding_trace(read):
    # A 2020 area for improvement: the September 2020 visit's findings revisit it.
    area = Finding.objects.get(inspection__kind="ilacs_inspection", kind="area_for_improvement", number=1)
    page = read(area.get_absolute_url())

    assert "Area for improvement 1" in page and "Services to care leavers" in page
    later = text_by_id(page, "revisited-by")
    for paragraph in ("3.3", "3.4", "3.5", "3.7"):
        assert f"(paragraph {paragraph}) of First Monitoring Visit, 22 September 2020 to 23 September 2020" in later
    assert "the health of care leavers and the issuing of health passports has been slow to improve" in later
    assert text_by_id(page, "answering-priorities").startswith("Services to care leavers Not rated Improvement Plan")

    # A May 2021 concern: the February 2022 visit says the practice continues.
    concern = Finding.objects.get(inspection__kind="focused_visit", kind="concern", number=1)
    later = text_by_id(read(concern.get_absolute_url()), "revisited-by")
    assert later.startswith("Finding 4 of Monitoring visit to Devon children's services, 2 February 2022")
    assert "While professional challenge is increasing" in later

    # A 2013 concern: its source, date and paragraph, and the priority that answers it with its lead.
    quoted = Finding.objects.get(inspection__kind="protection_inspection", kind="concern", paragraph="51")
    page = read(quoted.get_absolute_url())
    source = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Inspection Inspection of local authority arrangements for the protection of children" in source
    assert "Date Visit April 2013" in source and "Paragraph 51" in source
    assert "Quality Assurance Not rated Ofsted Action Plan · lead: David Taylor" in text_by_id(
        page, "answering-priorities"
    )


def test_coverage_and_the_inspection_page(read):
    inspection = Inspection.objects.get(kind="protection_inspection")
    coverage = text_by_id(read(reverse("inspections:coverage", args=[inspection.pk])), "coverage")

    assert coverage.count("Required action") == 7
    assert coverage.count("Concern") == 12
    assert "Strength" not in coverage
    tags = re.findall(r"Nothing answers this yet|Answered", coverage)
    assert tags == ["Nothing answers this yet"] * 11 + ["Answered"] * 8  # gaps first

    visit = Inspection.objects.get(kind="monitoring_visit", visit_start="2022-02-02")
    assert "This inspection has no area for improvement, required action or concern recorded." in read(
        reverse("inspections:coverage", args=[visit.pk])
    )

    ilacs = Inspection.objects.get(kind="ilacs_inspection")
    page = read(ilacs.get_absolute_url())
    assert reverse("inspections:coverage", args=[ilacs.pk]) in page
    assert "12 findings call for an answer; <strong>4 have nothing answering them yet.</strong>" in page
    assert '<h2 class="govuk-heading-m">Areas for improvement</h2>' in page
    assert '<h2 class="govuk-heading-m">Concerns</h2>' in page
    assert "Area for improvements" not in page


def test_the_plan_pages(read):
    page = read(reverse("improvement:plan"))

    assert '<h1 class="govuk-heading-l">Ofsted Improvement Plan</h1>' in page
    assert text_by_id(page, "all-plans") == (
        "Ofsted Improvement Plan (this page) Current plan "
        "Devon County Council · latest progress update 21 February 2022 "
        "Improvement Plan Devon County Council · latest progress update 2020 "
        "Ofsted Action Plan Devon County Council · signed off 13 September 2013"
    )
    assert "Period Not given in the sources Latest progress update 21 February 2022" in text_by_id(page, "plan-summary")

    earlier = read(ImprovementPlan.objects.get(reference="2013-ofsted-action-plan").get_absolute_url())
    assert "Earlier plan · Devon County Council" in earlier
    assert "This is not the plan the dashboards follow." in earlier
    assert "Quality Assurance" in text_by_id(earlier, "plan-priorities")


def test_the_meeting_page(read):
    page = read(Meeting.objects.get(date="2022-02-21").get_absolute_url())

    # Agenda items numbered once.
    assert "<strong>4.1 Improvement Plan Monitoring</strong>" in page
    assert "1. 4.1" not in page
    # A discussion point's topic printed once.
    assert page.count("Care Leavers in suitable and unsuitable accommodation") == 1
    assert (
        "<strong>Care Leavers in suitable and unsuitable accommodation</strong> – Members asked for clarification"
        in page
    )
    # The action due 15 March 2022 is overdue, not plain "Open".
    assert (
        '<strong class="govuk-tag govuk-tag--red">Overdue</strong> <span class="govuk-body-s">Open, due 15 March 2022'
        in page
    )


def test_the_measure_page(read):
    page = read(Measure.objects.get(reference="dcc-icpc-within-15-days-of-section-47").get_absolute_url())

    assert text_by_id(page, "polarity") == "Not set: the sources do not say whether higher or lower is better."
    assert text_by_id(page, "rating-reason") == "Not rated: no target is set."
    assert text_by_id(page, "direction").startswith("No direction of travel yet")
    assert text_by_id(page, "trajectory") == (
        "No target to judge against Whether higher or lower is better is not set, so there is no course to judge."
    )
    assert '<title id="measure-chart-title">' in page
    assert text_by_id(page, "measure-values-table").endswith("As reported on 21 February 2022 60%")
    # Only "Measures" is the current page in the navigation.
    assert re.search(r'href="/plan/measures/" aria-current="page"', page)
    assert not re.search(r'href="/plan/" aria-current="page"', page)
