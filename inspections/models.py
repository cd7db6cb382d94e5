"""What Ofsted said: authorities, inspections and visits, their findings, and the people named.

This app is the bottom of the golden thread. `improvement` and `scrutiny` point at findings
and this app imports nothing from them: what answers a finding is read above all three apps,
in `config/golden_thread.py`.
"""

import calendar
import contextvars
import datetime as dt
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date


class DatePrecision(models.TextChoices):
    """How much of a date the source gives: '9 March 2022', 'April 2013' or '2013'."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def end_of_period(value, precision):
    """The last day of the period a date stands for: '2024-05-01' with month precision means
    May 2024, which is over only at the end of 31 May."""
    if value is None:
        return None
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    if precision == DatePrecision.YEAR:
        return dt.date(value.year, 12, 31)
    return value


class PeriodEnd(models.Func):
    """`end_of_period()` in SQL, for generated columns that sort and compare dates by the end of
    the period they stand for (an update of "2020" sorts after one of 5 March 2020).

    Written per database because neither shares the other's date arithmetic; both forms are
    immutable, as a stored generated column requires.
    """

    output_field = models.DateField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        precision_sql, precision_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "sqlite":
            month = f"date({date_sql}, 'start of month', '+1 month', '-1 day')"
            year = f"date({date_sql}, 'start of year', '+1 year', '-1 day')"
        else:
            month = f"(date_trunc('month', {date_sql}::timestamp) + interval '1 month - 1 day')::date"
            year = f"(date_trunc('year', {date_sql}::timestamp) + interval '1 year - 1 day')::date"
        sql = f"(CASE {precision_sql} WHEN 'month' THEN {month} WHEN 'year' THEN {year} ELSE {date_sql} END)"
        return sql, (*precision_params, *date_params, *date_params, *date_params)


def period_end_field(date_field, precision_field):
    """A stored generated column: the last day of the period `date_field` stands for."""
    return models.GeneratedField(
        expression=PeriodEnd(date_field, precision_field),
        output_field=models.DateField(),
        db_persist=True,
    )


def count_of(rows):
    """How many `rows` there are, for `annotate()`: a subquery (which may refer to the outer
    query by OuterRef), 0 when there are none. COUNT is a plain function here, not an
    aggregate, so that the subquery has no GROUP BY."""
    counted = rows.order_by().annotate(_count=models.Func(F("pk"), function="COUNT")).values("_count")
    return Coalesce(models.Subquery(counted, output_field=models.IntegerField()), 0)


def format_with_precision(value, precision):
    if value is None:
        return ""
    if precision == DatePrecision.MONTH:
        return format_date(value, "F Y")
    if precision == DatePrecision.YEAR:
        return format_date(value, "Y")
    return format_date(value, "j F Y")


# While a fixture load runs, the rows each natural key was found to name (`remembering_natural_keys`):
# a load mentions the same committee, authority or inspection hundreds of times, and each is looked
# up once. Only rows found are remembered; a load creates rows but never deletes or re-keys one.
_natural_keys = contextvars.ContextVar("natural_keys", default=None)


@contextmanager
def remembering_natural_keys():
    """Within the block, each natural key is looked up in the database once."""
    token = _natural_keys.set({})
    try:
        yield
    finally:
        _natural_keys.reset(token)


class NaturalKeyQuerySet(models.QuerySet):
    """Looks a row up by its natural key: the fields named in the model's NATURAL_KEY."""

    def get_by_natural_key(self, *key):
        remembered = _natural_keys.get()
        if remembered is None or self.query.where:
            return self._get_by_natural_key(*key)
        name = (self.model._meta.label_lower, repr(key))
        if name not in remembered:
            remembered[name] = self._get_by_natural_key(*key)
        return remembered[name]

    def _get_by_natural_key(self, *key):
        lookups = {}
        remaining = list(key)
        for name in self.model.NATURAL_KEY:
            field = self.model._meta.get_field(name)
            if field.is_relation:
                related = field.related_model
                width = len(related.natural_key_fields())
                part, remaining = remaining[:width], remaining[width:]
                try:
                    lookups[name] = related._default_manager.get_by_natural_key(*part)
                except related.DoesNotExist:
                    raise self.model.DoesNotExist(f"No {related._meta.verbose_name} has the key {part}.") from None
            else:
                lookups[name], remaining = remaining[0], remaining[1:]
        return self.get(**lookups)


