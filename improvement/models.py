"""The council's answer: improvement plans, priorities and actions with RAG history, and the
scorecard of performance measures compared with other authorities.

Ratings are events: a `ProgressUpdate` is appended, never edited, and a priority's or
action's current rating is the latest update's (`with_current_rating()`).

Every change officers make goes through a verb on the model (`priority.record_rating()`,
`action.record_progress()`, `action.move_due_date()`, `measure.record_value()`,
`value.correct()`, `measure.set_target()`, `link_findings()`/`unlink_finding()`): each runs in
one transaction, checks the record's version (see `VersionedModel`), refuses what the rules
refuse with a message an officer can act on, and records who did it and how.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import (
    Cast,
    Coalesce,
    Concat,
    ExtractMonth,
    ExtractYear,
    NullIf,
    Round,
    RowNumber,
)
from django.db.models.lookups import Exact, LessThanOrEqual
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from improvement.trajectory import trajectory
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
    TimelineEntry,
    VersionedModel,
    attribution_name,
    end_of_period,
    format_with_precision,
    new_key,
    newest_first,
    period_end_field,
)


class Rating(models.TextChoices):
    """RAG, worst first. 'Complete' is an action's status, not a colour.

    Each rating carries its words and its tag: pages show the word in a tag with its own
    shape and colour (`tag_class`), never the colour alone."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"

    @property
    def meaning(self):
        return {
            "red": "off track: will not be delivered as planned without intervention",
            "amber": "at risk: progress is being made, with slippage or risks to manage",
            "green": "on track for successful completion",
        }[self.value]

    @property
    def tag_class(self):
        return f"app-rag app-rag--{self.value}"

    @property
    def rank(self):
        """Worst first: red 0, amber 1, green 2."""
        return list(type(self)).index(self)


class RatingChange(models.TextChoices):
    """How a rating moved since the one before it."""

    IMPROVED = "improved", "Improved"
    WORSENED = "worsened", "Worsened"
    UNCHANGED = "unchanged", "Unchanged"
    FIRST = "first", "First rating"

    @classmethod
    def between(cls, previous, current):
        """From the previous rating to the current one; None when there is no current rating."""
        if not current:
            return None
        if not previous:
            return cls.FIRST
        change = Rating(current).rank - Rating(previous).rank
        return cls.IMPROVED if change > 0 else cls.WORSENED if change < 0 else cls.UNCHANGED


VIA_PAGE = "officer's page"
VIA_ADMIN = "admin"


def today():
    return timezone.localdate()


def check_not_in_future(value, what="The date"):
    if value > today():
        raise ValidationError(f"{what} cannot be in the future.", code="future")


def recorded_by_name():
    """SQL for who recorded an update: the person it names, else the account's full name."""
    return Coalesce(
        F("author__name"),
        NullIf(Concat(F("recorded_by__first_name"), Value(" "), F("recorded_by__last_name")), Value(" ")),
        F("recorded_by__username"),
        output_field=models.CharField(),
    )


class AnswersFindings(models.Model):
    """A record on the golden thread: it answers findings, linked and unlinked by a verb that
    keeps who did it and why in the record's history."""

    class Meta:
        abstract = True

    @transaction.atomic
    def link_findings(self, findings, *, by, expected_version=None, via=VIA_PAGE):
        findings = [
            finding for finding in findings if finding.pk not in set(self.findings.values_list("pk", flat=True))
        ]
        if not findings:
            raise ValidationError("Choose at least one finding that is not already linked.", code="nothing_to_link")
        self.claim_version(expected_version)
        self._record_history(by, f"Linked to {', '.join(str(finding) for finding in findings)}", via)
        self.findings.add(*findings)

    @transaction.atomic
    def unlink_finding(self, finding, *, by, reason, expected_version=None, via=VIA_PAGE):
        if not self.findings.filter(pk=finding.pk).exists():
            raise ValidationError(f"{self} is not linked to {finding}.", code="not_linked")
        if not reason.strip():
            raise ValidationError("Say why this no longer answers the finding.", code="reason_required")
        self.check_can_unlink(finding)
        self.claim_version(expected_version)
        self._record_history(by, f"Unlinked from {finding}: {reason.strip()}", via)
        self.findings.remove(finding)

    def check_can_unlink(self, finding):
        """Hook for records with a rule about answering nothing."""

    def _record_history(self, user, reason, via):
        # django-simple-history reads these when the next historical record is written.
        self._history_user = user
        self._change_reason = f"{reason} (via {via})" if via != VIA_PAGE else reason


class ImprovementPlanQuerySet(NaturalKeyQuerySet):
    def of_home_authority(self):
        return self.filter(authority__short_name=settings.HOME_AUTHORITY)

    def with_latest_update(self):
        """Annotate what `ImprovementPlan.latest_update_display` and `.last_reported` read:
        each plan's newest update of a priority and of an action, found by one index read per
        priority and per action (so a list of every plan costs what their priorities and
        actions number, not what their years of updates do)."""
        return self.annotate(
            source_date=F("source__date"),
            priorities_update=_newest_of(Priority, "plan", "priority"),
            actions_update=_newest_of(Action, "priority__plan", "action"),
        )

    def with_latest_update_in_use(self):
        """The annotations of `with_latest_update()`, for plans in use: each plan's newest update
        is found by reading the updates newest first (an index each) until one of its own,
        which for the plan in use is at once and for an old plan is slow: keep this to the
        current plan."""

        def newest(plan_field):
            return Subquery(_update_key(ProgressUpdate.objects.filter(**{plan_field: OuterRef("pk")}))[:1])

        return self.annotate(
            source_date=F("source__date"),
            priorities_update=newest("priority__plan"),
            actions_update=newest("action__priority__plan"),
        )

    def current(self):
        """The home authority's current plan: the one marked current, else the one most
        recently reported on; None when the home authority has no plan."""
        plans = self.of_home_authority()
        marked = Q(status=ImprovementPlan.Status.CURRENT)
        candidates = plans.filter(marked | ~models.Exists(plans.filter(marked))).with_latest_update_in_use()
        return max(candidates, key=lambda plan: (plan.last_reported, plan.pk), default=None)


def _update_key(updates):
    """`updates` newest first, each as one string that sorts as they do: its `as_of`, its date
    and the date's precision ("2022-03-31 2022-03-01 month"). One string, so that a subquery
    gives all three, and the greatest of several is the newest."""
    key = Concat(
        Cast("as_of", models.CharField()),
        Value(" "),
        Cast("date", models.CharField()),
        Value(" "),
        "date_precision",
        output_field=models.CharField(),
    )
    return updates.order_by("-as_of", "-pk").values(update_key=key)


