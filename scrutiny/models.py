"""How councillors scrutinise: committees, task groups and partnerships, their members,
meetings and agenda items, and the scrutiny actions and recommendations they raise.

Scrutiny actions and recommendations join the golden thread by linking to the findings,
priorities and measures they concern.
"""

import json
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from improvement.models import VIA_PAGE, AnswersFindings, ImprovementPlan, Measure, Priority, check_not_in_future
from inspections.models import (
    AppendOnlyModel,
    AppendOnlyQuerySet,
    DatePrecision,
    Finding,
    Inspection,
    NaturalKeyModel,
    NaturalKeyQuerySet,
    Person,
    SourceDocument,
    TimelineEntry,
    VersionedModel,
    attribution_name,
    format_with_precision,
    new_key,
    newest_first,
)

# A title that begins with its paper's own section number: "4.1 Improvement Plan Monitoring".
OWN_NUMBER = re.compile(r"\d+(\.\d+)*\.?\s")
# What separates a discussion point's topic from the rest of its text: a dash, a colon.
TOPIC_SEPARATOR = re.compile(r"^\s*[\u2013\u2014:-]?\s*")


class Committee(NaturalKeyModel):
    """A committee, its standing overview group, a task group, or a partnership board."""

    NATURAL_KEY = ("name",)

    class Kind(models.TextChoices):
        SCRUTINY_COMMITTEE = "scrutiny_committee", "Scrutiny committee"
        STANDING_OVERVIEW_GROUP = "standing_overview_group", "Standing overview group"
        TASK_GROUP = "task_group", "Task group"
        IMPROVEMENT_BOARD = "improvement_board", "Improvement partnership or board"
        OTHER = "other", "Other group"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True, help_text='e.g. "CSOG".')
    kind = models.CharField(max_length=30, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="subgroups")
    purpose = models.TextField(blank=True, help_text="Terms of reference or purpose, as the papers give them.")
    established_on = models.DateField(null=True, blank=True)
    plans = models.ManyToManyField(
        ImprovementPlan, blank=True, related_name="committees", help_text="Plans it receives or oversees."
    )
    members = models.ManyToManyField(Person, through="Membership", related_name="committees")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="committee_not_its_own_parent"),
        ]

    def __str__(self):
        return self.name


class Membership(NaturalKeyModel):
    """A person's place on a committee: chair, vice chair, member, cabinet member, officer…"""

    NATURAL_KEY = ("committee", "person", "role")

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice chair"
        MEMBER = "member", "Member"
        CABINET_MEMBER = "cabinet_member", "Cabinet member"
        OFFICER = "officer", "Officer"
        SCRUTINY_OFFICER = "scrutiny_officer", "Scrutiny officer"
        ADVISER = "adviser", "Adviser"
        INDEPENDENT_CHAIR = "independent_chair", "Independent chair"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    start = models.DateField(null=True, blank=True, help_text="The first of the month when only the month is known.")
    start_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["committee", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "person", "role"], name="membership_once_per_role"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="membership_dates_in_order",
                violation_error_message="A membership cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}, {self.committee}"

    @property
    def start_display(self):
        return format_with_precision(self.start, self.start_precision)


def committees_receiving(plan):
    """The primary keys of the committees that receive or oversee the plan, and of their
    subgroups: a few dozen at most, so that filtering by them reads an index."""
    return Committee.objects.filter(Q(plans=plan) | Q(parent__plans=plan)).values("pk")


class MeetingQuerySet(NaturalKeyQuerySet):
    def for_plan(self, plan):
        """Meetings of the committees that receive the plan (and of their subgroups)."""
        return self.filter(committee__in=committees_receiving(plan))

    def upcoming(self, today=None):
        return self.filter(date__gte=today or timezone.localdate()).order_by("date")

    def past(self, today=None):
        return self.filter(date__lt=today or timezone.localdate()).order_by("-date")

    def last_and_next(self, today=None):
        """(the latest meeting before today, the first from today on), either None; in one query."""
        today = today or timezone.localdate()
        ends = self.filter(
            Q(pk=Subquery(self.past(today).values("pk")[:1])) | Q(pk=Subquery(self.upcoming(today).values("pk")[:1]))
        )
        found = {meeting.date >= today: meeting for meeting in ends.select_related("committee")}
        return found.get(False), found.get(True)


