"""A synthetic county: about ten years of inspections, plans, ratings, measures and scrutiny for
one clearly labelled, invented authority, at any scale, for benchmarks and the demo.

Deterministic: the same scale, seed and `today` give the same record. Dates are laid out
backwards from `today`, so that a record built today has actions due next month and overdue
ones, like a live plan. Rows are written with `bulk_create` in dependency order; nothing here
is ever mixed with the real record (see `seed_synthetic`, which refuses a database holding it).
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from config.roles import OFFICERS
from improvement.models import (
    Action,
    ComparatorGroup,
    ComparatorValue,
    DueDateChange,
    ImprovementPlan,
    Measure,
    MeasureValue,
    Priority,
    ProgressUpdate,
)
from inspections.models import (
    Authority,
    DatePrecision,
    Finding,
    FindingFollowUp,
    Inspection,
    InspectionInspector,
    Judgement,
    Person,
    Theme,
    VisitArea,
)
from scrutiny.models import (
    AgendaItem,
    Committee,
    Meeting,
    Membership,
    Recommendation,
    ScrutinyAction,
    ScrutinyActionUpdate,
)

SHORT_NAME = "Synthetica"
NAME = "Synthetic County Council (synthetic data)"
LABEL = "Synthetic data: invented for testing and demonstration; no real authority, person or child."

BATCH = 5_000

# Practice areas the invented findings, priorities and measures are about.
AREAS = [
    ("mash-and-front-door", "the multi-agency safeguarding hub"),
    ("assessment-and-professional-curiosity", "the quality of assessments"),
    ("child-protection", "child protection planning"),
    ("neglect", "responses to neglect"),
    ("children-in-care", "planning for children in care"),
    ("permanence", "timely permanence"),
    ("care-leavers", "support for care leavers"),
    ("early-help", "early help"),
    ("voice-of-the-child", "the voice of the child in plans"),
    ("management-oversight-and-supervision", "management oversight and supervision"),
    ("quality-assurance", "quality assurance"),
    ("workforce", "recruitment and retention of social workers"),
    ("missing-children", "return home interviews for missing children"),
    ("partnership-working", "partnership working with health and police"),
]
VERDICTS = ["is not consistently good", "has improved", "requires further improvement", "is a strength"]
FIRST_NAMES = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Kim", "Lee", "Ash", "Jamie", "Morgan", "Taylor"]
LAST_NAMES = ["Ashdown", "Brook", "Carrow", "Dunmere", "Elstow", "Farleigh", "Grange", "Holme", "Ivybridge", "Keld"]
MEASURES = [
    ("Initial assessments completed within 45 working days", Measure.Unit.PERCENTAGE, "higher", 60, 92),
    ("Initial child protection conferences within 15 working days", Measure.Unit.PERCENTAGE, "higher", 55, 90),
    ("Children subject to a second or subsequent child protection plan", Measure.Unit.PERCENTAGE, "lower", 12, 30),
    ("Care leavers in suitable accommodation", Measure.Unit.PERCENTAGE, "higher", 70, 95),
    ("Social work vacancies", Measure.Unit.COUNT, "lower", 10, 80),
    ("Average caseload per social worker", Measure.Unit.COUNT, "lower", 14, 26),
    ("Days from entering care to an adoption placement", Measure.Unit.DAYS, "lower", 300, 600),
    ("Return home interviews offered within 72 hours", Measure.Unit.PERCENTAGE, "higher", 50, 95),
]


@dataclass(frozen=True)
class Counts:
    """What scale 1 means: about ten years of one county."""

    inspections: int = 10
    findings_per_inspection: int = 30
    plans: int = 3
    priorities: int = 40
    actions_per_priority: int = 50
    updates_per_action: int = 20
    measures: int = 150
    committees: int = 12
    meetings_per_committee: int = 50
    scrutiny_actions_per_meeting: int = 5
    officers: int = 60
    users: int = 20


@dataclass
class Summary:
    counts: dict

    def __str__(self):
        return ", ".join(f"{count:,} {name}" for name, count in self.counts.items())


# The least of each thing a county has, however small the scale: the demo's county is small
# but still has visits, an earlier plan, a task group and a scorecard.
FLOORS = {"inspections": 4, "plans": 2, "priorities": 4, "measures": 8, "committees": 4, "officers": 10, "users": 3}


def scaled(value, scale, floor=1):
    return max(floor, round(value * scale))


class Builder:
    def __init__(self, *, scale, seed, today, password=None):
        self.scale = scale
        self.random = random.Random(seed)
        self.today = today
        self.start = today.replace(day=1) - dt.timedelta(days=365 * 10)
        self.password = password
        self.counts = {}
        self.c = Counts()

    # --- helpers ---------------------------------------------------------------------------

    def n(self, name):
        return scaled(getattr(self.c, name), self.scale, FLOORS.get(name, 1))

    def moment(self, day):
        """When an event dated `day` was entered: that afternoon."""
        return dt.datetime.combine(day, dt.time(16, 30), tzinfo=dt.UTC)

    def day_between(self, first, last):
        return first + dt.timedelta(days=self.random.randint(0, max(0, (last - first).days)))

    def create(self, model, objects):
        objects = model.objects.bulk_create(objects, batch_size=BATCH)
        self.counts[model._meta.verbose_name_plural] = self.counts.get(model._meta.verbose_name_plural, 0) + len(
            objects
        )
        return objects

    def link(self, field, pairs):
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in set(pairs)], batch_size=BATCH
        )

    # --- the record ------------------------------------------------------------------------

    @transaction.atomic
    def build(self):
        self.authority = Authority.objects.create(short_name=SHORT_NAME, name=NAME, region="Synthetic region")
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.people()
        self.inspections()
        self.plans()
        self.measures()
        self.scrutiny()
        return Summary(self.counts)

    def people(self):
        officers = [
            Person(
                name=f"{self.random.choice(FIRST_NAMES)} {self.random.choice(LAST_NAMES)} (synthetic {number})",
                job_title=self.random.choice(
                    ["Head of Service", "Service Manager", "Team Manager", "Principal Social Worker"]
                ),
                organisation=NAME,
            )
            for number in range(1, self.n("officers") + 1)
        ]
        self.officers = self.create(Person, officers)
        self.councillors = self.create(
            Person,
            [
                Person(name=f"Councillor {number} (synthetic)", title="Councillor", organisation=NAME)
                for number in range(1, 31)
            ],
        )
        self.inspectors = self.create(
            Person,
            [
                Person(name=f"Inspector {number} (synthetic)", organisation="Ofsted (synthetic)")
                for number in range(1, 13)
            ],
        )
        User = get_user_model()
        users = []
        for number in range(1, min(len(self.officers), self.n("users")) + 1):
            user = User(username=f"synthetic-officer-{number}", first_name="Synthetic", last_name=f"Officer {number}")
            if self.password:
                user.set_password(self.password)
            else:
                user.set_unusable_password()
            users.append(user)
        users = self.create(User, users)
        # They keep the plan current, as the people they are linked to would.
        officers = Group.objects.filter(name=OFFICERS).first()
        if officers:
            officers.user_set.add(*users)
        for person, user in zip(self.officers, users, strict=False):
            person.user = user
        Person.objects.bulk_update(self.officers[: len(users)], ["user"], batch_size=BATCH)
        self.users = users

    def inspections(self):
        count = self.n("inspections")
        years = (self.today - self.start).days / 365
        kinds = (
            [Inspection.Kind.PROTECTION_INSPECTION, Inspection.Kind.ILACS_INSPECTION]
            + [Inspection.Kind.MONITORING_VISIT] * max(0, count - 3)
            + [Inspection.Kind.FOCUSED_VISIT]
        )
        inspections = []
        for number, kind in enumerate(kinds[:count]):
            start = self.start + dt.timedelta(days=round(365 * years * number / count) + 20)
            inspections.append(
                Inspection(
                    authority=self.authority,
                    kind=kind,
                    title=f"{Inspection.Kind(kind).label} of {SHORT_NAME} (synthetic)",
                    visit_start=start,
                    visit_end=start + dt.timedelta(days=1 if kind != Inspection.Kind.ILACS_INSPECTION else 11),
                    letter_date=start + dt.timedelta(days=35),
                    summary=LABEL,
                )
            )
        self.inspection_rows = self.create(Inspection, inspections)
        graded = [
            i
            for i in self.inspection_rows
            if i.kind in (Inspection.Kind.ILACS_INSPECTION, Inspection.Kind.PROTECTION_INSPECTION)
        ]
        self.create(Judgement, [Judgement(inspection=i, grade="inadequate") for i in graded])
        self.create(
            InspectionInspector,
            [
                InspectionInspector(inspection=i, person=person, role="His Majesty's Inspector", signed_letter=lead)
                for i in self.inspection_rows
                for person, lead in zip(self.random.sample(self.inspectors, 2), (True, False), strict=True)
            ],
        )
        findings = []
        per = self.c.findings_per_inspection
        for inspection in self.inspection_rows:
            if inspection.kind == Inspection.Kind.ILACS_INSPECTION:
                mix = [
                    (Finding.Kind.AREA_FOR_IMPROVEMENT, 8),
                    (Finding.Kind.STRENGTH, 8),
                    (Finding.Kind.FINDING, per - 16),
                ]
            elif inspection.kind == Inspection.Kind.PROTECTION_INSPECTION:
                mix = [(Finding.Kind.REQUIRED_ACTION, 7), (Finding.Kind.CONCERN, 10), (Finding.Kind.FINDING, per - 17)]
            else:
                mix = [(Finding.Kind.HEADLINE, 3), (Finding.Kind.CONCERN, 5), (Finding.Kind.FINDING, per - 8)]
            paragraph = 0
            for kind, how_many in mix:
                for number in range(1, how_many + 1):
                    paragraph += 1
                    slug, area = self.random.choice(AREAS)
                    findings.append(
                        Finding(
                            inspection=inspection,
                            kind=kind,
                            number=number,
                            paragraph=str(paragraph),
                            text=f"Synthetic finding: {area} {self.random.choice(VERDICTS)}.",
                            timescale="within_three_months" if kind == Finding.Kind.REQUIRED_ACTION else "",
                        )
                    )
        self.findings = self.create(Finding, findings)
        self.answerable = [
            f
            for f in self.findings
            if f.kind in (Finding.Kind.AREA_FOR_IMPROVEMENT, Finding.Kind.REQUIRED_ACTION, Finding.Kind.CONCERN)
        ]
        self.link(Finding.themes.field, [(f.pk, self.themes[self.random.choice(AREAS)[0]].pk) for f in self.findings])
        areas = [f for f in self.findings if f.kind == Finding.Kind.AREA_FOR_IMPROVEMENT]
        visits = [i for i in self.inspection_rows if i.kind == Inspection.Kind.MONITORING_VISIT]
        self.create(
            VisitArea,
            [
                VisitArea(inspection=visit, number=number, text=f"Synthetic area covered {number}")
                for visit in visits
                for number in (1, 2, 3)
            ],
        )
        later = [
            f
            for f in self.findings
            if f.kind == Finding.Kind.FINDING and f.inspection.kind == Inspection.Kind.MONITORING_VISIT
        ]
        follow_ups = {}
        for finding in later:
            earlier = self.random.choice(areas) if areas else None
            if earlier and earlier.inspection.visit_start < finding.inspection.visit_start:
                follow_ups[(finding.pk, earlier.pk)] = FindingFollowUp(
                    finding=finding,
                    earlier=earlier,
                    progress=self.random.choice(FindingFollowUp.Progress.values),
                    evaluation="Synthetic evaluation of progress.",
                )
        self.create(FindingFollowUp, list(follow_ups.values()))

    def plans(self):
        plan_count = self.n("plans")
        plans = []
        for number in range(plan_count):
            # Spread over the years up to one before today, so that the current plan, however
            # many came before it, has been in force (and reported on) for at least a year.
            start = self.start + dt.timedelta(days=round((3650 - 565) * number / plan_count) + 200)
            plans.append(
                ImprovementPlan(
                    reference=f"synthetic-plan-{number + 1}",
                    title=f"Synthetic improvement plan {number + 1}",
                    authority=self.authority,
                    period_start=start,
                    period_precision=DatePrecision.MONTH,
                    governance_body="Synthetic Improvement Board",
                    status=ImprovementPlan.Status.CURRENT
                    if number == plan_count - 1
                    else ImprovementPlan.Status.EARLIER,
                    description=LABEL,
                )
            )
        self.plan_rows = self.create(ImprovementPlan, plans)
        # The current plan holds half the priorities; the earlier ones share the rest.
        total = self.n("priorities")
        current_share = total // 2
        shares = [
            current_share if plan is self.plan_rows[-1] else max(1, (total - current_share) // max(1, plan_count - 1))
            for plan in self.plan_rows
        ]
        priorities = []
        for plan, share in zip(self.plan_rows, shares, strict=True):
            for number in range(1, share + 1):
                slug, area = AREAS[(number - 1) % len(AREAS)]
                priorities.append(
                    Priority(
                        plan=plan,
                        reference=f"{plan.reference}-priority-{number}",
                        number=number,
                        title=f"Improve {area}",
                        lead=self.random.choice(self.officers),
                    )
                )
        self.priorities = self.create(Priority, priorities)
        self.link(
            Priority.findings.field,
            [(p.pk, self.random.choice(self.answerable).pk) for p in self.priorities for _ in range(2)],
        )
        self.link(
            Priority.themes.field,
            [(p.pk, self.themes[AREAS[(p.number - 1) % len(AREAS)][0]].pk) for p in self.priorities],
        )
        self.actions_and_updates()

    def actions_and_updates(self):
        actions = []
        # Each plan's actions start while it is the plan in force: until the next one starts, or
        # until today for the current plan.
        ends = {plan.pk: later.period_start for plan, later in zip(self.plan_rows, self.plan_rows[1:], strict=False)}
        for priority in self.priorities:
            plan_start = priority.plan.period_start
            plan_end = ends.get(priority.plan_id, self.today)
            for number in range(1, self.c.actions_per_priority + 1):
                start = self.day_between(plan_start, plan_end - dt.timedelta(days=30))
                due = start + dt.timedelta(days=self.random.randint(60, 540))
                month_precise = self.random.random() < 0.2
                actions.append(
                    Action(
                        priority=priority,
                        number=number,
                        description=f"Synthetic action {number} for {priority.title.lower()}.",
                        owner=self.random.choice(self.officers),
                        start_date=start,
                        due_date=due.replace(day=1) if month_precise else due,
                        due_date_precision=DatePrecision.MONTH if month_precise else DatePrecision.DAY,
                        no_finding_reason="" if number % 5 else "Raised by the service's own audit (synthetic).",
                    )
                )
        # Each action's history first, so that its status and dates are final when it is written.
        updates, moves = [], []
        ratings = ["red", "amber", "green"]
        for action in actions:
            rating = self.random.choice(ratings)
            when = action.start_date
            last = min(self.today, action.due_date + dt.timedelta(days=120))
            status = Action.Status.NOT_STARTED
            for step in range(self.c.updates_per_action):
                when = when + dt.timedelta(days=self.random.randint(14, 31))
                if when > last:
                    break
                if self.random.random() < 0.25:
                    rating = self.random.choice(ratings)
                new_status = ""
                completed_on = None
                if step == 0:
                    new_status = status = Action.Status.IN_PROGRESS
                elif status == Action.Status.IN_PROGRESS and when >= action.due_date and self.random.random() < 0.5:
                    new_status = status = Action.Status.COMPLETE
                    completed_on = when
                updates.append(
                    ProgressUpdate(
                        action=action,
                        date=when,
                        rating=rating,
                        status=new_status,
                        completed_on=completed_on,
                        commentary=f"Synthetic progress note {step + 1}.",
                        author=action.owner,
                        recorded_at=self.moment(when),
                        recorded_via="synthetic data",
                    )
                )
                if status == Action.Status.COMPLETE:
                    break
            action.status = status
            action.completed_on = updates[-1].completed_on if status == Action.Status.COMPLETE else None
            if self.random.random() < 0.1:
                moved_to = action.due_date + dt.timedelta(days=61)
                moves.append(
                    DueDateChange(
                        action=action,
                        previous_due_date=action.due_date,
                        previous_precision=action.due_date_precision,
                        due_date=moved_to.replace(day=1)
                        if action.due_date_precision == DatePrecision.MONTH
                        else moved_to,
                        due_date_precision=action.due_date_precision,
                        reason="Synthetic re-baselining: capacity moved to a higher priority.",
                        recorded_at=self.moment(self.day_between(action.start_date, action.due_date)),
                    )
                )
                action.original_due_date, action.original_due_date_precision = (
                    action.due_date,
                    action.due_date_precision,
                )
                action.due_date = moves[-1].due_date
        self.actions = self.create(Action, actions)
        self.link(
            Action.findings.field,
            [(a.pk, self.random.choice(self.answerable).pk) for a in self.actions if a.number % 5],
        )
        for priority in self.priorities:
            when = priority.plan.period_start
            rating = self.random.choice(ratings)
            while True:
                when = when + dt.timedelta(days=30)
                if when > self.today or when > priority.plan.period_start + dt.timedelta(days=1200):
                    break
                changed = self.random.random() < 0.3
                rating = self.random.choice(ratings) if changed else rating
                updates.append(
                    ProgressUpdate(
                        priority=priority,
                        date=when,
                        rating=rating,
                        commentary=f"Synthetic monthly report on {priority.title.lower()}.",
                        author=priority.lead,
                        recorded_at=self.moment(when),
                        recorded_via="synthetic data",
                    )
                )
        self.create(ProgressUpdate, updates)
        self.create(DueDateChange, moves)

    def measures(self):
        groups = self.create(
            ComparatorGroup,
            [
                ComparatorGroup(name=f"England (synthetic, {SHORT_NAME})", kind=ComparatorGroup.Kind.NATIONAL),
                ComparatorGroup(
                    name=f"Statistical neighbours (synthetic, {SHORT_NAME})",
                    kind=ComparatorGroup.Kind.STATISTICAL_NEIGHBOURS,
                ),
                ComparatorGroup(
                    name=f"Good authorities (synthetic, {SHORT_NAME})", kind=ComparatorGroup.Kind.GOOD_AUTHORITIES
                ),
                ComparatorGroup(name=f"Synthetic region ({SHORT_NAME})", kind=ComparatorGroup.Kind.REGION),
            ],
        )
        current = [p for p in self.priorities if p.plan_id == self.plan_rows[-1].pk]
        measures = []
        for number in range(1, self.n("measures") + 1):
            title, unit, polarity, low, high = MEASURES[(number - 1) % len(MEASURES)]
            target = Decimal(high - (high - low) // 4 if polarity == "higher" else low + (high - low) // 4)
            measures.append(
                Measure(
                    reference=f"synthetic-measure-{number}",
                    title=f"{title} ({number})",
                    unit=unit,
                    polarity=polarity,
                    target=target,
                    amber_tolerance=Decimal(max(1, (high - low) // 10)),
                    stable_margin=Decimal(1),
                    target_date=self.today + dt.timedelta(days=self.random.randint(90, 720)),
                    frequency=Measure.Frequency.MONTHLY,
                    data_period=Measure.DataPeriod.MONTH,
                    priority=self.random.choice(current)
                    if current and number % 3
                    else self.random.choice(self.priorities),
                    owner=self.random.choice(self.officers),
                    source="Synthetic performance report",
                )
            )
        self.measure_rows = self.create(Measure, measures)
        self.link(Measure.findings.field, [(m.pk, self.random.choice(self.answerable).pk) for m in self.measure_rows])
        values, comparators = [], []
        months = 120
        for index, measure in enumerate(self.measure_rows):
            _, unit, polarity, low, high = MEASURES[index % len(MEASURES)]
            level = self.random.uniform(low, high)
            trend = (high - low) / months * self.random.uniform(-0.5, 1.5) * (1 if polarity == "higher" else -1)
            for month in range(months):
                period = _month_start(self.today, months - month)
                level = min(high, max(low, level + trend + self.random.uniform(-1, 1) * (high - low) / 30))
                value = (
                    Decimal(round(level))
                    if unit == Measure.Unit.COUNT or unit == Measure.Unit.DAYS
                    else Decimal(f"{level:.1f}")
                )
                values.append(
                    MeasureValue(
                        measure=measure,
                        period_end=period,
                        period_precision=DatePrecision.MONTH,
                        value=min(value, Decimal(100)) if unit == Measure.Unit.PERCENTAGE else value,
                        recorded_at=self.moment(_month_start(self.today, months - month - 1) + dt.timedelta(days=9)),
                        recorded_via="synthetic data",
                    )
                )
                if month % 3 == 2:
                    for offset, group in enumerate(groups):
                        comparator = Decimal(round(low + (high - low) * (0.4 + 0.1 * offset)))
                        comparators.append(
                            ComparatorValue(
                                measure=measure,
                                group=group,
                                period_end=period,
                                period_precision=DatePrecision.MONTH,
                                value=comparator,
                            )
                        )
        self.create(MeasureValue, values)
        self.create(ComparatorValue, comparators)

    def scrutiny(self):
        count = self.n("committees")
        committees = self.create(
            Committee,
            [
                Committee(
                    name=f"Synthetic committee {number} ({SHORT_NAME})",
                    short_name=f"SC{number}",
                    kind=Committee.Kind.SCRUTINY_COMMITTEE if number % 4 else Committee.Kind.TASK_GROUP,
                    purpose=LABEL,
                )
                for number in range(1, count + 1)
            ],
        )
        self.link(Committee.plans.field, [(c.pk, self.plan_rows[-1].pk) for c in committees])
        self.create(
            Membership,
            [
                Membership(
                    committee=committee, person=person, role=Membership.Role.CHAIR if n == 0 else Membership.Role.MEMBER
                )
                for committee in committees
                for n, person in enumerate(self.random.sample(self.councillors, 6))
            ],
        )
        meetings = []
        span = (self.today + dt.timedelta(days=60) - self.start).days
        per = self.c.meetings_per_committee
        for committee in committees:
            for number in range(per):
                meetings.append(
                    Meeting(
                        committee=committee,
                        date=self.start + dt.timedelta(days=round(span * (number + 0.5) / per)),
                        start_time=dt.time(10, 0),
                        end_time=dt.time(12, 30),
                        venue="Synthetic County Hall",
                    )
                )
        self.meetings = self.create(Meeting, meetings)
        items = []
        for meeting in self.meetings:
            for number, title in enumerate(
                ["Minutes", "Improvement plan monitoring", "Performance scorecard", "Ofsted visit"], 1
            ):
                items.append(
                    AgendaItem(
                        meeting=meeting, number=number, title=title, plan=self.plan_rows[-1] if number == 2 else None
                    )
                )
        self.create(AgendaItem, items)
        actions = []
        for meeting in self.meetings:
            for number in range(1, self.c.scrutiny_actions_per_meeting + 1):
                actions.append(
                    ScrutinyAction(
                        meeting=meeting,
                        number=number,
                        text=f"Synthetic scrutiny action {number}: officers to report back.",
                        owner=self.random.choice(self.officers),
                        due_date=meeting.date + dt.timedelta(days=self.random.randint(14, 120)),
                    )
                )
        updates = []
        for action in actions:
            when = action.meeting.date + dt.timedelta(days=self.random.randint(7, 60))
            if when <= self.today and self.random.random() < 0.8:
                done = self.random.random() < 0.7
                action.status = ScrutinyAction.Status.COMPLETE if done else ScrutinyAction.Status.IN_PROGRESS
                updates.append(
                    ScrutinyActionUpdate(
                        action=action,
                        date=when,
                        commentary="Synthetic update.",
                        status=action.status,
                        author=action.owner,
                        recorded_at=self.moment(when),
                        recorded_via="synthetic data",
                    )
                )
        self.scrutiny_actions = self.create(ScrutinyAction, actions)
        self.link(
            ScrutinyAction.findings.field,
            [(a.pk, self.random.choice(self.answerable).pk) for a in self.scrutiny_actions if a.number == 1],
        )
        self.create(ScrutinyActionUpdate, updates)
        task_groups = [c for c in committees if c.kind == Committee.Kind.TASK_GROUP]
        self.create(
            Recommendation,
            [
                Recommendation(
                    committee=group,
                    made_on=self.today - dt.timedelta(days=400 + 30 * number),
                    number=number,
                    text=f"Synthetic recommendation {number}.",
                    addressed_to="Cabinet",
                )
                for group in task_groups
                for number in range(1, 6)
            ],
        )


def _month_start(today, months_ago):
    year, month = divmod(today.year * 12 + today.month - 1 - months_ago, 12)
    return dt.date(year, month + 1, 1)


def build(*, scale=1, seed=1, today=None, password=None):
    """Write the synthetic county into the current database; returns what it created."""
    from django.utils import timezone

    return Builder(scale=scale, seed=seed, today=today or timezone.localdate(), password=password).build()