def _newest_of(model, plan_field, update_field):
    """The newest update key (`_update_key`) of the plan's priorities or actions: each one's
    newest, read from its own index, and the greatest of those."""
    newest = Subquery(_update_key(ProgressUpdate.objects.filter(**{update_field: OuterRef("pk")}))[:1])
    records = model.objects.filter(**{plan_field: OuterRef("pk")}).order_by().values(plan_field)
    return Subquery(records.annotate(newest=Max(newest)).values("newest"))


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
    """The council's plan answering one or more inspections, overseen by a governance body.

    The home authority's current plan is what the dashboards follow
    (`ImprovementPlan.objects.current()`); earlier plans stay readable, never mixed in.
    """

    class Status(models.TextChoices):
        # The tracker's own setting, not a source's: which plan the dashboards follow.
        CURRENT = "current", "Current plan"
        EARLIER = "earlier", "Earlier plan"

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
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        blank=True,
        help_text="Which plan the dashboards follow. When no plan is marked current, the one most recently "
        "reported on is.",
    )

    objects = ImprovementPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority"],
                condition=Q(status="current"),
                name="plan_one_current_per_authority",
                violation_error_message="An authority has one current plan; mark the other one earlier first.",
            ),
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

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("improvement:plan_detail", args=[self.pk])

    @property
    def period_display(self):
        """'April 2020 to March 2021', 'from April 2020', or '' when the sources give no period."""
        start = format_with_precision(self.period_start, self.period_precision)
        end = format_with_precision(self.period_end, self.period_precision)
        if start and end:
            return f"{start} to {end}"
        return f"from {start}" if start else f"to {end}" if end else ""

    @cached_property
    def _latest_update(self):
        """(as_of, date, precision) of the plan's newest update, or None; needs
        `with_latest_update()` (or `_in_use()`)."""
        key = max(filter(None, (self.priorities_update, self.actions_update)), default=None)
        if key is None:
            return None
        as_of, date, precision = key.split(" ")
        return dt.date.fromisoformat(as_of), dt.date.fromisoformat(date), precision

    @property
    def latest_update_display(self):
        """When progress on the plan was last reported, as precisely as the source gives it;
        needs `with_latest_update()`."""
        if self._latest_update is None:
            return ""
        _, date, precision = self._latest_update
        return format_with_precision(date, precision)

    @property
    def last_reported(self):
        """The latest date the plan is known to have been in use: its start, sign-off or
        refresh, its source document, or its newest update; needs `with_latest_update()`."""
        update = self._latest_update
        dates = [self.period_start, self.signed_off_on, self.refreshed_on, self.source_date, update and update[0]]
        return max(filter(None, dates), default=dt.date.min)

    def key_measures(self):
        """Its scorecard: the measures it reports on (`scorecard`) and those under its priorities."""
        return Measure.objects.filter(Q(pk__in=self.scorecard.values("pk")) | Q(priority__plan=self))


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


def pointed_at(row, **fields):
    """Annotations reading `fields` ({annotation: field}) of the one `row` a pointer names.

    Subqueries by primary key rather than joins: PostgreSQL works a subquery out only for the
    rows a page shows, after the sort and the LIMIT, unless a filter or the sort needs it; a
    join would be made for every row the list has before the sort could pick a page of them."""
    # Unordered: a default ordering by a relation would join the outer query's own table.
    row = row.order_by()
    return {name: Subquery(row.values(field)) for name, field in fields.items()}


class RatedQuerySet(NaturalKeyQuerySet):
    """Shared by priorities and actions, which are both rated by progress updates."""

    update_field = None  # the ProgressUpdate foreign key that points at this model

    def with_current_rating(self):
        """Annotate, in one query, the current rating and when it was given (`current_rating`,
        `rated_on`, `rated_on_precision`), and who last updated the record and when
        (`last_updated_by`, `last_updated_on`, `last_updated_precision`), from the updates the
        database keeps pointers to (latest first by the end of the period each speaks for)."""
        rated = ProgressUpdate.objects.filter(pk=OuterRef("current_rating_update"))
        last = ProgressUpdate.objects.filter(pk=OuterRef("last_update"))
        return self.annotate(
            **pointed_at(rated, current_rating="rating", rated_on="date", rated_on_precision="date_precision"),
            **pointed_at(
                last.annotate(name=recorded_by_name()),
                last_updated_by="name",
                last_updated_on="date",
                last_updated_precision="date_precision",
            ),
        )

    def with_rating_change(self):
        """`with_current_rating()`, and the rating before the current one (`previous_rating`),
        for `rating_change`."""
        rated = ProgressUpdate.objects.filter(**{self.update_field: OuterRef("pk"), "rating__isnull": False})
        return self.with_current_rating().annotate(
            previous_rating=Subquery(rated.order_by("-as_of", "-pk").values("rating")[1:2])
        )

    def with_rating_counts(self):
        """`with_current_rating()`, and on every row how many rows the query has in all
        (`row_count`) and how many at each rating (`red_count`, `amber_count`, `green_count`),
        counted over the whole query however little of it is sliced: a page shows the first few
        and the counts in one query. See `rating_counts`."""
        counts = {f"{rating}_count": Window(Count("pk", filter=Q(current_rating=rating))) for rating in Rating.values}
        return self.with_current_rating().annotate(row_count=Window(Count("pk")), **counts)

    def for_user(self, user):
        """What the user leads or owns, through the person linked to their account."""
        return self.filter(**{f"{self.owner_field}__user": user}) if user.is_authenticated else self.none()


def rating_counts(row):
    """From a row of `with_rating_counts()`: how many are at each rating, worst first, then how
    many are not rated, as [(Rating or None, count)]; all zero without a row."""
    counts = [(rating, getattr(row, f"{rating}_count", 0)) for rating in Rating]
    return counts + [(None, getattr(row, "row_count", 0) - sum(count for _, count in counts))]


