"""The council's answer: improvement plans, priorities and actions with RAG history, and the
scorecard of performance measures compared with other authorities.

Ratings are events: a `ProgressUpdate` is appended, never edited, and a priority's or
action's current rating is the latest update's (`with_current_rating()`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inspections.models import (
    AppendOnlyModel,
    Authority,
    DatePrecision,
    Finding,
    Inspection,
    NaturalKeyModel,
    NaturalKeyQuerySet,
    Person,
    SourceDocument,
    Theme,
    format_with_precision,
    new_key,
)


class Rating(models.TextChoices):
    """RAG. 'Complete' is an action's status, not a colour."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Qualifier(models.TextChoices):
    """How a source qualifies a figure ("about 200", "over 99.6%", "(+23)"); shown before it."""

    APPROXIMATELY = "approximately", "approximately"
    MORE_THAN = "more_than", "more than"
    LESS_THAN = "less_than", "less than"
    INCREASE = "increase", "an increase of"
    DECREASE = "decrease", "a decrease of"


def period_wording(end, precision, label="", dated_by_report=False):
    """How a value's period reads: as the source words it, else its date at the precision the
    source gives; a value whose source gives no period says it is dated by its report."""
    if not dated_by_report:
        return label or format_with_precision(end, precision)
    on_or_in = "on" if precision == DatePrecision.DAY else "in"
    reported = f"as reported {on_or_in} {format_with_precision(end, precision)}"
    return f"{label}, {reported}" if label else reported[0].upper() + reported[1:]


class ImprovementPlan(NaturalKeyModel):
    """The council's plan answering one or more inspections, overseen by a governance body."""

    NATURAL_KEY = ("reference",)

    reference = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="improvement_plans")
    responds_to = models.ManyToManyField(Inspection, blank=True, related_name="improvement_plans")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    period_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH)
    governance_body = models.CharField(max_length=200, blank=True, help_text="e.g. the Improvement Partnership.")
    independent_chair = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="chaired_plans"
    )
    signed_off_on = models.DateField(null=True, blank=True)
    refreshed_on = models.DateField(null=True, blank=True)
    funding = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Resourcing in pounds."
    )
    funding_period = models.CharField(max_length=60, blank=True, help_text='e.g. "2013/14".')
    description = models.TextField(blank=True)
    source = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="improvement_plans"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="plan_period_in_order",
                violation_error_message="The plan's period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(funding__isnull=True) | Q(funding__gte=0), name="plan_funding_not_negative"
            ),
        ]

    def __str__(self):
        return self.title


class PlanPhase(NaturalKeyModel):
    """A phase of a plan, e.g. 'Phase 1 (April – July)', with the body that governed it."""

    NATURAL_KEY = ("plan", "number")

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH)
    governance_body = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="phase_unique_number"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="phase_dates_in_order",
                violation_error_message="A phase cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return self.title or f"Phase {self.number}"


class RatedQuerySet(NaturalKeyQuerySet):
    """Shared by priorities and actions, which are both rated by progress updates."""

    update_field = None  # the ProgressUpdate foreign key that points at this model

    def with_current_rating(self):
        """Annotate `current_rating` and `rated_on` from the latest rated update, in one query."""
        latest = ProgressUpdate.objects.filter(**{self.update_field: OuterRef("pk")}, rating__isnull=False).order_by(
            "-date", "-pk"
        )
        return self.annotate(
            current_rating=Subquery(latest.values("rating")[:1]),
            rated_on=Subquery(latest.values("date")[:1]),
        )


class PriorityQuerySet(RatedQuerySet):
    update_field = "priority"


