"""A synthetic county: about ten years of inspections, plans, ratings, measures and scrutiny for
one clearly labelled, invented authority, at any scale, for benchmarks and the demo.

Deterministic: the same scale, seed and `today` give the same record, however it is chunked.
Dates are laid out backwards from `today`, so that a record built today has actions due next
month and overdue ones, like a live plan. Nothing here is ever mixed with the real record (see
`seed_synthetic`, which refuses a database holding it).

Rows are written in dependency order, a chunk at a time: the actions of so many priorities,
then their updates; the values of so many measures; the meetings of so many committees, then
their scrutiny actions. Memory holds one chunk, never the county, so scale 100 builds in the
memory scale 1 does. The largest tables, which nothing points back to, go in with COPY on
PostgreSQL and `bulk_create` elsewhere.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

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

# Rows per INSERT where `bulk_create` writes them.
BATCH = 5_000
# Priorities, measures or committees built and written together, with everything under them.
CHUNK = 100

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
RATINGS = ["red", "amber", "green"]
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


# The columns the largest tables are written with (`Builder.append`); every other field takes its default.
UPDATE_COLUMNS = (
    "priority_id",
    "action_id",
    "date",
    "rating",
    "status",
    "completed_on",
    "commentary",
    "author_id",
    "recorded_at",
    "recorded_via",
)
MOVE_COLUMNS = (
    "action_id",
    "previous_due_date",
    "previous_precision",
    "due_date",
    "due_date_precision",
    "reason",
    "recorded_at",
)
VALUE_COLUMNS = ("measure_id", "period_end", "period_precision", "value", "recorded_at", "recorded_via")
COMPARATOR_COLUMNS = ("measure_id", "group_id", "period_end", "period_precision", "value")
AGENDA_COLUMNS = ("meeting_id", "number", "title", "plan_id")
SCRUTINY_UPDATE_COLUMNS = ("action_id", "date", "commentary", "status", "author_id", "recorded_at", "recorded_via")


class Builder:
    def __init__(self, *, scale, seed, today, password=None, chunk=CHUNK, progress=None):
        self.scale = scale
        self.random = random.Random(seed)
        self.today = today
        self.start = today.replace(day=1) - dt.timedelta(days=365 * 10)
        self.password = password
        self.chunk = chunk
        self.progress = progress
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

    def report(self, message):
        if self.progress:
            self.progress(f"{time.perf_counter() - self.started:7.1f} s  {message}")

    def chunks(self, items, what):
        """`items` a chunk at a time, reporting about every tenth of the way through them."""
        total, reported = len(items), 0
        for first in range(0, total, self.chunk):
            yield items[first : first + self.chunk]
            done = min(total, first + self.chunk)
            if done == total or done * 10 // total > reported * 10 // total:
                self.report(f"{what}: {done:,} of {total:,}")
                reported = done

    def tally(self, model, count):
        name = model._meta.verbose_name_plural
        self.counts[name] = self.counts.get(name, 0) + count

    def create(self, model, objects):
        """Rows that others point to: written with `bulk_create`, which gives them their pks."""
        objects = model.objects.bulk_create(objects, batch_size=BATCH)
        self.tally(model, len(objects))
        return objects

    def append(self, model, columns, rows):
        """Rows nothing here points back to, each a tuple of plain values for the fields named (by
        attname) in `columns`; every other field takes its default."""
        self.tally(model, self.write(model, columns, rows))

    def link(self, field, pairs):
        through = field.remote_field.through
        columns = (f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id")
        self.write(through, columns, sorted(set(pairs)))

    def write(self, model, columns, rows):
        """Insert the rows and return how many: with COPY on PostgreSQL, several times faster than
        INSERT for millions of rows; with `bulk_create` elsewhere (SQLite: the demo and tests)."""
        if connection.vendor != "postgresql":
            objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            return len(model.objects.bulk_create(objects, batch_size=BATCH))
        fields = {field.attname: field for field in model._meta.concrete_fields}
        others = [
            field
            for field in model._meta.concrete_fields
            if field.attname not in columns and not field.primary_key and not field.generated
        ]
        # Defaults made afresh for each row (a history row's unique key), and the rest once.
        per_row = [field for field in others if field.has_default() and callable(field.default)]
        fixed = [field for field in others if field not in per_row]
        constants = tuple(field.get_db_prep_save(field.get_default(), connection) for field in fixed)
        makers = [field.default for field in per_row]
        names = [fields[name].column for name in columns] + [field.column for field in fixed + per_row]
        quote = connection.ops.quote_name
        sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
        count = 0
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row((*row, *constants, *(make() for make in makers)))
                count += 1
        return count

    # --- the record ------------------------------------------------------------------------

    @transaction.atomic
    def build(self):
        self.started = time.perf_counter()
        if connection.vendor == "postgresql":
            # Check the foreign keys of each chunk as it goes in, rather than millions of them at
            # once at commit: the server then queues one chunk's checks, and the time they take
            # shows in the progress.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.authority = Authority.objects.create(short_name=SHORT_NAME, name=NAME, region="Synthetic region")
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.people()
        self.report("people and their accounts")
        self.inspections()
        self.report("inspections and their findings")
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
        findings = self.create(Finding, findings)
        # What priorities, actions, measures and scrutiny actions answer, by pk.
        self.answerable = [
            f.pk
            for f in findings
            if f.kind in (Finding.Kind.AREA_FOR_IMPROVEMENT, Finding.Kind.REQUIRED_ACTION, Finding.Kind.CONCERN)
        ]
        self.link(Finding.themes.field, [(f.pk, self.themes[self.random.choice(AREAS)[0]].pk) for f in findings])
        areas = [f for f in findings if f.kind == Finding.Kind.AREA_FOR_IMPROVEMENT]
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
            for f in findings
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
            [(p.pk, self.random.choice(self.answerable)) for p in self.priorities for _ in range(2)],
        )
        self.link(
            Priority.themes.field,
            [(p.pk, self.themes[AREAS[(p.number - 1) % len(AREAS)][0]].pk) for p in self.priorities],
        )
        self.report("improvement plans and their priorities")
        self.actions_and_updates()

    def actions_and_updates(self):
        # Each plan's actions start while it is the plan in force: until the next one starts, or
        # until today for the current plan.
        ends = {plan.pk: later.period_start for plan, later in zip(self.plan_rows, self.plan_rows[1:], strict=False)}
        for priorities in self.chunks(self.priorities, "priorities with their actions and updates"):
            actions, histories, updates = [], [], []
            for priority in priorities:
                for number in range(1, self.c.actions_per_priority + 1):
                    action = self.action(priority, number, ends.get(priority.plan_id, self.today))
                    actions.append(action)
                    histories.append(self.history(action))
                updates += self.monthly_reports(priority)
            self.create(Action, actions)
            updates += [
                (None, action.pk, *step)
                for action, (steps, _, _) in zip(actions, histories, strict=True)
                for step in steps
            ]
            self.append(ProgressUpdate, UPDATE_COLUMNS, updates)
            self.append(
                DueDateChange,
                MOVE_COLUMNS,
                [(action.pk, *move) for action, (_, move, _) in zip(actions, histories, strict=True) if move],
            )
            self.link(
                Action.findings.field,
                [(action.pk, finding) for action, (_, _, finding) in zip(actions, histories, strict=True) if finding],
            )

    def action(self, priority, number, plan_end):
        start = self.day_between(priority.plan.period_start, plan_end - dt.timedelta(days=30))
        due = start + dt.timedelta(days=self.random.randint(60, 540))
        month_precise = self.random.random() < 0.2
        return Action(
            priority=priority,
            number=number,
            description=f"Synthetic action {number} for {priority.title.lower()}.",
            owner=self.random.choice(self.officers),
            start_date=start,
            due_date=due.replace(day=1) if month_precise else due,
            due_date_precision=DatePrecision.MONTH if month_precise else DatePrecision.DAY,
            no_finding_reason="" if number % 5 else "Raised by the service's own audit (synthetic).",
        )

    def history(self, action):
        """The action's progress updates and any move of its due date (each a row of
        `UPDATE_COLUMNS` or `MOVE_COLUMNS` without the action, which has no pk yet), and the
        finding it answers. Sets its status and dates to match, before it is written."""
        steps = []
        rating = self.random.choice(RATINGS)
        when = action.start_date
        last = min(self.today, action.due_date + dt.timedelta(days=120))
        status = Action.Status.NOT_STARTED
        completed_on = None
        for step in range(self.c.updates_per_action):
            when = when + dt.timedelta(days=self.random.randint(14, 31))
            if when > last:
                break
            if self.random.random() < 0.25:
                rating = self.random.choice(RATINGS)
            new_status = ""
            if step == 0:
                new_status = status = Action.Status.IN_PROGRESS
            elif status == Action.Status.IN_PROGRESS and when >= action.due_date and self.random.random() < 0.5:
                new_status = status = Action.Status.COMPLETE
                completed_on = when
            steps.append(
                (
                    when,
                    rating,
                    new_status,
                    completed_on if new_status == Action.Status.COMPLETE else None,
                    f"Synthetic progress note {step + 1}.",
                    action.owner_id,
                    self.moment(when),
                    "synthetic data",
                )
            )
            if status == Action.Status.COMPLETE:
                break
        action.status = status
        action.completed_on = completed_on
        move = None
        if self.random.random() < 0.1:
            moved_to = action.due_date + dt.timedelta(days=61)
            move = (
                action.due_date,
                action.due_date_precision,
                moved_to.replace(day=1) if action.due_date_precision == DatePrecision.MONTH else moved_to,
                action.due_date_precision,
                "Synthetic re-baselining: capacity moved to a higher priority.",
                self.moment(self.day_between(action.start_date, action.due_date)),
            )
            action.original_due_date, action.original_due_date_precision = action.due_date, action.due_date_precision
            action.due_date = move[2]
        finding = self.random.choice(self.answerable) if action.number % 5 else None
        return steps, move, finding

    def monthly_reports(self, priority):
        """The priority's monthly ratings while its plan is in force: rows of `UPDATE_COLUMNS`."""
        reports = []
        when = priority.plan.period_start
        rating = self.random.choice(RATINGS)
        while True:
            when = when + dt.timedelta(days=30)
            if when > self.today or when > priority.plan.period_start + dt.timedelta(days=1200):
                return reports
            if self.random.random() < 0.3:
                rating = self.random.choice(RATINGS)
            reports.append(
                (
                    priority.pk,
                    None,
                    when,
                    rating,
                    "",
                    None,
                    f"Synthetic monthly report on {priority.title.lower()}.",
                    priority.lead_id,
                    self.moment(when),
                    "synthetic data",
                )
            )

    def measures(self):
        self.groups = self.create(
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
        for numbers in self.chunks(range(1, self.n("measures") + 1), "measures with their values and comparators"):
            measures, findings, series = [], [], []
            for number in numbers:
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
                findings.append(self.random.choice(self.answerable))
                series.append(self.monthly_values(number))
            self.create(Measure, measures)
            self.link(Measure.findings.field, [(m.pk, f) for m, f in zip(measures, findings, strict=True)])
            self.append(
                MeasureValue,
                VALUE_COLUMNS,
                [(m.pk, *value) for m, (values, _) in zip(measures, series, strict=True) for value in values],
            )
            self.append(
                ComparatorValue,
                COMPARATOR_COLUMNS,
                [(m.pk, *value) for m, (_, comparators) in zip(measures, series, strict=True) for value in comparators],
            )

    def monthly_values(self, number):
        """Ten years of the measure's monthly values, and each quarter its comparator groups':
        rows of `VALUE_COLUMNS` and `COMPARATOR_COLUMNS` without the measure."""
        _, unit, polarity, low, high = MEASURES[(number - 1) % len(MEASURES)]
        values, comparators = [], []
        months = 120
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
                (
                    period,
                    DatePrecision.MONTH,
                    min(value, Decimal(100)) if unit == Measure.Unit.PERCENTAGE else value,
                    self.moment(_month_start(self.today, months - month - 1) + dt.timedelta(days=9)),
                    "synthetic data",
                )
            )
            if month % 3 == 2:
                for offset, group in enumerate(self.groups):
                    comparator = Decimal(round(low + (high - low) * (0.4 + 0.1 * offset)))
                    comparators.append((group.pk, period, DatePrecision.MONTH, comparator))
        return values, comparators

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
        span = (self.today + dt.timedelta(days=60) - self.start).days
        per = self.c.meetings_per_committee
        for chunk in self.chunks(committees, "committees with their meetings and scrutiny actions"):
            meetings = self.create(
                Meeting,
                [
                    Meeting(
                        committee=committee,
                        date=self.start + dt.timedelta(days=round(span * (number + 0.5) / per)),
                        start_time=dt.time(10, 0),
                        end_time=dt.time(12, 30),
                        venue="Synthetic County Hall",
                    )
                    for committee in chunk
                    for number in range(per)
                ],
            )
            self.append(
                AgendaItem,
                AGENDA_COLUMNS,
                [
                    (meeting.pk, number, title, self.plan_rows[-1].pk if number == 2 else None)
                    for meeting in meetings
                    for number, title in enumerate(
                        ["Minutes", "Improvement plan monitoring", "Performance scorecard", "Ofsted visit"], 1
                    )
                ],
            )
            self.scrutiny_actions(meetings)
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

    def scrutiny_actions(self, meetings):
        """The actions agreed at the meetings, each with any update and the finding it answers."""
        actions, updates, findings = [], [], []
        for meeting in meetings:
            for number in range(1, self.c.scrutiny_actions_per_meeting + 1):
                action = ScrutinyAction(
                    meeting=meeting,
                    number=number,
                    text=f"Synthetic scrutiny action {number}: officers to report back.",
                    owner=self.random.choice(self.officers),
                    due_date=meeting.date + dt.timedelta(days=self.random.randint(14, 120)),
                )
                when = meeting.date + dt.timedelta(days=self.random.randint(7, 60))
                update = None
                if when <= self.today and self.random.random() < 0.8:
                    done = self.random.random() < 0.7
                    action.status = ScrutinyAction.Status.COMPLETE if done else ScrutinyAction.Status.IN_PROGRESS
                    update = (
                        when,
                        "Synthetic update.",
                        action.status,
                        action.owner_id,
                        self.moment(when),
                        "synthetic data",
                    )
                actions.append(action)
                updates.append(update)
                findings.append(self.random.choice(self.answerable) if number == 1 else None)
        self.create(ScrutinyAction, actions)
        self.link(
            ScrutinyAction.findings.field,
            [(a.pk, f) for a, f in zip(actions, findings, strict=True) if f],
        )
        self.append(
            ScrutinyActionUpdate,
            SCRUTINY_UPDATE_COLUMNS,
            [(a.pk, *u) for a, u in zip(actions, updates, strict=True) if u],
        )


def _month_start(today, months_ago):
    year, month = divmod(today.year * 12 + today.month - 1 - months_ago, 12)
    return dt.date(year, month + 1, 1)


def build(*, scale=1, seed=1, today=None, password=None, chunk=CHUNK, progress=None):
    """Write the synthetic county into the current database; returns what it created.

    `progress`, if given, is called with a line of text as each stage, and each tenth of a
    large one, is written."""
    from django.utils import timezone

    return Builder(
        scale=scale,
        seed=seed,
        today=today or timezone.localdate(),
        password=password,
        chunk=chunk,
        progress=progress,
    ).build()