class Meeting(NaturalKeyModel):
    """A meeting of a committee or group, or a task group's visit or evidence session."""

    NATURAL_KEY = ("committee", "date", "title")

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(
        max_length=300, blank=True, help_text="What the session was, where it was not a formal meeting."
    )
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    agenda = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_of"
    )
    record = models.ForeignKey(
        SourceDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record_of",
        help_text="The minutes or report of the meeting.",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "date", "title"], name="meeting_unique"),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="meeting_ends_after_start",
                violation_error_message="A meeting must end after it starts.",
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        label = f"{self.committee}, {self.date.day} {self.date:%B %Y}"
        return f"{label}: {self.title}" if self.title else label

    def get_absolute_url(self):
        return reverse("scrutiny:meeting_detail", args=[self.pk])


class Attendance(NaturalKeyModel):
    """Who attended a meeting, and in what capacity."""

    NATURAL_KEY = ("meeting", "person")

    class Capacity(models.TextChoices):
        MEMBER = "member", "Committee member"
        CABINET_MEMBER = "cabinet_member", "Cabinet member"
        OFFICER = "officer", "Officer"
        ADVISER = "adviser", "Adviser"
        SCRUTINY_OFFICER = "scrutiny_officer", "Scrutiny officer"
        WITNESS = "witness", "Witness"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    role_at_meeting = models.CharField(max_length=200, blank=True, help_text='As the record gives it, e.g. "Chair".')
    present = models.BooleanField(default=True, help_text="Unticked for apologies.")

    class Meta:
        ordering = ["meeting", "capacity", "person__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")]

    def __str__(self):
        return f"{self.person} at {self.meeting}"


class Witness(NaturalKeyModel):
    """Someone who gave evidence to a task group's review, as its report lists them.

    Groups without names ("12 Staff", "5 Young People") are kept as written, without a person.
    """

    NATURAL_KEY = ("committee", "number")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="witnesses")
    number = models.PositiveIntegerField(help_text="Order in which they appeared or gave written evidence.")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="witness_appearances"
    )
    name_as_written = models.CharField(max_length=200)
    position = models.CharField(max_length=300, blank=True)
    organisation = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["committee", "number"]
        verbose_name_plural = "witnesses"
        constraints = [models.UniqueConstraint(fields=["committee", "number"], name="witness_unique_number")]

    def __str__(self):
        return self.name_as_written


class AgendaItem(NaturalKeyModel):
    """A numbered item on a meeting's agenda, linked to what it considers."""

    NATURAL_KEY = ("meeting", "number")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    section = models.CharField(max_length=200, blank=True, help_text='e.g. "Matters for consideration or review".')
    pages = models.CharField(max_length=40, blank=True)
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    plan = models.ForeignKey(
        ImprovementPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="agenda_item_number_positive"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        """'5. Ofsted Monitoring Visit Letter', but '4.1 Improvement Plan Monitoring' where the
        title carries the paper's own number, which is shown instead of ours, not beside it."""
        return self.title if OWN_NUMBER.match(self.title) else f"{self.number}. {self.title}"


class DiscussionPoint(NaturalKeyModel):
    """A point members raised and the answer officers gave, as the meeting's record puts it."""

    NATURAL_KEY = ("meeting", "number")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="discussion_points")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="discussion_points"
    )
    number = models.PositiveIntegerField()
    topic = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    findings = models.ManyToManyField(Finding, blank=True, related_name="discussion_points")
    measures = models.ManyToManyField(Measure, blank=True, related_name="discussion_points")

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="discussion_point_unique_number")]

    def __str__(self):
        return self.topic or self.text[:80]

    @property
    def body(self):
        """The text without the topic, where the record's text begins with it ("Data – discussion
        with officers…" under the topic "Data"), so the topic is not printed twice."""
        if self.topic and self.text.startswith(self.topic):
            return TOPIC_SEPARATOR.sub("", self.text[len(self.topic) :], count=1)
        return self.text


OVERDUE_TAG_CLASS = "govuk-tag govuk-tag--red"