def kept_pointer(to):
    """A pointer to the latest of a record's rows of `to`, kept by the database whatever writes
    (config/latest_rows.py states which row): never set by the app, a form or a fixture, and
    left out of history, which records what people changed. The triggers are its constraint:
    a foreign key would only refuse the TRUNCATE with which tests empty append-only tables."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        editable=False,
        serialize=False,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )


# The columns the database keeps (`kept_pointer`), which history leaves out.
RATED_POINTERS = ["last_update", "current_rating_update"]


class RatedModel(VersionedModel, AnswersFindings):
    """A priority or an action: rated red, amber or green by appended `ProgressUpdate`s.

    `last_update` and `current_rating_update` (the latest update that gave a rating) point at its
    latest updates, kept by the database; `with_current_rating()` reads them."""

    last_update = kept_pointer("ProgressUpdate")
    current_rating_update = kept_pointer("ProgressUpdate")

    class Meta:
        abstract = True

    @property
    def rated_on_display(self):
        """When the current rating was given; needs `with_current_rating()`."""
        return format_with_precision(self.rated_on, self.rated_on_precision)

    @property
    def last_updated_display(self):
        """When the record was last updated; needs `with_current_rating()`."""
        return format_with_precision(self.last_updated_on, self.last_updated_precision)

    @property
    def rating_change(self):
        """How the current rating moved since the one before; needs `with_rating_change()`."""
        return RatingChange.between(self.previous_rating, self.current_rating)

    def latest_rated_update(self):
        return self.updates.filter(rating__isnull=False).order_by("-as_of", "-pk").first()

    def _check_rating(self, rating, commentary, as_of):
        """The rules every rating obeys, whoever gives it; returns the update it supersedes."""
        if rating not in Rating.values:
            raise ValidationError("Choose red, amber or green.", code="rating")
        check_not_in_future(as_of)
        previous = self.latest_rated_update()
        if previous and end_of_period(as_of, DatePrecision.DAY) < previous.as_of:
            raise ValidationError(
                f"The date cannot be before the current rating's ({previous.date_display}).", code="before_current"
            )
        if previous and previous.rating != rating and not commentary.strip():
            raise ValidationError(
                f"Explain why the rating has changed from {previous.get_rating_display()} to {Rating(rating).label}.",
                code="commentary_required",
            )
        if not previous and not commentary.strip():
            raise ValidationError("Explain the rating: this is its first.", code="commentary_required")
        return previous

    def _append_update(self, *, by, via, as_of, **fields):
        return ProgressUpdate.objects.create(
            **{self.update_field: self},
            date=as_of,
            author=getattr(by, "person", None),
            recorded_by=by,
            recorded_via=via,
            **fields,
        )

    def timeline(self):
        updates = self.updates.select_related("author", "recorded_by__person")
        return newest_first(update.as_timeline_entry() for update in updates)


class PriorityQuerySet(RatedQuerySet):
    update_field = "priority"
    owner_field = "lead"


class Priority(NaturalKeyModel, RatedModel):
    """A numbered priority of a plan, led by an officer, answering Ofsted's findings."""

    update_field = "priority"

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
    history = HistoricalRecords(m2m_fields=[findings], excluded_fields=RATED_POINTERS)

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

    @transaction.atomic
    def record_rating(self, *, by, rating, commentary="", as_of=None, expected_version=None, via=VIA_PAGE):
        """Rate the priority red, amber or green as of a date (today unless given).

        A commentary is required when the rating changes, and for a first rating."""
        as_of = as_of or today()
        self._check_rating(rating, commentary, as_of)
        self.claim_version(expected_version)
        return self._append_update(by=by, via=via, as_of=as_of, rating=rating, commentary=commentary.strip())


class ActionQuerySet(RatedQuerySet):
    update_field = "action"
    owner_field = "owner"

    def in_plan_order(self):
        """The order of the plan's own pages (by priority, then action number), for actions of
        one plan. Unlike the model's ordering it leaves out the plan, the same on every row,
        so PostgreSQL reads a page of them in order by index instead of sorting every action."""
        return self.order_by("priority__number", "priority", "number", "pk")

    def open(self):
        return self.filter(status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS])

    def overdue(self, today=None):
        """Open actions whose due period is over: an action due "March 2024" is overdue from
        1 April 2024."""
        today = today or timezone.localdate()
        return self.open().filter(due_by__lt=today)

    def overdue_first(self, today=None):
        """Overdue actions first, then the other open ones, then closed ones; each by due date."""
        today = today or timezone.localdate()
        is_open = Q(status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS])
        return self.alias(
            work_order=models.Case(
                models.When(is_open & Q(due_by__lt=today), then=0),
                models.When(is_open, then=1),
                default=2,
            )
        ).order_by("work_order", F("due_by").asc(nulls_last=True), "pk")

    def for_person(self, person):
        return self.filter(owner=person)

    def without_finding(self):
        return self.filter(findings__isnull=True)