class NaturalKeyModel(models.Model):
    """A model that fixtures hold, identified by NATURAL_KEY instead of its primary key.

    Foreign keys in NATURAL_KEY are expanded into the related row's own natural key, so a
    finding is keyed by its inspection's key plus its kind and number.
    """

    NATURAL_KEY: tuple[str, ...] = ()
    # Whether fixtures transcribed from the sources may hold it (see `inspections.loading`).
    TRANSCRIBED = True

    objects = NaturalKeyQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def natural_key_fields(cls):
        width = []
        for name in cls.NATURAL_KEY:
            field = cls._meta.get_field(name)
            width += field.related_model.natural_key_fields() if field.is_relation else [name]
        return width

    def natural_key(self):
        key = ()
        for name in self.NATURAL_KEY:
            field = self._meta.get_field(name)
            value = getattr(self, name)
            if field.is_relation:
                key += value.natural_key()
            elif hasattr(value, "isoformat"):
                key += (value.isoformat(),)
            else:
                key += (value,)
        return key


def new_key():
    """A unique key for history rows that users append (fixtures give their own)."""
    return uuid.uuid4().hex


class AppendOnlyQuerySet(NaturalKeyQuerySet):
    """Refuses bulk changes, which would skip the model's own refusal (see `AppendOnlyModel`)."""

    def _refuse(self, verb):
        raise ValidationError(
            f"{self.model._meta.verbose_name_plural.capitalize()} cannot be {verb}; "
            f"they are part of {self.model.HISTORY_OF}'s history."
        )

    def update(self, **kwargs):
        self._refuse("changed")

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse("changed")

    def delete(self):
        self._refuse("deleted")