class ScrutinyActionQuerySet(NaturalKeyQuerySet):
    def open(self):
        return self.filter(status__in=[ScrutinyAction.Status.OPEN, ScrutinyAction.Status.IN_PROGRESS])

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def overdue_first(self, today=None):
        """Overdue actions first, then the other open ones, then closed ones; each by due date."""
        today = today or timezone.localdate()
        is_open = Q(status__in=[ScrutinyAction.Status.OPEN, ScrutinyAction.Status.IN_PROGRESS])
        return self.alias(
            work_order=models.Case(
                models.When(is_open & Q(due_date__lt=today), then=0),
                models.When(is_open, then=1),
                default=2,
            )
        ).order_by("work_order", F("due_date").asc(nulls_last=True), "pk")

    def for_plan(self, plan):
        """Raised at meetings of the committees that receive the plan, or about its priorities."""
        return self.filter(
            Q(meeting__committee__in=committees_receiving(plan))
            | Q(pk__in=self.model.priorities.through.objects.filter(priority__plan=plan).values("scrutinyaction"))
        )

    def for_user(self, user):
        """The scrutiny actions the user owns, through the person linked to their account."""
        return self.filter(owner__user=user) if user.is_authenticated else self.none()


class ScrutinyAction(NaturalKeyModel, VersionedModel, AnswersFindings):
    """An action agreed at a meeting, with an owner, a due date and progress updates.

    Its status is that of its latest update that gave one, open until then: the updates are
    the record, kept in step by `record_progress()`.
    """

    NATURAL_KEY = ("meeting", "number")

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        CANCELLED = "cancelled", "Cancelled"

        @property
        def tag_class(self):
            colour = {"open": "blue", "in_progress": "light-blue", "complete": "green", "cancelled": "grey"}
            return f"govuk-tag govuk-tag--{colour[self.value]}"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="scrutiny_actions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="scrutiny_actions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="scrutiny_actions")
    owner_role = models.CharField(
        max_length=200, blank=True, help_text='As the record names it, e.g. "Scrutiny Officer".'
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    findings = models.ManyToManyField(Finding, blank=True, related_name="scrutiny_actions")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="scrutiny_actions")
    measures = models.ManyToManyField(Measure, blank=True, related_name="scrutiny_actions")

    objects = ScrutinyActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[findings])

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="scrutiny_action_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="scrutiny_action_number_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="scrutiny_action_open_due_idx"),
            # The open actions in due order: the overview reads its first few in order, and
            # counts them (and the overdue) from the index alone, without the table.
            models.Index(
                fields=["due_date", "meeting"],
                include=["id"],
                condition=Q(status__in=["open", "in_progress"]),
                name="scrutiny_action_open_idx",
            ),
        ]

    def __str__(self):
        return f"Action {self.number} from {self.meeting}"

    def get_absolute_url(self):
        return reverse("scrutiny:action_detail", args=[self.pk])

    @property
    def owner_display(self):
        return str(self.owner) if self.owner else self.owner_role

    @property
    def is_open(self):
        return self.status in {self.Status.OPEN, self.Status.IN_PROGRESS}

    def is_overdue(self, today=None):
        return self.is_open and bool(self.due_date) and self.due_date < (today or timezone.localdate())

    @property
    def due_date_display(self):
        return format_with_precision(self.due_date, DatePrecision.DAY)

    @property
    def status_label(self):
        """'Overdue' for an open action past its due date (never a plain 'Open'), else its status."""
        return "Overdue" if self.is_overdue() else self.get_status_display()

    @property
    def status_tag_class(self):
        return OVERDUE_TAG_CLASS if self.is_overdue() else self.Status(self.status).tag_class

    def clean(self):
        if self.due_date and self.meeting_id and self.due_date < self.meeting.date:
            raise ValidationError({"due_date": "An action cannot be due before the meeting that raised it."})

    @transaction.atomic
    def record_progress(self, *, by, commentary, status=None, as_of=None, expected_version=None, via=VIA_PAGE):
        """Report progress as of a date (today unless given), and a new status if it changed:
        `complete` marks the action done."""
        as_of = as_of or timezone.localdate()
        commentary = commentary.strip()
        if status and status not in self.Status.values:
            raise ValidationError("Choose a status from the list.", code="status")
        if not commentary:
            raise ValidationError("Enter what progress has been made.", code="commentary_required")
        check_not_in_future(as_of)
        if as_of < self.meeting.date:
            raise ValidationError(
                f"The date cannot be before the meeting that raised the action ({self.meeting.date:%-d %B %Y}).",
                code="before_meeting",
            )
        self.claim_version(expected_version)
        update = ScrutinyActionUpdate.objects.create(
            action=self,
            date=as_of,
            commentary=commentary,
            status=status if status and status != self.status else "",
            author=getattr(by, "person", None),
            recorded_by=by,
            recorded_via=via,
        )
        self.follow_updates()
        return update

    def follow_updates(self):
        """Bring the status into step with the latest update that gave one."""
        latest = self.updates.exclude(status="").order_by("-date", "-pk").first()
        self.status = latest.status if latest else self.Status.OPEN
        self.save_without_historical_record(update_fields=["status", "version"])

    def timeline(self):
        updates = self.updates.select_related("author", "recorded_by__person")
        return newest_first(update.as_timeline_entry() for update in updates)