class Priority(NaturalKeyModel):
    """A numbered priority of a plan, led by an officer, answering Ofsted's findings."""

    NATURAL_KEY = ("plan", "reference")

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="priorities")
    reference = models.SlugField(max_length=80, help_text="Stable identifier within the plan, used by fixtures.")
    number = models.PositiveIntegerField(null=True, blank=True, help_text="The plan's own number, where it gives one.")
    title = models.CharField(max_length=300, blank=True, help_text="Empty where the source does not name it.")
    description = models.TextField(blank=True)
    lead = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="led_priorities")
    lead_role = models.CharField(max_length=200, blank=True, help_text="The lead as a role, where no person is named.")
    findings = models.ManyToManyField(Finding, blank=True, related_name="priorities")
    themes = models.ManyToManyField(Theme, blank=True, related_name="priorities")

    objects = PriorityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[findings])

    class Meta:
        ordering = ["plan", "number", "pk"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="priority_unique_reference"),
            models.UniqueConstraint(fields=["plan", "number"], name="priority_unique_number"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1), name="priority_number_positive"
            ),
        ]

    def __str__(self):
        label = self.title or "Priority (not named in the source)"
        return f"{self.number}. {label}" if self.number else label

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("improvement:priority_detail", args=[self.pk])

    @property
    def lead_display(self):
        return str(self.lead) if self.lead else self.lead_role


class ActionQuerySet(RatedQuerySet):
    update_field = "action"

    def open(self):
        return self.filter(status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS])

    def overdue(self, today=None):
        """Open actions whose due date has passed."""
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)

    def for_person(self, person):
        return self.filter(owner=person)

    def without_finding(self):
        return self.filter(findings__isnull=True)


class Action(NaturalKeyModel):
    """A numbered action under a priority, with an owner, dates, a status and RAG history.

    An action that answers no Ofsted finding must say why (`no_finding_reason`).
    """

    NATURAL_KEY = ("priority", "number")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        CANCELLED = "cancelled", "Cancelled"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveIntegerField()
    description = models.TextField()
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_actions")
    owner_role = models.CharField(
        max_length=200, blank=True, help_text="The owner as a role, where no person is named."
    )
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    findings = models.ManyToManyField(Finding, blank=True, related_name="actions")
    no_finding_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why this action answers no finding, e.g. raised by scrutiny or by the service itself.",
    )

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[findings])

    class Meta:
        ordering = ["priority", "number"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="action_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="action_number_positive"),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(start_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="action_due_after_start",
                violation_error_message="The due date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(start_date__isnull=True)
                | Q(completed_on__gte=F("start_date")),
                name="action_completed_after_start",
                violation_error_message="The completion date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(status="complete", completed_on__isnull=False)
                | (~Q(status="complete") & Q(completed_on__isnull=True)),
                name="action_complete_has_completion_date",
                violation_error_message=(
                    "A complete action needs a completion date, and only a complete action has one."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="action_open_due_idx")]

    def __str__(self):
        return (
            f"Action {self.priority.number or ''}.{self.number}".replace(" .", " ")
            if self.priority_id
            else f"Action {self.number}"
        )

    @property
    def owner_display(self):
        return str(self.owner) if self.owner else self.owner_role

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return (
            self.status in {self.Status.NOT_STARTED, self.Status.IN_PROGRESS}
            and bool(self.due_date)
            and self.due_date < today
        )

    def clean_findings(self, findings):
        """Called by forms after the many-to-many is known (it cannot be checked in clean())."""
        if not findings and not self.no_finding_reason.strip():
            message = "Say why this action answers no Ofsted finding, or link it to the findings it answers."
            raise ValidationError({"no_finding_reason": message})