class AppendOnlyModel(NaturalKeyModel):
    """History written once: a saved row is never changed or deleted.

    The model refuses `save()` of an existing row and every `delete()`, its QuerySet refuses
    `update()` and `delete()`, and on PostgreSQL a trigger refuses UPDATE and DELETE in the
    database too (`append_only_triggers()`), whoever runs the SQL. Fixture loads append new
    rows and leave existing ones alone.
    """

    HISTORY_OF = "the record"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise ValidationError(
                f"{self._meta.verbose_name.capitalize()} cannot be changed once recorded; add a new one."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(
            f"{self._meta.verbose_name.capitalize()} cannot be deleted; it is part of {self.HISTORY_OF}'s history."
        )


def append_only_triggers(*models_):
    """A migration operation: on PostgreSQL, triggers that refuse UPDATE and DELETE of rows of
    these append-only models. Row triggers do not fire on TRUNCATE, which tests use to empty tables.
    SQLite has no equivalent that would leave its test runner working; the model guards it."""
    from django.db import migrations

    tables = [(app_label, model_name) for app_label, model_name in models_]

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION refuse_change_to_history() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'restrict_violation';
            END;
            $$ LANGUAGE plpgsql;
            """,
            params=None,  # the % are RAISE's placeholders, not the driver's
        )
        for app_label, model_name in tables:
            table = apps.get_model(app_label, model_name)._meta.db_table
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION refuse_change_to_history()"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for app_label, model_name in tables:
            table = apps.get_model(app_label, model_name)._meta.db_table
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"')

    return migrations.RunPython(create, drop)


class EditConflict(ValidationError):
    """Someone else changed a record after the form for it was opened.

    `latest_change` is the newest entry of the record's timeline: what the other person did.
    """

    def __init__(self, record):
        self.record = record
        self.latest_change = record.latest_change()
        who = f" by {self.latest_change.who}" if self.latest_change and self.latest_change.who else ""
        super().__init__(
            f"{record} was changed{who} after you opened this page. Your changes have not been saved: "
            "check what changed, then submit yours again if they still apply.",
            code="edit_conflict",
        )


class VersionedModel(models.Model):
    """A record officers edit: every change moves `version` on by one, in the same UPDATE that
    checks nobody else moved it first, so the second of two concurrent edits is refused rather
    than silently overwriting the first (on any number of app servers sharing one database)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def claim_version(self, expected=None):
        """Take the next version, or raise EditConflict if the row is no longer at `expected`
        (the version a form was opened at; None for callers with nothing older to compare)."""
        expected = self.version if expected is None else int(expected)
        claimed = type(self)._base_manager.filter(pk=self.pk, version=expected).update(version=F("version") + 1)
        if not claimed:
            raise EditConflict(self)
        self.version = expected + 1

    def latest_change(self):
        timeline = self.timeline()
        return timeline[0] if timeline else None

    def timeline(self):
        """Everything that happened to the record, newest first, as `TimelineEntry`s."""
        raise NotImplementedError


@dataclass
class TimelineEntry:
    """One line of a record's timeline: when, who, what happened and what was said, and how it
    was recorded (`via`: the page, upload or command) where the change keeps it."""

    date: dt.date
    what: str
    who: str = ""
    text: str = ""
    rating: str | None = None
    date_precision: str = "day"
    recorded_at: dt.datetime | None = None
    via: str = ""

    @property
    def date_display(self):
        return format_with_precision(self.date, self.date_precision)

    @property
    def what_besides_rating(self):
        """`what` without its leading "Rated <colour>", for pages that show the rating as a tag."""
        rated = f"Rated {self.rating.capitalize()}" if self.rating else ""
        return self.what.removeprefix(rated).removeprefix("; ")

    @property
    def sort_key(self):
        return (end_of_period(self.date, self.date_precision), self.recorded_at or _EARLIEST)


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def newest_first(entries):
    return sorted(entries, key=lambda entry: entry.sort_key, reverse=True)


def attribution_name(user, person=None):
    """How a change's author is named: the person the papers name, else the user's own person,
    else the account's name."""
    if person is not None:
        return str(person)
    if user is None:
        return ""
    linked = getattr(user, "person", None)
    return str(linked) if linked else (user.get_full_name() or user.username)


class Theme(NaturalKeyModel):
    """A managed list of practice themes (MASH and front door, care leavers, neglect, …)."""

    NATURAL_KEY = ("slug",)

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AuthorityQuerySet(NaturalKeyQuerySet):
    def home(self):
        """The authority this tracker follows (settings.HOME_AUTHORITY), or None before it is loaded."""
        return self.filter(short_name=settings.HOME_AUTHORITY).first()


class Authority(NaturalKeyModel):
    """A local authority: the one inspected, or another named as a comparator or partner.

    One of them is the home authority, whose plan the dashboards follow (`Authority.objects.home()`).
    """

    NATURAL_KEY = ("short_name",)

    short_name = models.CharField(max_length=80, unique=True, help_text='As letters name it, e.g. "Devon".')
    name = models.CharField(max_length=160, unique=True, help_text='e.g. "Devon County Council".')
    region = models.CharField(max_length=80, blank=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self):
        return self.name


class Person(NaturalKeyModel):
    """Someone the papers name: officer, councillor, inspector, witness or adviser.

    A person may have a user account; a signed-in user's work follows the person linked to it.
    """

    NATURAL_KEY = ("name",)

    name = models.CharField(max_length=160, unique=True, help_text="Full name as the papers write it, without title.")
    title = models.CharField(max_length=40, blank=True, help_text='e.g. "Councillor", "Dr", "Mrs".')
    job_title = models.CharField(max_length=200, blank=True, help_text="Role or job title as last given by the papers.")
    organisation = models.CharField(max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.title} {self.name}".strip()


class SourceDocument(NaturalKeyModel):
    """A public paper the record is transcribed from: a letter, report, agenda or minutes."""

    NATURAL_KEY = ("reference",)

    class Kind(models.TextChoices):
        LETTER = "letter", "Ofsted letter"
        INSPECTION_REPORT = "inspection_report", "Inspection report"
        COMMITTEE_REPORT = "committee_report", "Committee report"
        AGENDA = "agenda", "Agenda"
        MINUTES = "minutes", "Minutes or meeting report"
        TASK_GROUP_REPORT = "task_group_report", "Task group report"
        OTHER = "other", "Other"

    reference = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    author = models.CharField(max_length=300, blank=True, help_text="Who wrote or published it.")
    location = models.CharField(
        max_length=500, blank=True, help_text="Where it can be found: a web address or file reference."
    )
    addressee = models.ForeignKey(
        "Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="addressed_documents",
        help_text="The person a letter is addressed to, where it names one.",
    )

    class Meta:
        ordering = ["-date", "title"]
        permissions = [
            ("load_fixtures", "Can load fixtures of past letters and meetings"),
            # The audit trail (config/audit.py) reads every app's changes; the permission sits
            # with the record's lowest app, beside the one that loads it.
            ("read_audit_trail", "Can read the audit trail of every change to the record"),
        ]

    def __str__(self):
        return self.title

    @property
    def date_display(self):
        return format_with_precision(self.date, self.date_precision)


class Grade(models.TextChoices):
    """Ofsted's four-point scale, and the older scale's 'adequate' used before 2013."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    ADEQUATE = "adequate", "Adequate"
    INADEQUATE = "inadequate", "Inadequate"

    @property
    def tag_class(self):
        colour = {"outstanding": "green", "good": "green", "requires_improvement": "yellow", "inadequate": "red"}
        return f"govuk-tag govuk-tag--{colour.get(self.value, 'grey')}"


class InspectionQuerySet(NaturalKeyQuerySet):
    def of_home_authority(self):
        return self.filter(authority__short_name=settings.HOME_AUTHORITY)

    def with_overall_judgement(self):
        """Annotate `overall_grade`: the overall effectiveness judgement, or else the grade a source
        gives without naming the judgement ("judged to be inadequate")."""
        overall = Judgement.objects.filter(inspection=OuterRef("pk"), name__in=[Judgement.OVERALL, ""])
        # "Overall effectiveness" sorts before "", so a named overall judgement wins.
        return self.annotate(overall_grade=models.Subquery(overall.order_by("-name").values("grade")[:1]))


class Inspection(NaturalKeyModel):
    """An inspection or visit of an authority's children's services, and its letter or report."""

    NATURAL_KEY = ("authority", "kind", "visit_start")

    class Kind(models.TextChoices):
        PROTECTION_INSPECTION = "protection_inspection", "Inspection of arrangements for the protection of children"
        ILACS_INSPECTION = "ilacs_inspection", "Inspection of local authority children's services (ILACS)"
        SIF_INSPECTION = "sif_inspection", "Single inspection framework inspection"
        MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
        FOCUSED_VISIT = "focused_visit", "Focused visit"
        OTHER = "other", "Other review"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    visit_start = models.DateField(
        help_text="First day of the visit; the first of the month when only the month is known."
    )
    visit_end = models.DateField(null=True, blank=True)
    visit_date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    letter_date = models.DateField(null=True, blank=True, help_text="Date of the letter or published report.")
    framework = models.CharField(
        max_length=300,
        blank=True,
        help_text="e.g. the ILACS framework, section 136 of the Education and Inspections Act 2006.",
    )
    summary = models.TextField(blank=True)
    report = models.ForeignKey(
        SourceDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        help_text="The letter or report itself.",
    )
    inspectors = models.ManyToManyField(Person, through="InspectionInspector", related_name="inspections")
    monitoring_visit_number = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text='Which monitoring visit since the judgement this is, as a source counts it ("the second '
        'monitoring visit").',
    )
    previous_visit = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_visits",
        help_text="The earlier monitoring visit a source says this one follows.",
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-visit_start"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "kind", "visit_start"], name="inspection_unique_per_start"),
            models.CheckConstraint(
                condition=Q(visit_end__isnull=True) | Q(visit_end__gte=models.F("visit_start")),
                name="inspection_visit_end_after_start",
                violation_error_message="The visit cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(letter_date__isnull=True) | Q(letter_date__gte=models.F("visit_start")),
                name="inspection_letter_after_visit",
                violation_error_message="The letter cannot be dated before the visit.",
            ),
            models.CheckConstraint(
                condition=Q(monitoring_visit_number__isnull=True)
                | (Q(kind="monitoring_visit") & Q(monitoring_visit_number__gte=1)),
                name="inspection_visit_number_for_monitoring_visits",
                violation_error_message="Only a monitoring visit has a number, and it counts from 1.",
            ),
            models.CheckConstraint(
                condition=~Q(previous_visit=models.F("pk")),
                name="inspection_not_its_own_previous_visit",
                violation_error_message="A visit cannot follow itself.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.visit_dates_display}"

    def get_absolute_url(self):
        return reverse("inspections:inspection_detail", args=[self.pk])

    def clean(self):
        if self.previous_visit_id and self.visit_start and self.previous_visit.visit_start >= self.visit_start:
            raise ValidationError({"previous_visit": "The visit this one follows must have started earlier."})

    def findings_by_kind(self):
        """The findings, grouped by kind in report order: [(Finding.Kind, [findings])]. Reads
        `findings` as fetched (prefetch them `in_report_order()` for a list of inspections)."""
        groups = {}
        for finding in self.findings.all():
            groups.setdefault(Finding.Kind(finding.kind), []).append(finding)
        return list(groups.items())

    @property
    def visit_dates_display(self):
        start = format_with_precision(self.visit_start, self.visit_date_precision)
        end = format_with_precision(self.visit_end, self.visit_date_precision)
        return start if not end or end == start else f"{start} to {end}"


class Judgement(NaturalKeyModel):
    """A graded judgement an inspection gave, e.g. overall effectiveness: inadequate.

    The name is the source's; where a source gives only the grade ("judged to be inadequate")
    the name is empty rather than guessed.
    """

    NATURAL_KEY = ("inspection", "name")
    OVERALL = "Overall effectiveness"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    name = models.CharField(
        max_length=200, blank=True, help_text="As the source names it; empty where it gives only the grade."
    )
    grade = models.CharField(max_length=30, choices=Grade.choices)

    class Meta:
        ordering = ["inspection", "name"]
        constraints = [models.UniqueConstraint(fields=["inspection", "name"], name="judgement_unique_name")]

    def __str__(self):
        return f"{self.name}: {self.get_grade_display()}" if self.name else f"Judged {self.get_grade_display().lower()}"


class InspectionInspector(NaturalKeyModel):
    """An inspector on an inspection, with the role the letter gives them and whether they
    signed it (a letter does not say who led the visit)."""

    NATURAL_KEY = ("inspection", "person")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="inspection_inspectors")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="inspection_roles")
    role = models.CharField(max_length=120, blank=True, help_text="e.g. Her Majesty's Inspector.")
    signed_letter = models.BooleanField(default=False, help_text="Signed the letter.")

    class Meta:
        ordering = ["inspection", "-signed_letter", "person__name"]
        constraints = [models.UniqueConstraint(fields=["inspection", "person"], name="inspector_once_per_inspection")]

    def __str__(self):
        return f"{self.person.name} ({self.role})" if self.role else self.person.name


class Timescale(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    WITHIN_THREE_MONTHS = "within_three_months", "Within three months"
    WITHIN_SIX_MONTHS = "within_six_months", "Within six months"


class FindingQuerySet(NaturalKeyQuerySet):
    def in_report_order(self):
        """Headline findings first, then areas for improvement, required actions and the rest."""
        kind_order = models.Case(
            *[models.When(kind=kind, then=position) for position, kind in enumerate(Finding.Kind)],
            output_field=models.IntegerField(),
        )
        return self.annotate(kind_order=kind_order).order_by("inspection", "kind_order", "number")

    def calling_for_answer(self):
        """Areas for improvement, required actions and concerns (`Finding.Kind.calls_for_answer`)."""
        return self.filter(kind__in=Finding.Kind.calling_for_answer())


class Finding(NaturalKeyModel):
    """Something an inspection found or required: a headline finding, an area for improvement,
    a strength, a concern, a body finding, or a required action with its timescale."""

    NATURAL_KEY = ("inspection", "kind", "number")

    class Kind(models.TextChoices):
        # In the order a letter or report gives them.
        HEADLINE = "headline", "Headline finding"
        AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
        REQUIRED_ACTION = "required_action", "Required action"
        FINDING = "finding", "Finding"
        STRENGTH = "strength", "Strength"
        CONCERN = "concern", "Concern"

        @property
        def plural(self):
            return {
                "headline": "Headline findings",
                "area_for_improvement": "Areas for improvement",
                "required_action": "Required actions",
                "finding": "Findings",
                "strength": "Strengths",
                "concern": "Concerns",
            }[self.value]

        @property
        def calls_for_answer(self):
            """Whether the council must answer it (see docs/architecture.md, "The golden thread"):
            what Ofsted asks to improve, requires, or is concerned about. Headlines, strengths and
            a visit's findings report; they ask for nothing of their own."""
            return self.value in {"area_for_improvement", "required_action", "concern"}

        @property
        def tag_class(self):
            return "govuk-tag govuk-tag--orange" if self.calls_for_answer else "govuk-tag govuk-tag--grey"

        @classmethod
        def calling_for_answer(cls):
            return [kind for kind in cls if kind.calls_for_answer]

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    number = models.PositiveIntegerField(help_text="Order among the inspection's findings of this kind, from 1.")
    text = models.TextField()
    paragraph = models.CharField(max_length=20, blank=True, help_text="Paragraph number in the report, where given.")
    timescale = models.CharField(max_length=30, choices=Timescale.choices, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="findings")
    source = models.ForeignKey(
        SourceDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
        help_text="The document the text is taken from, when it is not the inspection's own report.",
    )
    revisits = models.ManyToManyField(
        "self", through="FindingFollowUp", symmetrical=False, related_name="revisited_by", blank=True
    )

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind", "number"], name="finding_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="finding_number_positive",
                violation_error_message="Findings are numbered from 1.",
            ),
            models.CheckConstraint(
                condition=Q(timescale="") | Q(kind="required_action"),
                name="finding_timescale_only_for_required_actions",
                violation_error_message="Only a required action has a timescale.",
            ),
        ]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self):
        label = f"{self.get_kind_display()} {self.number}"
        if self.paragraph:
            label += f" (paragraph {self.paragraph})"
        return label

    def get_absolute_url(self):
        return reverse("inspections:finding_detail", args=[self.pk])

    @property
    def summary(self):
        return self.text if len(self.text) <= 120 else self.text[:117].rsplit(" ", 1)[0] + "…"