class Action(NaturalKeyModel, RatedModel):
    """A numbered action under a priority, with an owner, dates, a status and RAG history.

    An action that answers no Ofsted finding must say why (`no_finding_reason`). Its status and
    completion date are those of its latest update that gave one (`record_progress()` keeps
    them in step); a moved due date keeps the first one agreed (`move_due_date()`).
    """

    update_field = "action"

    NATURAL_KEY = ("priority", "number")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        CANCELLED = "cancelled", "Cancelled"

        @property
        def tag_class(self):
            colour = {"not_started": "grey", "in_progress": "light-blue", "complete": "green", "cancelled": "grey"}
            return f"govuk-tag govuk-tag--{colour[self.value]}"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveIntegerField()
    description = models.TextField()
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_actions")
    owner_role = models.CharField(
        max_length=200, blank=True, help_text="The owner as a role, where no person is named."
    )
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    due_by = period_end_field("due_date", "due_date_precision")
    original_due_date = models.DateField(
        null=True, blank=True, editable=False, help_text="The due date first agreed, once the due date has moved."
    )
    original_due_date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, blank=True, editable=False
    )
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    findings = models.ManyToManyField(Finding, blank=True, related_name="actions")
    no_finding_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why this action answers no finding, e.g. raised by scrutiny or by the service itself.",
    )

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[findings], excluded_fields=RATED_POINTERS)

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
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_open_due_idx"),
            # A briefing pack's actions newly overdue: those whose due period ended in its window.
            models.Index(fields=["due_by", "id"], name="action_due_by_idx"),
            # The open actions in due order: the overview reads the current plan's first few
            # overdue ones without stepping over every plan's closed actions, and counts them
            # from the index alone.
            models.Index(
                fields=["due_by", "id"],
                include=["priority"],
                condition=Q(status__in=["not_started", "in_progress"]),
                name="action_overdue_idx",
            ),
        ]

    def __str__(self):
        return (
            f"Action {self.priority.number or ''}.{self.number}".replace(" .", " ")
            if self.priority_id
            else f"Action {self.number}"
        )

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("improvement:action_detail", args=[self.pk])

    @property
    def owner_display(self):
        return str(self.owner) if self.owner else self.owner_role

    @property
    def is_open(self):
        return self.status in {self.Status.NOT_STARTED, self.Status.IN_PROGRESS}

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_open and bool(self.due_date) and end_of_period(self.due_date, self.due_date_precision) < today

    @property
    def status_label(self):
        """'Overdue' for an open action past its due period, else its status."""
        return "Overdue" if self.is_overdue() else self.get_status_display()

    @property
    def status_tag_class(self):
        return "govuk-tag govuk-tag--red" if self.is_overdue() else self.Status(self.status).tag_class

    @property
    def due_date_display(self):
        return format_with_precision(self.due_date, self.due_date_precision)

    @property
    def original_due_date_display(self):
        return format_with_precision(self.original_due_date, self.original_due_date_precision)

    def clean_findings(self, findings):
        """Called by forms after the many-to-many is known (it cannot be checked in clean())."""
        if not findings and not self.no_finding_reason.strip():
            message = "Say why this action answers no Ofsted finding, or link it to the findings it answers."
            raise ValidationError({"no_finding_reason": message})

    def check_can_unlink(self, finding):
        if self.findings.count() == 1 and not self.no_finding_reason.strip():
            raise ValidationError(
                "This is the only finding the action answers. An action that answers no finding must say why: "
                "ask an administrator to record the reason, or link another finding first.",
                code="last_finding",
            )

    @transaction.atomic
    def record_progress(
        self,
        *,
        by,
        commentary="",
        rating=None,
        status=None,
        completed_on=None,
        as_of=None,
        expected_version=None,
        via=VIA_PAGE,
    ):
        """Report progress as of a date (today unless given): a progress note, a new status (with
        its completion date when complete) and a rating, any of them, at least one."""
        as_of = as_of or today()
        commentary = commentary.strip()
        rating = rating or None
        status = status or None
        if status is not None and status not in self.Status.values:
            raise ValidationError("Choose a status from the list.", code="status")
        status_changed = status is not None and status != self.status
        if rating is None and not status_changed and not commentary:
            raise ValidationError("Enter a rating, a new status or a progress note.", code="nothing_to_record")
        if rating is not None:
            self._check_rating(rating, commentary, as_of)
        else:
            check_not_in_future(as_of)
        if status_changed and status == self.Status.COMPLETE:
            if completed_on is None:
                raise ValidationError("Enter the date the action was completed.", code="completed_on_required")
            check_not_in_future(completed_on, "The completion date")
            if self.start_date and completed_on < self.start_date:
                raise ValidationError(
                    f"The completion date cannot be before the action started ({self.start_date:%-d %B %Y}).",
                    code="completed_before_start",
                )
        elif completed_on is not None:
            raise ValidationError(
                "Enter a completion date only when marking the action complete.", code="completed_on_not_complete"
            )
        if status_changed and status == self.Status.CANCELLED and not commentary:
            raise ValidationError("Say why the action is cancelled.", code="commentary_required")

        self.claim_version(expected_version)
        update = self._append_update(
            by=by,
            via=via,
            as_of=as_of,
            rating=rating,
            commentary=commentary,
            status=status if status_changed else "",
            completed_on=completed_on,
        )
        self.follow_updates()
        return update

    def follow_updates(self):
        """Bring the status and completion date into step with the latest update that gave a
        status: the updates are the record, these columns are what lists filter on."""
        latest = self.updates.exclude(status="").order_by("-as_of", "-pk").first()
        self.status = latest.status if latest else self.Status.NOT_STARTED
        self.completed_on = latest.completed_on if latest else None
        # The update is the history of this change; no second copy in the action's own history.
        self.save_without_historical_record(update_fields=["status", "completed_on", "version"])

    @transaction.atomic
    def move_due_date(self, *, by, to, precision=DatePrecision.DAY, reason, expected_version=None, via=VIA_PAGE):
        """Re-baseline: move the due date, saying why. The first agreed date is kept."""
        reason = reason.strip()
        if to is None:
            raise ValidationError("Enter the new due date.", code="due_date_required")
        if not self.is_open:
            raise ValidationError(
                f"The action is {self.get_status_display().lower()}: its due date can no longer move.", code="closed"
            )
        if self.due_date == to and self.due_date_precision == precision:
            raise ValidationError(f"The action is already due {self.due_date_display}.", code="unchanged")
        if self.due_date is not None and not reason:
            raise ValidationError("Say why the due date is moving.", code="reason_required")
        if self.start_date and end_of_period(to, precision) < self.start_date:
            raise ValidationError(
                f"The due date cannot be before the action started ({self.start_date:%-d %B %Y}).",
                code="due_before_start",
            )
        self.claim_version(expected_version)
        change = DueDateChange.objects.create(
            action=self,
            previous_due_date=self.due_date,
            previous_precision=self.due_date_precision if self.due_date else "",
            due_date=to,
            due_date_precision=precision,
            reason=reason,
            recorded_by=by,
            recorded_via=via,
        )
        if self.due_date is not None and self.original_due_date is None:
            self.original_due_date, self.original_due_date_precision = self.due_date, self.due_date_precision
        self.due_date, self.due_date_precision = to, precision
        self._record_history(
            by, f"Due date moved to {self.due_date_display}: {reason}" if reason else "Due date set", via
        )
        self.save()
        self.refresh_from_db(fields=["due_by"])
        return change

    def timeline(self):
        entries = super().timeline()
        changes = self.due_date_changes.select_related("recorded_by__person")
        return newest_first([*entries, *(change.as_timeline_entry() for change in changes)])


class ProgressUpdate(AppendOnlyModel):
    """A dated, append-only report of progress on a priority or an action: a RAG rating, a
    commentary and, for an action, a new status, any of them. Nothing overwrites an earlier
    update; the latest rated one is current, and an action's status is its latest given one."""

    NATURAL_KEY = ("key",)
    HISTORY_OF = "the plan"

    key = models.CharField(max_length=120, unique=True, default=new_key, editable=False)
    # PROTECT: a priority or action with history cannot be deleted out from under it.
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="updates")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.PROTECT, related_name="updates")
    date = models.DateField(help_text="The date the rating or progress is reported for.")
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    as_of = period_end_field("date", "date_precision")
    rating = models.CharField(max_length=5, choices=Rating.choices, blank=True, null=True)
    status = models.CharField(
        max_length=20, choices=Action.Status.choices, blank=True, help_text="An action's new status, if it changed."
    )
    completed_on = models.DateField(null=True, blank=True)
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
    recorded_via = models.CharField(max_length=200, blank=True, help_text="The page, upload or command used.")

    class Meta:
        ordering = ["-as_of", "-pk"]
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
                condition=Q(rating__isnull=False) | ~Q(commentary="") | ~Q(status=""),
                name="update_says_something",
                violation_error_message="An update needs a rating, a commentary or a status.",
            ),
            models.CheckConstraint(
                condition=Q(status="") | Q(action__isnull=False),
                name="update_status_only_for_actions",
                violation_error_message="Only an action has a status.",
            ),
            models.CheckConstraint(
                condition=Q(status="complete", completed_on__isnull=False)
                | (~Q(status="complete") & Q(completed_on__isnull=True)),
                name="update_complete_has_completion_date",
                violation_error_message="An update that completes an action gives its completion date; no other does.",
            ),
        ]
        indexes = [
            models.Index(fields=["priority", "-as_of"], name="update_priority_asof_idx"),
            models.Index(fields=["action", "-as_of"], name="update_action_asof_idx"),
            models.Index(fields=["recorded_at"], name="update_recorded_at_idx"),
            # The latest update of the plan in use (`with_latest_update_in_use()`), newest first.
            models.Index(
                fields=["-as_of", "-id"], condition=Q(priority__isnull=False), name="update_priority_newest_idx"
            ),
            models.Index(fields=["-as_of", "-id"], condition=Q(action__isnull=False), name="update_action_newest_idx"),
            # A briefing pack's window: the ratings given, and the actions completed, in it.
            models.Index(fields=["as_of", "id"], condition=Q(rating__isnull=False), name="update_rated_asof_idx"),
            models.Index(fields=["completed_on", "id"], condition=Q(status="complete"), name="update_completed_idx"),
        ]

    def __str__(self):
        subject = self.priority or self.action
        rating = f" {self.get_rating_display()}" if self.rating else ""
        return f"{subject}:{rating} on {self.date:%d/%m/%Y}"

    @property
    def date_display(self):
        return format_with_precision(self.date, self.date_precision)

    @property
    def author_display(self):
        return attribution_name(self.recorded_by, self.author)

    def as_timeline_entry(self):
        what = []
        if self.rating:
            what.append(f"Rated {self.get_rating_display()}")
        if self.status:
            what.append(f"Status: {self.get_status_display()}")
            if self.completed_on:
                what[-1] += f" on {self.completed_on:%-d %B %Y}"
        if self.reported_to:
            what.append(f"reported to {self.reported_to}")
        return TimelineEntry(
            date=self.date,
            date_precision=self.date_precision,
            recorded_at=self.recorded_at,
            who=self.author_display,
            what="; ".join(what) or "Progress note",
            text=self.commentary,
            rating=self.rating,
            via=self.recorded_via,
        )


