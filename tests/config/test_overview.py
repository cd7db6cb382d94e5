"""The overview's numbers on a dataset built to tell the right count from its near misses:
overdue from merely open, cancelled and complete from open, the current plan from an earlier
one, the home authority from another. Each count links to the list of exactly what it counts."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from config.views import OVERVIEW_PRIORITIES, OVERVIEW_ROWS
from improvement.models import Action, ImprovementPlan, Rating
from inspections.models import DatePrecision, Finding
from scrutiny.models import ScrutinyAction
from tests.factories import (
    ActionFactory,
    AuthorityFactory,
    CommitteeFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    MeasureFactory,
    MeasureValueFactory,
    MeetingFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ScrutinyActionFactory,
    home_authority,
)
from tests.pages import text_by_id

pytestmark = pytest.mark.django_db


def rated(plan, *ratings, title=""):
    """A priority of the plan with these ratings in turn (an unrated update for None)."""
    priority = PriorityFactory(plan=plan, title=title or f"Priority rated {'-'.join(map(str, ratings))}")
    for month, rating in enumerate(ratings, start=1):
        ProgressUpdateFactory(
            priority=priority, action=None, date=dt.date(2022, month, 1), rating=rating, commentary="Progress."
        )
    return priority


@pytest.fixture
def world():
    today = timezone.localdate()
    devon, elsewhere = home_authority(), AuthorityFactory()
    plan = ImprovementPlanFactory(authority=devon, status=ImprovementPlan.Status.CURRENT, title="The current plan")
    earlier = ImprovementPlanFactory(authority=devon, title="An earlier plan")
    theirs = ImprovementPlanFactory(authority=elsewhere, status=ImprovementPlan.Status.CURRENT)

    # Ratings: 2 red (one worse than before), 1 amber, 1 green, 2 not rated (a note only; nothing).
    red = rated(plan, Rating.AMBER, Rating.RED, title="Worse than before")
    rated(plan, Rating.RED)
    rated(plan, Rating.AMBER)
    rated(plan, Rating.GREEN)
    rated(plan, None)
    rated(plan)
    for other in (earlier, theirs):
        rated(other, Rating.RED)
        rated(other, Rating.GREEN)

    # Actions: 2 overdue; the rest open but not yet due, done, cancelled, or another plan's.
    past = today - dt.timedelta(days=10)
    ActionFactory(priority=red, start_date=past - dt.timedelta(days=30), due_date=past, description="Overdue 1")
    ActionFactory(
        priority=red,
        start_date=past - dt.timedelta(days=30),
        due_date=past,
        status=Action.Status.IN_PROGRESS,
        description="Overdue 2",
    )
    ActionFactory(priority=red, start_date=past, due_date=today + dt.timedelta(days=5), description="Not yet due")
    # Due "this month": not overdue until the month is over.
    ActionFactory(
        priority=red,
        start_date=today.replace(day=1) - dt.timedelta(days=40),
        due_date=today.replace(day=1),
        due_date_precision=DatePrecision.MONTH,
        description="Due this month",
    )
    ActionFactory(
        priority=red,
        start_date=past - dt.timedelta(days=30),
        due_date=past,
        status=Action.Status.COMPLETE,
        completed_on=past,
        description="Done",
    )
    ActionFactory(
        priority=red,
        start_date=past - dt.timedelta(days=30),
        due_date=past,
        status=Action.Status.CANCELLED,
        description="Cancelled",
    )
    ActionFactory(
        priority=earlier.priorities.first(),
        start_date=past - dt.timedelta(days=30),
        due_date=past,
        description="Another plan's",
    )

    # Scrutiny: 4 open (1 overdue) from the committees that receive the plan or about its
    # priorities; complete, cancelled and another plan's committee's are not counted.
    committee = CommitteeFactory()
    committee.plans.set([plan])
    subgroup = CommitteeFactory(parent=committee)
    others = CommitteeFactory()
    others.plans.set([earlier])
    meeting = MeetingFactory(committee=committee, date=today - dt.timedelta(days=30))
    ScrutinyActionFactory(meeting=meeting, due_date=today - dt.timedelta(days=1), text="Overdue scrutiny")
    ScrutinyActionFactory(meeting=meeting, status=ScrutinyAction.Status.IN_PROGRESS, text="In progress")
    ScrutinyActionFactory(meeting=meeting, status=ScrutinyAction.Status.COMPLETE, text="Complete")
    ScrutinyActionFactory(meeting=meeting, status=ScrutinyAction.Status.CANCELLED, text="Cancelled")
    ScrutinyActionFactory(meeting=MeetingFactory(committee=subgroup, date=meeting.date), text="From the subgroup")
    ScrutinyActionFactory(meeting=MeetingFactory(committee=others, date=meeting.date), text="Another plan's")
    ScrutinyActionFactory(
        meeting=MeetingFactory(committee=CommitteeFactory(), date=meeting.date), priorities=[red], text="About it"
    )
    MeetingFactory(committee=others, date=today + dt.timedelta(days=2), title="Sooner, but not the plan's")
    MeetingFactory(committee=committee, date=today + dt.timedelta(days=9), title="The plan's next meeting")

    # Inspections: another authority's is later, but the latest is the home authority's.
    ours = InspectionFactory(authority=devon, title="Our latest inspection", visit_start=dt.date(2022, 2, 2))
    InspectionFactory(authority=elsewhere, title="Their inspection", visit_start=dt.date(2023, 1, 9))
    FindingFactory(inspection=ours, kind=Finding.Kind.AREA_FOR_IMPROVEMENT)
    FindingFactory(inspection=ours, kind=Finding.Kind.STRENGTH)

    # The scorecard: the plan's own and its priorities' measures, not another plan's.
    listed = MeasureFactory(title="On the scorecard", plans=[plan], target=Decimal("80"), target_date=None)
    MeasureValueFactory(measure=listed, period_end=dt.date(2022, 1, 31), value=Decimal("70"))
    MeasureValueFactory(measure=listed, period_end=dt.date(2022, 2, 28), value=Decimal("78"))
    MeasureFactory(title="Under a priority", priority=red)
    MeasureFactory(title="Another plan's measure", priority=earlier.priorities.first())
    return plan


@pytest.fixture
def page(client, councillor, world):
    client.force_login(councillor)
    return client.get(reverse("home")).content.decode()


def test_the_counts_by_rating_are_the_current_plans(page):
    assert text_by_id(page, "rating-counts") == (
        "Red 2 priorities Amber 1 priority Green 1 priority Not rated 2 priorities"
    )
    priorities = text_by_id(page, "overview-priorities")
    assert "Worse than before Red Worsened since the previous rating (was Amber)" in priorities
    assert "An earlier plan" not in text_by_id(page, "main-content")


def test_only_overdue_actions_of_the_plan_are_counted(page):
    assert text_by_id(page, "overdue-actions-count") == "2 actions of the plan are open past their due date."
    listed = text_by_id(page, "overdue-actions")
    assert "Overdue 1" in listed and "Overdue 2" in listed
    for near_miss in ("Not yet due", "Due this month", "Done", "Cancelled", "Another plan's"):
        assert near_miss not in listed


def test_only_open_scrutiny_actions_about_the_plan_are_counted(page):
    assert text_by_id(page, "open-scrutiny-actions-count") == ("4 scrutiny actions are open, of which 1 is overdue.")
    listed = text_by_id(page, "open-scrutiny-actions")
    assert listed.startswith("Overdue scrutiny Overdue")
    for counted in ("In progress", "From the subgroup", "About it"):
        assert counted in listed
    for near_miss in ("Complete", "Cancelled", "Another plan's"):
        assert near_miss not in listed


def test_the_next_meeting_latest_inspection_and_scorecard_are_the_plans(page):
    meetings = text_by_id(page, "meetings")
    assert meetings.startswith("Next meeting: ") and meetings.index("The plan's next meeting") < meetings.index("Last")
    assert "Sooner, but not the plan's" not in text_by_id(page, "main-content")
    assert text_by_id(page, "latest-inspection").startswith("Latest: Our latest inspection")
    assert "1 calls for an answer, 1 with nothing answering it" in text_by_id(page, "golden-thread")
    scorecard = text_by_id(page, "scorecard")
    assert "On the scorecard Latest value 78% 28 February 2022 Target 80% (higher is better) Rating Amber" in scorecard
    assert "Direction of travel Improving, from 70% (31 January 2022)" in scorecard
    assert "Under a priority" in scorecard and "Another plan's measure" not in scorecard


def links_in(html, element_id):
    match = re.search(rf'id="{element_id}".*?</(ul|p)>', html, re.S)
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', match.group(0))]


def heading_count(client, url):
    page = client.get(url).content.decode()
    return int(re.search(r'<h1 class="govuk-heading-l">[^<(]+\((\d+)\)</h1>', page).group(1))


def test_each_count_links_to_the_list_of_what_it_counts(client, page, world):
    rating_links = links_in(page, "rating-counts")
    assert rating_links == [
        f"{reverse('improvement:priority_list')}?rating={rating}&plan={world.pk}"
        for rating in ("red", "amber", "green", "none")
    ]
    assert [heading_count(client, url) for url in rating_links] == [2, 1, 1, 2]

    [overdue_link] = links_in(page, "overdue-actions-count")
    assert heading_count(client, overdue_link) == 2

    open_link, overdue_scrutiny_link = links_in(page, "open-scrutiny-actions-count")
    assert heading_count(client, open_link) == 4
    assert heading_count(client, overdue_scrutiny_link) == 1


class TestAPlanLargerThanTheOverview:
    """The overview lists the first few of each kind and counts them all."""

    def test_priorities_beyond_those_listed_are_counted_by_rating(self, client, councillor, world):
        for _ in range(OVERVIEW_PRIORITIES):
            rated(world, Rating.GREEN)
        client.force_login(councillor)

        page = client.get(reverse("home")).content.decode()

        assert (
            text_by_id(page, "overview-priorities").count("last updated")
            + text_by_id(page, "overview-priorities").count("no update yet")
            == OVERVIEW_PRIORITIES
        )
        total = 6 + OVERVIEW_PRIORITIES
        assert f"The first {OVERVIEW_PRIORITIES} of {total} priorities" in page
        counts = re.findall(r"(Red|Amber|Green|Not rated)\s*(?:<[^>]+>\s*)*<strong>(\d+)</strong>", page)
        assert counts == [("Red", "2"), ("Amber", "1"), ("Green", str(1 + OVERVIEW_PRIORITIES)), ("Not rated", "2")]

    def test_only_the_most_recent_inspections_with_gaps_are_listed(self, client, councillor, world):
        for month in range(1, OVERVIEW_ROWS + 2):
            inspection = InspectionFactory(
                authority=world.authority, title=f"Visit {month}", visit_start=dt.date(2020, month, 1)
            )
            FindingFactory(inspection=inspection, kind=Finding.Kind.CONCERN)
        client.force_login(councillor)

        page = client.get(reverse("home")).content.decode()

        listed = text_by_id(page, "golden-thread")
        assert listed.startswith("Our latest inspection")
        # With the plan's own inspection, twelve call for an answer: the ten most recent are listed.
        assert "Visit 11" in listed and "Visit 3," in listed and "Visit 2," not in listed
        more = (
            f'The {OVERVIEW_ROWS} most recent: <a class="govuk-link" href="{reverse("inspections:inspection_list")}">'
        )
        assert more in page