class FindingFollowUp(NaturalKeyModel):
    """A later visit's finding revisiting an earlier one, with the inspectors' evaluation."""

    NATURAL_KEY = ("finding", "earlier")

    class Progress(models.TextChoices):
        STRENGTH = "strength", "Area of strength"
        IMPROVING = "improving", "Improvement is occurring"
        FURTHER_IMPROVEMENT_NEEDED = "further_improvement_needed", "Progress requires further improvement"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="follow_ups")
    earlier = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="later_follow_ups")
    progress = models.CharField(max_length=30, choices=Progress.choices, blank=True)
    evaluation = models.TextField(blank=True, help_text="The inspectors' evaluation of progress, in their words.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["finding", "earlier"], name="follow_up_once"),
            models.CheckConstraint(
                condition=~Q(finding=models.F("earlier")),
                name="follow_up_not_itself",
                violation_error_message="A finding cannot revisit itself.",
            ),
        ]

    def __str__(self):
        return f"{self.finding} revisits {self.earlier}"

    def clean(self):
        if (
            self.finding_id
            and self.earlier_id
            and self.earlier.inspection.visit_start >= self.finding.inspection.visit_start
        ):
            raise ValidationError({"earlier": "A finding can only revisit a finding of an earlier inspection."})


class VisitArea(NaturalKeyModel):
    """An area a visit covered, e.g. 'Professional curiosity and the quality of assessments'."""

    NATURAL_KEY = ("inspection", "number")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="areas_covered")
    number = models.PositiveIntegerField()
    text = models.TextField()
    identified_by = models.ForeignKey(
        Inspection,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="areas_revisited",
        help_text="The earlier inspection that identified this area of concern.",
    )
    revisits = models.ManyToManyField(
        Finding,
        blank=True,
        related_name="revisiting_areas",
        help_text="Earlier areas for improvement this area returns to, where the sources make the link.",
    )

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="visit_area_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="visit_area_number_positive"),
        ]

    def __str__(self):
        return self.text