class DueDateChange(AppendOnlyModel):
    """An action's due date moved (re-baselined), from what to what, and why."""

    NATURAL_KEY = ("key",)
    HISTORY_OF = "the plan"

    key = models.CharField(max_length=120, unique=True, default=new_key, editable=False)
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="due_date_changes")
    previous_due_date = models.DateField(null=True, blank=True)
    previous_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    due_date = models.DateField()
    due_date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_via = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(previous_due_date__isnull=True) | ~Q(reason=""),
                name="due_date_move_has_reason",
                violation_error_message="Moving a due date needs a reason.",
            ),
        ]
        indexes = [models.Index(fields=["recorded_at"], name="due_date_change_recorded_idx")]

    def __str__(self):
        return f"{self.action}: due {self.due_date_display}"

    @property
    def due_date_display(self):
        return format_with_precision(self.due_date, self.due_date_precision)

    @property
    def previous_due_date_display(self):
        return format_with_precision(self.previous_due_date, self.previous_precision)

    def as_timeline_entry(self):
        what = (
            f"Due date moved from {self.previous_due_date_display} to {self.due_date_display}"
            if self.previous_due_date
            else f"Due date set: {self.due_date_display}"
        )
        return TimelineEntry(
            date=timezone.localtime(self.recorded_at).date(),
            recorded_at=self.recorded_at,
            who=attribution_name(self.recorded_by),
            what=what,
            text=self.reason,
            via=self.recorded_via,
        )


# Calendar months differ in length by up to three days; periods further apart are not alike.
LIKE_PERIOD_LENGTH_TOLERANCE = dt.timedelta(days=3)


@dataclass(frozen=True)
class Comparison:
    """The earlier value of a like period that a measure's latest value is compared with."""

    value: Decimal
    value_display: str
    period_display: str


VALUE_FIELDS = (
    "value",
    "period_start",
    "period_end",
    "period_precision",
    "period_label",
    "dated_by_report",
    "qualifier",
)


# What `Measure.comparison` reads of the earlier value it compares the latest with.
COMPARED_FIELDS = ("value", "period_start", "period_end", "period_precision", "period_label")


def _value_annotations(prefix, values, offset):
    """Subqueries for what `Measure.comparison` reads of the value at `offset` of `values`."""
    return {f"{prefix}_{field}": Subquery(values.values(field)[offset : offset + 1]) for field in COMPARED_FIELDS}


class MeasureQuerySet(NaturalKeyQuerySet):
    def for_user(self, user):
        """The measures the user owns, through the person linked to their account."""
        return self.filter(owner__user=user) if user.is_authenticated else self.none()

    def with_latest_values(self):
        """Annotate the latest and previous values and the latest period, in one query.

        `Measure.current_rating`, `Measure.comparison` and `Measure.direction` read these
        annotations: the latest value (`latest_*`, through the pointer the database keeps), the
        one before it (`previous_*`) and, for year-to-date measures, the value for the same
        point of the year before (`year_earlier_*`). Only the latest is read on every row a
        list filters or sorts; the others are worked out for the rows shown.
        """
        values = MeasureValue.objects.filter(measure=OuterRef("pk")).latest_first()
        year_earlier = values.filter(
            as_of__year=ExtractYear(OuterRef("latest_as_of")) - 1,
            as_of__month=ExtractMonth(OuterRef("latest_as_of")),
        )
        latest = MeasureValue.objects.filter(pk=OuterRef("latest"))
        return self.annotate(
            **pointed_at(latest, **{f"latest_{field}": field for field in VALUE_FIELDS}),
            latest_as_of=Subquery(latest.order_by().values("as_of"), output_field=models.DateField()),
            **_value_annotations("previous", values, 1),
            **_value_annotations("year_earlier", year_earlier, 0),
        )

    def with_latest_rating(self):
        """`with_latest_values()`, and the latest value's RAG as `latest_rating` in SQL, by the
        rule of `Measure.rating_for()`, so that a list can filter and sort by rating.

        The rating is worked out in one subquery on the latest value: a list filtered by rating
        reads each measure's latest value once, where the rule names it four times."""
        value, target = F("value"), OuterRef("target")
        shortfall = Round(
            models.Case(
                models.When(Exact(OuterRef("polarity"), Measure.Polarity.HIGHER_IS_BETTER), then=target - value),
                default=value - target,
                output_field=models.DecimalField(max_digits=15, decimal_places=2),
            ),
            2,
        )
        rating = models.Case(
            models.When(LessThanOrEqual(shortfall, 0), then=Value(Rating.GREEN)),
            # A null tolerance compares as unknown: no amber band, so red.
            models.When(LessThanOrEqual(shortfall, OuterRef("amber_tolerance")), then=Value(Rating.AMBER)),
            default=Value(Rating.RED),
            output_field=models.CharField(),
        )
        latest = MeasureValue.objects.filter(pk=OuterRef("latest")).order_by().annotate(rating=rating)
        return self.with_latest_values().annotate(
            latest_rating=models.Case(
                # Not rated without a target or a direction; no latest value gives no row, so none.
                models.When(
                    Q(target__isnull=True)
                    | ~Q(polarity__in=[Measure.Polarity.HIGHER_IS_BETTER, Measure.Polarity.LOWER_IS_BETTER]),
                    then=None,
                ),
                default=Subquery(latest.values("rating")),
                output_field=models.CharField(),
            )
        )