class ProgressUpdate(AppendOnlyModel):
    """A dated, append-only report of progress on a priority or an action, optionally with a
    RAG rating. Nothing overwrites an earlier update; the latest rated one is current."""

    NATURAL_KEY = ("key",)
    HISTORY_OF = "the plan"

    key = models.CharField(max_length=120, unique=True, default=new_key, editable=False)
    # PROTECT: a priority or action with history cannot be deleted out from under it.
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="updates")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.PROTECT, related_name="updates")
    date = models.DateField(help_text="The date the rating or progress is reported for.")
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    rating = models.CharField(max_length=5, choices=Rating.choices, blank=True, null=True)
    commentary = models.TextField(blank=True)
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="progress_updates")
    reported_to = models.CharField(max_length=200, blank=True, help_text="e.g. the meeting the rating was reported to.")
    source = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="progress_updates"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(priority__isnull=False) & Q(action__isnull=True))
                | (Q(priority__isnull=True) & Q(action__isnull=False)),
                name="update_for_priority_or_action",
                violation_error_message="An update is for a priority or for an action, not both or neither.",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__in=Rating.values),
                name="update_rating_is_red_amber_or_green",
                violation_error_message="A rating is red, amber or green, or none at all.",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=False) | ~Q(commentary=""),
                name="update_says_something",
                violation_error_message="An update needs a rating or a commentary.",
            ),
        ]
        indexes = [
            models.Index(fields=["priority", "-date"], name="update_priority_latest_idx"),
            models.Index(fields=["action", "-date"], name="update_action_latest_idx"),
        ]

    def __str__(self):
        subject = self.priority or self.action
        rating = f" {self.get_rating_display()}" if self.rating else ""
        return f"{subject}:{rating} on {self.date:%d/%m/%Y}"

    @property
    def date_display(self):
        return format_with_precision(self.date, self.date_precision)


class MeasureQuerySet(NaturalKeyQuerySet):
    def with_latest_values(self):
        """Annotate the latest and previous values and the latest period, in one query.

        `Measure.current_rating` and `Measure.direction` read these annotations.
        """
        values = MeasureValue.objects.filter(measure=OuterRef("pk")).latest_first()
        return self.annotate(
            latest_value=Subquery(values.values("value")[:1]),
            latest_period_end=Subquery(values.values("period_end")[:1]),
            latest_period_precision=Subquery(values.values("period_precision")[:1]),
            latest_period_label=Subquery(values.values("period_label")[:1]),
            latest_dated_by_report=Subquery(values.values("dated_by_report")[:1]),
            latest_qualifier=Subquery(values.values("qualifier")[:1]),
            previous_value=Subquery(values.values("value")[1:2]),
        )