class ScrutinyActionUpdate(AppendOnlyModel):
    """An append-only progress update on a scrutiny action."""

    NATURAL_KEY = ("key",)
    HISTORY_OF = "the action"

    key = models.CharField(max_length=120, unique=True, default=new_key, editable=False)
    action = models.ForeignKey(ScrutinyAction, on_delete=models.PROTECT, related_name="updates")
    date = models.DateField()
    commentary = models.TextField()
    status = models.CharField(max_length=20, choices=ScrutinyAction.Status.choices, blank=True)
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="scrutiny_action_updates"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_via = models.CharField(max_length=200, blank=True, help_text="The page, upload or command used.")

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["action", "-date"], name="scrutiny_update_latest_idx"),
            models.Index(fields=["recorded_at"], name="scrutiny_update_recorded_idx"),
            # A briefing pack's window: the scrutiny actions done in it.
            models.Index(fields=["date"], name="scrutiny_update_date_idx"),
        ]

    def __str__(self):
        return f"{self.action}: update of {self.date:%d/%m/%Y}"

    def as_timeline_entry(self):
        return TimelineEntry(
            date=self.date,
            recorded_at=self.recorded_at,
            who=attribution_name(self.recorded_by, self.author),
            what=f"Status: {self.get_status_display()}" if self.status else "Progress note",
            text=self.commentary,
        )


class Recommendation(NaturalKeyModel):
    """A numbered recommendation from a task group report or a committee, with the response."""

    NATURAL_KEY = ("committee", "made_on", "number")

    class Status(models.TextChoices):
        MADE = "made", "Made, awaiting response"
        ACCEPTED = "accepted", "Accepted"
        PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
        REJECTED = "rejected", "Rejected"
        IMPLEMENTED = "implemented", "Implemented"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="recommendations")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendations"
    )
    made_on = models.DateField(
        help_text="Date of the report or meeting; the first of the month when only the month is known."
    )
    made_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    number = models.PositiveIntegerField()
    text = models.TextField()
    addressed_to = models.CharField(max_length=200, blank=True, help_text='e.g. "Cabinet".')
    response = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, blank=True, help_text="Empty until a response is recorded."
    )
    source = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="recommendations"
    )
    findings = models.ManyToManyField(Finding, blank=True, related_name="recommendations")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="recommendations")
    measures = models.ManyToManyField(Measure, blank=True, related_name="recommendations")

    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "made_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "made_on", "number"], name="recommendation_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="recommendation_number_positive"),
        ]

    def __str__(self):
        return f"Recommendation {self.number} ({self.committee})"

    @property
    def made_on_display(self):
        return format_with_precision(self.made_on, self.made_on_precision)


class ScrutinyFinding(NaturalKeyModel):
    """What a committee or task group itself found or concluded, in its report's words.

    Not Ofsted's findings (`inspections.Finding`): these sit with the group's recommendations,
    and link to the Ofsted findings their section of the report quotes.
    """

    NATURAL_KEY = ("source", "number")

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="scrutiny_findings")
    source = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="scrutiny_findings")
    number = models.PositiveIntegerField(help_text="Order in the report, from 1.")
    section = models.CharField(max_length=200, blank=True, help_text="The report's heading it comes under.")
    text = models.TextField(help_text="Verbatim.")
    findings = models.ManyToManyField(
        Finding,
        blank=True,
        related_name="scrutiny_findings",
        help_text="The Ofsted findings quoted at the head of its section.",
    )

    class Meta:
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="scrutiny_finding_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="scrutiny_finding_number_positive"),
        ]

    def __str__(self):
        return f"Finding {self.number} of {self.committee}"