class Measure(NaturalKeyModel, VersionedModel, AnswersFindings):
    """A performance measure on the scorecard, with its owner, target and RAG tolerance.

    RAG: green when the value meets the target, amber when it misses by no more than the
    tolerance, red beyond. Direction of travel compares the latest value with the value of a
    like period before it (`comparison`), changes within `stable_margin` counting as stable.
    Both respect polarity. Whether it is on course for its target by its target date is
    `trajectory()`. Values are recorded with `record_value()` and corrected with
    `MeasureValue.correct()`; the target is set with `set_target()`, its earlier values kept in
    the measure's history.
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

        @property
        def sentence(self):
            return {
                "higher": "Higher is better: a rise is an improvement.",
                "lower": "Lower is better: a fall is an improvement.",
                "neither": "Neither higher nor lower is better: it gives context, and is not rated.",
            }[self.value]

    class DataPeriod(models.TextChoices):
        MONTH = "month", "Month"
        QUARTER = "quarter", "Quarter"
        ROLLING_12_MONTHS = "rolling_12_months", "Rolling 12 months"
        YEAR_TO_DATE = "year_to_date", "Year to date"
        YEAR = "year", "Year"
        SNAPSHOT = "snapshot", "Snapshot"

        @property
        def compared_with(self):
            """The like period a value of this kind is compared with for direction of travel."""
            return {
                "month": "the month before",
                "quarter": "the quarter before",
                "rolling_12_months": "the 12 months to the reporting date before",
                "year_to_date": "the same point of the year before",
                "year": "the year before",
                "snapshot": "the snapshot before",
            }[self.value]

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
    owner = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_measures",
        help_text="Who records its values.",
    )
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(null=True, blank=True, help_text="When the target should be reached.")
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
    plans = models.ManyToManyField(
        "ImprovementPlan",
        blank=True,
        related_name="scorecard",
        help_text="Plans that report it as one of their key measures (besides those under their priorities).",
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where the data comes from.")
    # The latest value (`with_latest_values()` reads it).
    latest = kept_pointer("MeasureValue")

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[findings], excluded_fields=["latest"])

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

    def rating_rules(self):
        """The rule that gives each colour, in words: [(Rating, condition)], empty when the
        measure is not rated (no target, or neither higher nor lower is better)."""
        if self.target is None or not self.has_direction:
            return []
        higher = self.polarity == self.Polarity.HIGHER_IS_BETTER
        target = self.format_value(self.target)
        rules = [(Rating.GREEN, f"{'at or above' if higher else 'at or below'} the target of {target}")]
        if self.amber_tolerance:
            edge = self.format_value(
                self.target - self.amber_tolerance if higher else self.target + self.amber_tolerance
            )
            rules.append((Rating.AMBER, f"{'below' if higher else 'above'} {target}, but no further than {edge}"))
            rules.append((Rating.RED, f"{'below' if higher else 'above'} {edge}"))
        else:
            rules.append((Rating.RED, f"{'below' if higher else 'above'} {target} (no amber tolerance is set)"))
        return rules

    @property
    def rating_reason(self):
        """Why the latest value has the rating it has, or why it has none; needs
        `with_latest_values()`."""
        if self.polarity == self.Polarity.NEITHER:
            return "Not rated: this is a context measure, for which neither higher nor lower is better."
        if self.target is None:
            return "Not rated: no target is set."
        if not self.polarity:
            return "Not rated: whether higher or lower is better has not been set."
        if self.latest_value is None:
            return "Not rated: no value has been recorded."
        rating = self.current_rating
        condition = dict(self.rating_rules())[rating]
        kind = f" ({self.get_data_period_display().lower()} figure)" if self.data_period else ""
        return (
            f"{rating.label}: the latest value, {self.latest_value_display} for {self.latest_period_display}{kind}, "
            f"is {condition}."
        )

    def latest_comparators(self):
        """Each comparator group's latest value, from prefetched `comparator_values` (with groups)."""
        latest = {}
        for value in sorted(self.comparator_values.all(), key=lambda value: value.as_of):
            latest[value.group] = value
        return sorted(latest.values(), key=lambda value: (value.group.kind, value.group.name))

    def trajectory(self, today=None):
        """Whether it is on course for its target by its target date on its recent trend
        (`improvement.trajectory`); reads `values`, so prefetch them on a page of many."""
        return trajectory(
            [(value.as_of, value.value) for value in self.values.all()],
            target=self.target,
            target_date=self.target_date,
            polarity=self.polarity,
            today=today or timezone.localdate(),
            unit=self.unit,
            format_value=self.format_value,
        )

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

    def reason_for(self, value):
        """Why `rating_for(value)` gives what it gives, in words a councillor can check."""
        if self.polarity == self.Polarity.NEITHER:
            return "A context measure: not rated against a target."
        if not self.polarity:
            return "Whether higher or lower is better has not been set, so the value is not rated."
        if self.target is None:
            return "No target is set, so the value is not rated."
        target = self.format_value(self.target)
        shortfall = self.target - value if self.polarity == self.Polarity.HIGHER_IS_BETTER else value - self.target
        if shortfall <= 0:
            return f"Meets the target of {target}."
        missed = f"Misses the target of {target} by {self.format_difference(shortfall)}"
        if self.amber_tolerance is None:
            return f"{missed}."
        within = "within" if self.rating_for(value) == Rating.AMBER else "beyond"
        return f"{missed}, {within} the amber tolerance of {self.format_difference(self.amber_tolerance)}."

    def format_difference(self, amount):
        """A gap between two values: percentage points for a percentage, else the unit's own."""
        if self.unit == self.Unit.PERCENTAGE:
            return f"{amount.normalize():f} percentage point{'' if amount == 1 else 's'}"
        return self.format_value(amount)

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
    def polarity_sentence(self):
        if not self.polarity:
            return "Not set: the sources do not say whether higher or lower is better."
        return self.Polarity(self.polarity).sentence

    @property
    def data_period_compared_with(self):
        if not self.data_period:
            return "the value before (the data period is not set)"
        return self.DataPeriod(self.data_period).compared_with

    @property
    def target_display(self):
        return self.format_value(self.target) if self.target is not None else ""

    @property
    def latest_value_display(self):
        """The latest value in the measure's unit, with its source's qualifier; needs `with_latest_values()`."""
        figure = self.format_value(self.latest_value)
        return f"{Qualifier(self.latest_qualifier).label} {figure}" if self.latest_qualifier else figure

    @property
    def comparison(self):
        """The earlier value the latest is compared with, for a like period only
        (`DataPeriod.compared_with`); None when there is none. Needs `with_latest_values()`.

        A year-to-date value is compared with the same point of the year before; any other with
        the value before it, unless both periods' starts are known and their lengths differ by
        more than calendar months do (a quarter is not compared with a month)."""
        earlier = "year_earlier" if self.data_period == self.DataPeriod.YEAR_TO_DATE else "previous"
        value = getattr(self, f"{earlier}_value")
        if value is None or self.latest_value is None:
            return None
        start, end = getattr(self, f"{earlier}_period_start"), getattr(self, f"{earlier}_period_end")
        if start and self.latest_period_start:
            length, latest_length = end - start, self.latest_period_end - self.latest_period_start
            if abs(length - latest_length) > LIKE_PERIOD_LENGTH_TOLERANCE:
                return None
        label = getattr(self, f"{earlier}_period_label")
        return Comparison(
            value=value,
            value_display=self.format_value(value),
            period_display=label or format_with_precision(end, getattr(self, f"{earlier}_period_precision")),
        )

    @property
    def direction(self):
        """Direction of travel from the like period before to the latest value; needs
        `with_latest_values()`."""
        comparison = self.comparison
        return self.direction_between(comparison.value if comparison else None, self.latest_value)

    def clean(self):
        if self.unit == self.Unit.PERCENTAGE and self.target is not None and not 0 <= self.target <= 100:
            raise ValidationError({"target": "A percentage target must be between 0 and 100."})

    def check_value(self, value, what="A value"):
        """A value must make sense in the measure's unit; the message says how it does not."""
        if value is None:
            raise ValidationError(f"Enter {what[0].lower()}{what[1:]}.", code="required")
        if value < 0:
            raise ValidationError(f"{what} cannot be negative.", code="negative")
        if self.unit == self.Unit.PERCENTAGE and value > 100:
            raise ValidationError("A percentage must be between 0 and 100.", code="over_100")
        if self.unit == self.Unit.COUNT and value != value.to_integral_value():
            raise ValidationError("A count must be a whole number.", code="not_whole")

    @transaction.atomic
    def record_value(
        self, *, by, period_end, value, precision=DatePrecision.DAY, period_label="", note="", via=VIA_PAGE
    ):
        """Record the authority's value for a period (one value per period; a recorded one is
        corrected with `MeasureValue.correct()`, never recorded over)."""
        if period_end is None:
            raise ValidationError("Enter the period the value is for.", code="period_required")
        check_not_in_future(period_end, "The period")
        self.check_value(value)
        existing = self.values.filter(period_end=period_end).first()
        if existing:
            raise ValueAlreadyRecorded(existing)
        try:
            with transaction.atomic():
                recorded = MeasureValue(
                    measure=self,
                    period_end=period_end,
                    period_precision=precision,
                    period_label=period_label,
                    value=value,
                    note=note,
                    recorded_by=by,
                    recorded_via=via,
                )
                # The history row names the path, as every other verb's does (the audit trail
                # reads it from there).
                recorded._history_user = by
                recorded._change_reason = "Value recorded" if via == VIA_PAGE else f"Value recorded (via {via})"
                recorded.save(force_insert=True)
                return recorded
        except IntegrityError:
            # Someone recorded this period between our check and our insert.
            raise ValueAlreadyRecorded(self.values.get(period_end=period_end)) from None

    @transaction.atomic
    def set_target(
        self, *, by, target, amber_tolerance=None, target_date=None, reason="", expected_version=None, via=VIA_PAGE
    ):
        """Set or change the target, the amber tolerance and the date to reach the target by.
        The earlier values stay in the measure's history, with who changed them and why."""
        if target is not None:
            self.check_value(target, "The target")
        if amber_tolerance is not None:
            if target is None:
                raise ValidationError("A tolerance needs a target.", code="tolerance_needs_target")
            if amber_tolerance < 0:
                raise ValidationError("The tolerance cannot be negative.", code="negative")
        if (target, amber_tolerance, target_date) == (self.target, self.amber_tolerance, self.target_date):
            raise ValidationError("The target, tolerance and date are unchanged.", code="unchanged")
        if self.target is not None and not reason.strip():
            raise ValidationError("Say why the target is changing.", code="reason_required")
        self.claim_version(expected_version)
        self.target, self.amber_tolerance, self.target_date = target, amber_tolerance, target_date
        self._record_history(by, reason.strip() or "Target set", via)
        self.save()

    def timeline(self):
        """Values recorded and corrected, and target changes, newest first, from the history
        that `record_value()`, `MeasureValue.correct()` and `set_target()` write."""
        targets = self.history.select_related("history_user__person").order_by("history_date", "history_id")
        values = MeasureValue.history.filter(measure_id=self.pk).select_related("history_user__person")
        return newest_first(
            [*self._target_changes(targets), *self._value_changes(values.order_by("history_date", "history_id"))]
        )

    def _target_changes(self, records):
        previous = None
        for record in records:
            target = (record.target, record.amber_tolerance, record.target_date)
            if previous is not None and target != (previous.target, previous.amber_tolerance, previous.target_date):
                what = f"Target set to {self.format_value(record.target)}"
                if record.amber_tolerance is not None:
                    what += f", amber within {self.format_value(record.amber_tolerance)}"
                if record.target_date:
                    what += f", to be reached by {record.target_date:%-d %B %Y}"
                if previous.target is not None:
                    what += f" (was {self.format_value(previous.target)})"
                yield _history_entry(record, what)
            previous = record

    def _value_changes(self, records):
        last_seen = {}
        for record in records:
            before = last_seen.get(record.id)
            period = record.instance.period_display
            if record.history_type == "+":
                entry = _history_entry(record, f"Value for {period} recorded: {self.format_value(record.value)}")
                entry.via = record.recorded_via
                yield entry
            elif before is not None and before.value != record.value:
                yield _history_entry(
                    record,
                    f"Value for {period} corrected from {self.format_value(before.value)} "
                    f"to {self.format_value(record.value)}",
                )
            last_seen[record.id] = record

    def format_value(self, value):
        """A value in the measure's unit, as pages show it: 68%, 168, £1,450,000, 12 days."""
        if value is None:
            return "—"
        if self.unit == self.Unit.PERCENTAGE:
            return f"{value.normalize():f}%"
        if self.unit == self.Unit.POUNDS:
            return f"£{value:,.0f}"
        number = f"{value.normalize():,f}"
        suffix = {self.Unit.DAYS: " days", self.Unit.WEEKS: " weeks", self.Unit.RATE_PER_10000: " per 10,000"}
        return number + suffix.get(self.unit, "")