class Measure(NaturalKeyModel):
    """A performance measure on the scorecard, with its target and RAG tolerance.

    RAG: green when the value meets the target, amber when it misses by no more than the
    tolerance, red beyond. Direction of travel compares the latest value with the one before,
    changes within `stable_margin` counting as stable. Both respect polarity.
    """

    NATURAL_KEY = ("reference",)

    class Unit(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage"
        COUNT = "count", "Count"
        DAYS = "days", "Days"
        WEEKS = "weeks", "Weeks"
        RATE_PER_10000 = "rate_per_10000", "Rate per 10,000 children"
        POUNDS = "pounds", "Pounds"

    class Polarity(models.TextChoices):
        HIGHER_IS_BETTER = "higher", "Higher is better"
        LOWER_IS_BETTER = "lower", "Lower is better"
        NEITHER = "neither", "Neither (context measure)"

    class DataPeriod(models.TextChoices):
        MONTH = "month", "Month"
        QUARTER = "quarter", "Quarter"
        ROLLING_12_MONTHS = "rolling_12_months", "Rolling 12 months"
        YEAR_TO_DATE = "year_to_date", "Year to date"
        YEAR = "year", "Year"
        SNAPSHOT = "snapshot", "Snapshot"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUALLY = "annually", "Annually"
        AD_HOC = "ad_hoc", "As reported"

    class Direction(models.TextChoices):
        IMPROVING = "improving", "Improving"
        STABLE = "stable", "Stable"
        DECLINING = "declining", "Declining"
        CHANGED = "changed", "Changed"  # a context measure moved; neither better nor worse

    reference = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    # Polarity, frequency and data period are the tracker's configuration; empty until someone
    # sets them, since the sources state none of them (one says a rate is "reported annually").
    polarity = models.CharField(max_length=10, choices=Polarity.choices, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    amber_tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="How far a value may miss the target and still be amber, in the measure's unit.",
    )
    stable_margin = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        help_text="A change no larger than this counts as stable.",
    )
    frequency = models.CharField(max_length=20, choices=Frequency.choices, blank=True)
    data_period = models.CharField(max_length=20, choices=DataPeriod.choices, blank=True)
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="measures")
    themes = models.ManyToManyField(Theme, blank=True, related_name="measures")
    findings = models.ManyToManyField(Finding, blank=True, related_name="measures")
    source = models.CharField(max_length=300, blank=True, help_text="Where the data comes from.")

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[findings])

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amber_tolerance__isnull=True) | Q(amber_tolerance__gte=0),
                name="measure_tolerance_not_negative",
            ),
            models.CheckConstraint(condition=Q(stable_margin__gte=0), name="measure_stable_margin_not_negative"),
            models.CheckConstraint(
                condition=~Q(unit="percentage") | Q(target__isnull=True) | (Q(target__gte=0) & Q(target__lte=100)),
                name="measure_percentage_target_in_range",
                violation_error_message="A percentage target must be between 0 and 100.",
            ),
            models.CheckConstraint(
                condition=Q(amber_tolerance__isnull=True) | Q(target__isnull=False),
                name="measure_tolerance_needs_target",
                violation_error_message="A tolerance needs a target.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("improvement:measure_detail", args=[self.pk])

    @property
    def has_direction(self):
        """Whether better and worse are defined: polarity set, and not a context measure."""
        return self.polarity in {self.Polarity.HIGHER_IS_BETTER, self.Polarity.LOWER_IS_BETTER}

    def rating_for(self, value):
        """The RAG rating of a value against the target; None without a target or polarity."""
        if value is None or self.target is None or not self.has_direction:
            return None
        shortfall = self.target - value if self.polarity == self.Polarity.HIGHER_IS_BETTER else value - self.target
        if shortfall <= 0:
            return Rating.GREEN
        if self.amber_tolerance is not None and shortfall <= self.amber_tolerance:
            return Rating.AMBER
        return Rating.RED

    def direction_between(self, previous, latest):
        """Direction of travel from one value to the next, aware of polarity."""
        if previous is None or latest is None:
            return None
        change = latest - previous
        if abs(change) <= self.stable_margin:
            return self.Direction.STABLE
        if not self.has_direction:
            return self.Direction.CHANGED
        better = change > 0 if self.polarity == self.Polarity.HIGHER_IS_BETTER else change < 0
        return self.Direction.IMPROVING if better else self.Direction.DECLINING

    @property
    def current_rating(self):
        """RAG of the latest value; needs `with_latest_values()`."""
        return self.rating_for(self.latest_value)

    @property
    def latest_period_display(self):
        """The latest value's period as its source gives it; needs `with_latest_values()`."""
        return period_wording(
            self.latest_period_end, self.latest_period_precision, self.latest_period_label, self.latest_dated_by_report
        )

    @property
    def latest_qualifier_display(self):
        """The latest value's qualifier ("approximately"); needs `with_latest_values()`."""
        return Qualifier(self.latest_qualifier).label if self.latest_qualifier else ""

    @property
    def direction(self):
        """Direction of travel to the latest value; needs `with_latest_values()`."""
        return self.direction_between(self.previous_value, self.latest_value)

    def clean(self):
        if self.unit == self.Unit.PERCENTAGE and self.target is not None and not 0 <= self.target <= 100:
            raise ValidationError({"target": "A percentage target must be between 0 and 100."})


class MeasureValueQuerySet(NaturalKeyQuerySet):
    def latest_first(self):
        return self.order_by("-period_end", "-pk")


class PeriodValue(models.Model):
    """A value for a period: the date it is for, and the source that gives it.

    The value keeps the source's qualifier ("about 200" is approximately 200), and where the
    source gives no period the value is dated by its report and says so.
    """

    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(
        help_text="The date the value is for (the end of its period, or 'as at'); the first of the month "
        "or year when the source gives only that. Where the source gives no period, the report's date."
    )
    period_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    period_label = models.CharField(
        max_length=120, blank=True, help_text='As the source puts it, e.g. "As at 24 July 2013".'
    )
    dated_by_report = models.BooleanField(
        default=False,
        help_text="The source gives no period: the date is the report's, and the value reads "
        '"as reported on" that date.',
    )
    qualifier = models.CharField(
        max_length=20, choices=Qualifier.choices, blank=True, help_text='How the source qualifies it, e.g. "about".'
    )
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.TextField(blank=True)
    source = models.ForeignKey(SourceDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def period_display(self):
        return period_wording(self.period_end, self.period_precision, self.period_label, self.dated_by_report)

    def check_value_in_range(self):
        if self.measure.unit == Measure.Unit.PERCENTAGE and not Decimal(0) <= self.value <= Decimal(100):
            raise ValidationError({"value": "A percentage must be between 0 and 100."})


class MeasureValue(NaturalKeyModel, PeriodValue):
    """The authority's own value of a measure for one period."""

    NATURAL_KEY = ("measure", "period_end")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    reported_rating = models.CharField(
        max_length=5,
        choices=Rating.choices,
        blank=True,
        help_text="The RAG rating the source reports for this value (not worked out from a target).",
    )
    reported_rating_risk = models.CharField(
        max_length=100, blank=True, help_text='What the source says the rating may become, e.g. "Amber or Red".'
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = MeasureValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_end"], name="measure_value_once_per_period"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_start__lte=F("period_end")),
                name="measure_value_period_in_order",
                violation_error_message="A period cannot start after it ends.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="measure_value_not_negative",
                violation_error_message="A value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(qualifier="") | Q(qualifier__in=Qualifier.values),
                name="measure_value_qualifier_known",
                violation_error_message="A qualifier is one of the listed ones, or none.",
            ),
            models.CheckConstraint(
                condition=Q(reported_rating="") | Q(reported_rating__in=Rating.values),
                name="measure_value_reported_rating_is_rag",
                violation_error_message="A reported rating is red, amber or green, or none.",
            ),
            models.CheckConstraint(
                condition=Q(reported_rating_risk="") | ~Q(reported_rating=""),
                name="measure_value_risk_needs_rating",
                violation_error_message="Say what the rating is before what it is at risk of becoming.",
            ),
        ]
        indexes = [models.Index(fields=["measure", "-period_end"], name="measure_value_latest_idx")]

    def __str__(self):
        return f"{self.measure}: {self.value} ({self.period_display})"

    def clean(self):
        if self.measure_id:
            self.check_value_in_range()


class ComparatorGroup(NaturalKeyModel):
    """A group a measure is compared with: England average, statistical neighbours, 'good'
    authorities, a region."""

    NATURAL_KEY = ("name",)

    class Kind(models.TextChoices):
        NATIONAL = "national", "National average"
        STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"
        GOOD_AUTHORITIES = "good_authorities", '"Good" authorities'
        REGION = "region", "Region"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    members = models.ManyToManyField(Authority, blank=True, related_name="comparator_groups")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class ComparatorValue(NaturalKeyModel, PeriodValue):
    """A comparator group's value of a measure for one period."""

    NATURAL_KEY = ("measure", "group", "period_end")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="comparator_values")
    group = models.ForeignKey(ComparatorGroup, on_delete=models.PROTECT, related_name="values")

    class Meta:
        ordering = ["measure", "group", "-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "group", "period_end"], name="comparator_value_once_per_period"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_start__lte=F("period_end")),
                name="comparator_value_period_in_order",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="comparator_value_not_negative"),
            models.CheckConstraint(
                condition=Q(qualifier="") | Q(qualifier__in=Qualifier.values),
                name="comparator_value_qualifier_known",
                violation_error_message="A qualifier is one of the listed ones, or none.",
            ),
        ]

    def __str__(self):
        return f"{self.group}: {self.value} ({self.period_display})"

    def clean(self):
        if self.measure_id:
            self.check_value_in_range()