class Intervention(NaturalKeyModel):
    """Government action after an inadequate judgement: an improvement notice, a commissioner."""

    NATURAL_KEY = ("authority", "kind", "title")

    class Kind(models.TextChoices):
        IMPROVEMENT_NOTICE = "improvement_notice", "Improvement notice"
        COMMISSIONER = "commissioner", "Commissioner appointed"
        STATUTORY_DIRECTION = "statutory_direction", "Statutory direction"
        OTHER = "other", "Other"

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    issued_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="interventions_issued"
    )
    commissioner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="commissioner_of"
    )
    duration = models.CharField(max_length=100, blank=True, help_text='e.g. "12 months".')
    description = models.TextField(blank=True)
    follows = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="interventions"
    )
    source = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="interventions"
    )

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["authority", "kind", "title"], name="intervention_unique_title")]

    def __str__(self):
        return self.title

    @property
    def date_display(self):
        return format_with_precision(self.date, self.date_precision)


class FixtureLoadQuerySet(models.QuerySet):
    def expire_previews(self, now=None):
        """Previews nobody confirmed or cancelled within FIXTURE_PREVIEW_LIFETIME expire and
        lose their copy of the file. Returns how many expired."""
        cutoff = (now or timezone.now()) - settings.FIXTURE_PREVIEW_LIFETIME
        return self.filter(status=FixtureLoad.Status.PREVIEWED, created_at__lt=cutoff).update(
            status=FixtureLoad.Status.EXPIRED, content=""
        )