class Commitment(NaturalKeyModel):
    """A dated undertaking a scrutiny record reports ("a report due at the end of September
    2013"), with who is to do it and when, as the record words them."""

    NATURAL_KEY = ("source", "number")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="commitments", help_text="The group that recorded it."
    )
    source = models.ForeignKey(SourceDocument, on_delete=models.PROTECT, related_name="commitments")
    number = models.PositiveIntegerField(help_text="Order in the report, from 1.")
    section = models.CharField(max_length=200, blank=True, help_text="The report's heading it comes under.")
    text = models.TextField(help_text="Verbatim.")
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="commitments")
    owner_role = models.CharField(max_length=200, blank=True, help_text="Who is to do it, where no person is named.")
    due_on = models.DateField(null=True, blank=True, help_text="The first of the month when only the month is known.")
    due_on_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    due_wording = models.CharField(
        max_length=120, blank=True, help_text='When, as the record words it, e.g. "at the end of September 2013".'
    )

    class Meta:
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="commitment_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="commitment_number_positive"),
            models.CheckConstraint(
                condition=Q(due_wording="") | Q(due_on__isnull=False),
                name="commitment_wording_needs_date",
                violation_error_message="A commitment worded with a date needs that date.",
            ),
        ]

    def __str__(self):
        return f"Commitment {self.number} recorded by {self.committee}"

    @property
    def owner_display(self):
        return str(self.owner) if self.owner else self.owner_role

    @property
    def due_display(self):
        return self.due_wording or format_with_precision(self.due_on, self.due_on_precision)


class Sha256Hex(models.Func):
    """The SHA-256 of a text's UTF-8 bytes, in lower-case hex, computed by the database: so a
    constraint can check that a stored checksum matches its stored content. PostgreSQL's own
    `sha256()`; on SQLite the SHA256 function Django registers on every connection."""

    output_field = models.CharField()
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="SHA256", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="encode(sha256(convert_to(%(expressions)s, 'UTF8')), 'hex')", **extra_context
        )


class BriefingPackVersionQuerySet(AppendOnlyQuerySet):
    def approved(self):
        """Versions an administrator has approved for the public: the only ones the public sees."""
        return self.filter(approval__isnull=False)


class BriefingPackVersion(AppendOnlyModel):
    """A published briefing pack: the pack for a meeting frozen as at the moment it was
    published, stored as canonical JSON with the SHA-256 checksum that cites it.

    It is rendered from what is stored, never recomputed, and never changed: publishing again
    adds the next version, and earlier versions stay readable (`scrutiny.briefing`).
    """

    NATURAL_KEY = ("meeting", "number")
    HISTORY_OF = "the meeting's briefing pack"
    TRANSCRIBED = False  # only publishing makes one

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="briefing_pack_versions")
    number = models.PositiveIntegerField(help_text="1 for the first version published for the meeting, then 2, 3…")
    published_at = models.DateTimeField(default=timezone.now, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.TextField(help_text="The pack as canonical JSON (sorted keys, no spaces, UTF-8).")
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the content, in hex.")

    objects = BriefingPackVersionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "-number"]
        # Published once, never edited or deleted: only reading is a model permission; publishing
        # and approving are verbs of their own (`scrutiny.briefing`).
        default_permissions = ("view",)
        permissions = [
            ("publish_briefingpack", "Can publish a meeting's briefing pack"),
            ("approve_briefingpack", "Can approve a published briefing pack for the public"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="briefing_pack_version_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="briefing_pack_version_number_positive"),
            models.CheckConstraint(
                condition=Q(checksum=Sha256Hex("content")),
                name="briefing_pack_checksum_matches_content",
                violation_error_message="The checksum must be the SHA-256 of the pack's content.",
            ),
        ]

    def __str__(self):
        return f"Briefing pack for {self.meeting}, version {self.number}"

    def get_absolute_url(self):
        return reverse("scrutiny:briefing_pack_version", args=[self.meeting_id, self.number])

    @property
    def pack(self):
        """The pack as it was published."""
        return json.loads(self.content)

    @property
    def published_by_name(self):
        return attribution_name(self.published_by)


class BriefingPackApproval(AppendOnlyModel):
    """An administrator's approval of a published version for the public: only approved
    versions are reachable at the public address."""

    NATURAL_KEY = ("version",)
    HISTORY_OF = "the meeting's briefing pack"
    TRANSCRIBED = False  # only an administrator's approval makes one

    version = models.OneToOneField(BriefingPackVersion, on_delete=models.PROTECT, related_name="approval")
    approved_at = models.DateTimeField(default=timezone.now, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-approved_at"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.version}: approved for the public"

    @property
    def approved_by_name(self):
        return attribution_name(self.approved_by)