class ValueAlreadyRecorded(ValidationError):
    """A value for the period is already recorded: it is corrected, never recorded over."""

    def __init__(self, value):
        self.value = value
        super().__init__(
            f"A value for {value.period_display} is already recorded ({value.value_display}). "
            "Correct it instead, giving the reason.",
            code="exists",
        )


def _history_entry(record, what):
    """A timeline entry from a django-simple-history record: its user, time and reason."""
    return TimelineEntry(
        date=timezone.localtime(record.history_date).date(),
        recorded_at=record.history_date,
        who=attribution_name(record.history_user),
        what=what,
        text=record.history_change_reason or "",
    )


class MeasureValueQuerySet(NaturalKeyQuerySet):
    def latest_first(self):
        """By the end of the period each value is for: a value for May 2024 comes after one for
        20 May 2024."""
        return self.order_by("-as_of", "-pk")

    def latest_of_each_measure(self, count):
        """Each measure's latest `count` values, latest first."""
        recency = models.Window(RowNumber(), partition_by=F("measure"), order_by=[F("as_of").desc(), F("pk").desc()])
        return self.annotate(recency=recency).filter(recency__lte=count).latest_first()


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
    as_of = period_end_field("period_end", "period_precision")
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

    @property
    def value_display(self):
        """The figure in its measure's unit, with the source's qualifier before it ("approximately 200")."""
        figure = self.measure.format_value(self.value)
        return f"{self.get_qualifier_display()} {figure}" if self.qualifier else figure

    def check_value_in_range(self):
        try:
            self.measure.check_value(self.value)
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from None