class FixtureLoad(models.Model):
    """A load of fixture files: who previewed, confirmed or cancelled it, when, which files, and
    what it did to the record (per model, and field by field with the values it replaced).

    Fixture loads save rows raw (without history signals), so this is their audit trail. An
    upload in the admin is kept here first as a preview, with its content, and loaded only when
    confirmed; the content is deleted when the preview is loaded, cancelled or expires.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, not loaded"
        LOADED = "loaded", "Loaded"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired, not loaded"

    class Via(models.TextChoices):
        COMMAND = "command", "Command line (load_letters)"
        ADMIN = "admin", "Admin upload"
        LETTER = "letter", "Letter import (admin)"

    # Loads an administrator previews in the admin and then confirms.
    CONFIRMED_IN_ADMIN = (Via.ADMIN, Via.LETTER)

    created_at = models.DateTimeField(auto_now_add=True)
    loaded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    previewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    filenames = models.JSONField(default=list, blank=True)
    sha256 = models.JSONField(default=list, blank=True, help_text="Checksums of the files, in order.")
    content = models.TextField(blank=True, help_text="An uploaded file, kept only while it is a preview.")
    summary = models.JSONField(default=dict, blank=True, help_text="Per model: created, updated, unchanged.")
    changes = models.JSONField(
        default=list, blank=True, help_text="Each object the load changed: every changed field, before and after."
    )
    overwrite_empty = models.JSONField(
        default=list, blank=True, help_text="Fields the file leaves empty that the administrator chose to empty."
    )

    objects = FixtureLoadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="loaded", loaded_at__isnull=False)
                | (~Q(status="loaded") & Q(loaded_at__isnull=True)),
                name="fixture_load_loaded_at_when_loaded",
            ),
            models.CheckConstraint(
                condition=Q(status="previewed") | Q(content=""),
                name="fixture_load_content_only_while_previewed",
                violation_error_message="A load keeps its file's content only while it is a preview.",
            ),
            models.CheckConstraint(
                condition=~Q(via__in=["admin", "letter"], status="loaded") | Q(confirmed_by__isnull=False),
                name="fixture_load_admin_load_confirmed_by_someone",
                violation_error_message="A load from the admin records who confirmed it.",
            ),
        ]

    def __str__(self):
        return f"{', '.join(self.filenames)} ({self.get_status_display().lower()})"

    def mark_loaded(self, *, by, result, overwrite_empty=()):
        """Record what the load did; the file's content is no longer kept."""
        self.status, self.loaded_at, self.confirmed_by = self.Status.LOADED, timezone.now(), by
        self.summary, self.changes = result.as_json(), result.changes_as_json()
        self.overwrite_empty, self.content = sorted(overwrite_empty), ""
        self.save()

    def cancel(self, *, by):
        """Load nothing and delete the file's content. False if it was no longer a preview
        (confirmed, cancelled or expired meanwhile)."""
        cancelled = FixtureLoad.objects.filter(pk=self.pk, status=self.Status.PREVIEWED).update(
            status=self.Status.CANCELLED, cancelled_at=timezone.now(), cancelled_by=by, content=""
        )
        self.refresh_from_db()
        return bool(cancelled)
