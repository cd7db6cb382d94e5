"""Every councillors' page runs the same number of queries with a little data and with a
factory-built dataset at least ten times the loaded record, in every collection the page shows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement.models import ImprovementPlan, Rating
from inspections.models import Finding, Inspection
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    CommitteeFactory,
    ComparatorGroupFactory,
    ComparatorValueFactory,
    DiscussionPointFactory,
    FindingFactory,
    FindingFollowUpFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    MeasureFactory,
    MeasureValueFactory,
    MeetingFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    ScrutinyActionFactory,
    ThemeFactory,
    VisitAreaFactory,
    home_authority,
)
from tests.pages import count_queries, keep_permissions

pytestmark = pytest.mark.django_db

# The largest of each collection a page shows in the loaded record (load_letters): the current
# plan's 4 priorities and 4 scorecard measures, 5 open scrutiny actions, the 2013 inspection's
# 21 findings, 4 later findings revisiting a 2020 area for improvement, a measure's 2 values and
# 9 comparator values, the CSOG meeting's 19 attendances and 15 discussion points.
RECORD = {
    "plan priorities": 4,
    "scorecard": 4,
    "open scrutiny actions": 5,
    "findings of an inspection": 21,
    "later findings of a finding": 4,
    "values of a measure": 2,
    "comparator values of a measure": 9,
    "attendances": 19,
    "discussion points": 15,
    "inspections": 6,
}


class World:
    """The pages' subjects, each growing by `grow()`: the current plan and an earlier one, an
    inspection and one of its findings, a measure, and a meeting of the plan's committee."""

    def __init__(self):
        self.today = timezone.localdate()
        devon = home_authority()
        self.plan = ImprovementPlanFactory(authority=devon, status=ImprovementPlan.Status.CURRENT)
        self.earlier = ImprovementPlanFactory(authority=devon)
        self.committee = CommitteeFactory()
        self.committee.plans.set([self.plan])
        self.meeting = MeetingFactory(committee=self.committee, date=self.today - dt.timedelta(days=40))
        MeetingFactory(committee=self.committee, date=self.today + dt.timedelta(days=7))
        self.inspection = InspectionFactory(authority=devon)
        self.finding = FindingFactory(inspection=self.inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=1)
        self.measure = MeasureFactory(plans=[self.plan], target_date=self.today + dt.timedelta(days=365))
        self.number = 1

    def grow(self, times):
        for _ in range(times):
            self._grow_once()

    def _grow_once(self):
        self.number += 1
        theme = ThemeFactory()
        priority = PriorityFactory(plan=self.plan, lead=PersonFactory(), findings=[self.finding], themes=[theme])
        for month, rating in ((1, Rating.AMBER), (2, Rating.GREEN)):
            ProgressUpdateFactory(priority=priority, action=None, date=dt.date(2022, month, 1), rating=rating)
        PriorityFactory(plan=self.earlier, findings=[self.finding])
        start, past = self.today - dt.timedelta(days=60), self.today - dt.timedelta(days=5)
        overdue = ActionFactory(priority=priority, owner=PersonFactory(), start_date=start, due_date=past)
        overdue.findings.add(self.finding)
        ProgressUpdateFactory(action=overdue, rating=Rating.RED)
        ActionFactory(priority=priority, start_date=start, due_date=past, status="cancelled", findings=[self.finding])

        # The scorecard and the measure page.
        scorecard = MeasureFactory(plans=[self.plan], priority=priority, findings=[self.finding])
        MeasureValueFactory(measure=scorecard, period_end=dt.date(2021, 1, 1) + dt.timedelta(days=self.number))
        ComparatorValueFactory(measure=scorecard)
        MeasureValueFactory(
            measure=self.measure, period_end=dt.date(2021, 1, 1) + dt.timedelta(days=self.number), value=self.number
        )
        for _ in range(2):
            ComparatorValueFactory(measure=self.measure, group=ComparatorGroupFactory(), value=Decimal("50"))
        self.measure.findings.add(FindingFactory(inspection=self.inspection, number=1000 + self.number))

        # The inspection, its coverage and the finding's trace.
        for kind in (Finding.Kind.AREA_FOR_IMPROVEMENT, Finding.Kind.CONCERN, Finding.Kind.STRENGTH):
            FindingFactory(inspection=self.inspection, kind=kind, themes=[theme], number=2000 + self.number)
        FindingFactory(inspection=self.inspection, kind=Finding.Kind.REQUIRED_ACTION, required_action=True)
        FindingFactory(inspection=self.inspection, kind=Finding.Kind.HEADLINE)
        FindingFollowUpFactory(earlier=self.finding)
        VisitAreaFactory(inspection=self.inspection).revisits.add(self.finding)
        self.finding.themes.add(theme)
        InspectionFactory(authority=self.inspection.authority)
        RecommendationFactory(findings=[self.finding], priorities=[priority])
        RecommendationFactory(findings=[self.finding], status="rejected")

        # Scrutiny: open actions of the plan's committee, and the meeting page's collections.
        ScrutinyActionFactory(meeting=self.meeting, owner=PersonFactory(), findings=[self.finding])
        ScrutinyActionFactory(meeting=self.meeting, due_date=self.today - dt.timedelta(days=1))
        AgendaItemFactory(meeting=self.meeting, number=self.number, inspection=self.inspection)
        for _ in range(3):
            DiscussionPointFactory(meeting=self.meeting, number=self.number * 10 + _)
        for _ in range(4):
            AttendanceFactory(meeting=self.meeting)

    def sizes(self):
        return {
            "plan priorities": self.plan.priorities.count(),
            "scorecard": self.plan.key_measures().count(),
            "open scrutiny actions": self.meeting.scrutiny_actions.count(),
            "findings of an inspection": self.inspection.findings.count(),
            "later findings of a finding": self.finding.later_follow_ups.count(),
            "values of a measure": self.measure.values.count(),
            "comparator values of a measure": self.measure.comparator_values.count(),
            "attendances": self.meeting.attendances.count(),
            "discussion points": self.meeting.discussion_points.count(),
            "inspections": Inspection.objects.count(),
        }

    def urls(self):
        return {
            "overview": reverse("home"),
            "inspection": self.inspection.get_absolute_url(),
            "coverage": reverse("inspections:coverage", args=[self.inspection.pk]),
            "finding trace": self.finding.get_absolute_url(),
            "current plan": reverse("improvement:plan"),
            "earlier plan": self.earlier.get_absolute_url(),
            "measure": self.measure.get_absolute_url(),
            "priority": self.plan.priorities.first().get_absolute_url(),
            "meeting": self.meeting.get_absolute_url(),
        }


def test_no_page_runs_more_queries_with_ten_times_the_record(client, councillor):
    client.force_login(councillor)
    keep_permissions(client)
    world = World()
    world.grow(1)
    small = {name: count_queries(client, url) for name, url in world.urls().items()}

    world.grow(49)

    sizes = world.sizes()
    assert all(sizes[name] >= 10 * RECORD[name] for name in RECORD), sizes
    large = {name: count_queries(client, url) for name, url in world.urls().items()}
    assert large == small