class MeasureValue(NaturalKeyModel, PeriodValue, VersionedModel):
    """The authority's own value of a measure for one period. Recorded once per period by
    `Measure.record_value()`; changed only by `correct()`, which keeps the earlier value and
    the reason in its history."""

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
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_via = models.CharField(max_length=200, blank=True)

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
        indexes = [
            models.Index(fields=["measure", "-as_of"], name="measure_value_asof_idx"),
            models.Index(fields=["recorded_at"], name="measure_value_recorded_idx"),
            # A briefing pack's window: the values for periods ending in it, in the pack's order.
            models.Index(fields=["as_of", "id"], name="measure_value_window_idx"),
        ]

    def __str__(self):
        return f"{self.measure}: {self.value} ({self.period_display})"

    def clean(self):
        if self.measure_id:
            self.check_value_in_range()

    @transaction.atomic
    def correct(self, *, by, value, reason, expected_version=None, via=VIA_PAGE):
        """Correct a recorded value, saying why; the value it replaces stays in its history."""
        self.measure.check_value(value)
        if value == self.value:
            raise ValidationError(f"The value is already {self.value_display}.", code="unchanged")
        if not reason.strip():
            raise ValidationError("Say why the value is being corrected.", code="reason_required")
        self.claim_version(expected_version)
        self.value = value
        self._history_user = by
        self._change_reason = reason.strip() if via == VIA_PAGE else f"{reason.strip()} (via {via})"
        self.save()

    def timeline(self):
        return [entry for entry in self.measure.timeline() if self.period_display in entry.what]


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


class ComparatorValueQuerySet(NaturalKeyQuerySet):
    def latest_of_each_group(self):
        """Each comparator group's latest value of each measure (`Measure.latest_comparators()`)."""
        later = ComparatorValue.objects.filter(
            measure=OuterRef("measure"), group=OuterRef("group"), as_of__gt=OuterRef("as_of")
        )
        return self.exclude(models.Exists(later))


class ComparatorValue(NaturalKeyModel, PeriodValue):
    """A comparator group's value of a measure for one period."""

    NATURAL_KEY = ("measure", "group", "period_end")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="comparator_values")
    group = models.ForeignKey(ComparatorGroup, on_delete=models.PROTECT, related_name="values")

    objects = ComparatorValueQuerySet.as_manager()

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
        # Each group's latest value of a measure (`latest_of_each_group()`): one index read each.
        indexes = [models.Index(fields=["measure", "group", "-as_of"], name="comparator_value_latest_idx")]

    def __str__(self):
        return f"{self.group}: {self.value} ({self.period_display})"

    def clean(self):
        if self.measure_id:
            self.check_value_in_range()


class BulkUpdateQuerySet(models.QuerySet):
    def expire_previews(self):
        """Previews left unconfirmed past their lifetime lose the file and rows they kept."""
        cutoff = timezone.now() - BulkUpdate.PREVIEW_LIFETIME
        return self.filter(status=BulkUpdate.Status.PREVIEWED, uploaded_at__lt=cutoff).update(
            status=BulkUpdate.Status.EXPIRED, content=b"", rows=[]
        )


class BulkUpdate(models.Model):
    """An upload of the monthly bulk update spreadsheet: who uploaded which file (and its
    checksum), when, and what each row did or would do.

    The file is kept only while its preview waits to be confirmed; once applied the record keeps
    what changed, and a cancelled or expired preview keeps only its counts. The changes
    themselves are made by the verbs, each naming this upload in its history (`via`)."""

    PREVIEW_LIFETIME = dt.timedelta(hours=24)

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, not applied"
        APPLIED = "applied", "Applied"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired before it was applied"
        REFUSED = "refused", "Refused: the file could not be read"

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 checksum of the file, in hex.")
    size = models.PositiveIntegerField(help_text="In bytes.")
    plan = models.ForeignKey(
        ImprovementPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="bulk_updates"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    refused_because = models.TextField(blank=True)
    content = models.BinaryField(blank=True, default=b"", help_text="The file, kept until the preview is settled.")
    rows = models.JSONField(default=list, blank=True, help_text="Per row: outcome, changes, errors by column.")
    counts = models.JSONField(default=dict, blank=True, help_text="Rows per outcome.")
    only_if_all_valid = models.BooleanField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = BulkUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="applied", applied_at__isnull=False)
                | (~Q(status="applied") & Q(applied_at__isnull=True)),
                name="bulk_update_applied_at_when_applied",
                violation_error_message="An applied bulk update has the time it was applied; no other has.",
            ),
            models.CheckConstraint(
                condition=(Q(status="refused") & ~Q(refused_because=""))
                | (~Q(status="refused") & Q(refused_because="")),
                name="bulk_update_refusal_has_reason",
                violation_error_message="A refused upload says why, and only a refused one.",
            ),
        ]
        indexes = [models.Index(fields=["status", "uploaded_at"], name="bulk_update_status_idx")]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display().lower()})"

    @property
    def via(self):
        """How the changes it makes name it in their history."""
        return f"spreadsheet {self.file_name} (bulk update {self.pk})"[:200]

    @property
    def is_expired(self):
        return self.status == self.Status.PREVIEWED and self.uploaded_at < timezone.now() - self.PREVIEW_LIFETIME
