"""The audit trail: every change to the record, by every path, newest first, in one list.

**Why it composes what is already kept rather than keeping a copy.** The record already keeps
who changed what, and when, in four forms, each written in the same transaction as the change
itself; a second table written beside them could only drift from them. The trail reads:

- **django-simple-history** rows of the records officers and administrators change (plans,
  priorities, actions, measures, measure values, scrutiny actions, recommendations): who, when,
  the row as it was, and the reason the verb gave. Before and after are the previous history
  row of the same record and this one. Officers' pages, the admin and the bulk update all call
  the same verbs, which name their path in the reason (" (via admin)", " (via spreadsheet …)");
  a save with no reason and a user can only be the admin's own form, and one with no user a
  command or a data migration.
- **Append-only events**: `ProgressUpdate` (a rating, status, completion or note on a priority
  or an action) and `ScrutinyActionUpdate`, with `recorded_by`, `recorded_at` and
  `recorded_via`; before is the rating or status current when it was appended. The verbs that
  append them save their record without a history row, and a due date's move or a value's
  recording is listed once, from the history row of the action or value (not from
  `DueDateChange` or the value's own columns), so nothing is listed twice. Events without a
  user came in with a fixture load, which is listed itself.
- **`FixtureLoad`** (fixture loads, from the admin, the command line or the letter import, save
  rows raw and write no history): who confirmed it, when, and each field it changed with the
  value it replaced; **`BulkUpdate`**: who applied which spreadsheet, and its counts (its rows'
  changes are listed one by one from the verbs' history).
- The admin's **`LogEntry`** for the models that keep no history of their own (inspections,
  findings, people, committees, meetings, user accounts…): who, when and which fields; their
  admins (`inspections.admin_log.LoggedValuesAdmin`) add each field's value before and after to
  the entry's message, which Django's admin alone does not keep.

**How it stays one query per source, whatever its length.** Each source is a QuerySet reduced
to the same six columns (`TRAIL_COLUMNS`: when, source, row id, user, path, kind of record) and
filtered the same way; the trail is their `UNION ALL`, ordered by time, which the database counts
and pages. Only the rows of the page shown are then read in full: one query per source present
on the page (and one for the rows each history row is compared with), one for the users, and one
per kind of record a changed reference points at.

Nothing here writes: the trail is read-only by construction, and its sources are append-only
(history and events) or read-only in the admin (fixture loads, bulk updates, the admin log).
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Concat
from django.urls import reverse

from config.roles import AUDIT_TRAIL_PERMISSION, DOMAIN_APPS
from improvement.models import (
    VIA_ADMIN,
    VIA_PAGE,
    Action,
    BulkUpdate,
    ImprovementPlan,
    Measure,
    MeasureValue,
    Priority,
    ProgressUpdate,
)
from inspections.models import FixtureLoad, attribution_name
from scrutiny.models import Recommendation, ScrutinyAction, ScrutinyActionUpdate

PERMISSION = AUDIT_TRAIL_PERMISSION

TRAIL_COLUMNS = ("trail_at", "trail_source", "trail_id", "trail_user", "trail_path", "trail_record")

# The most records of one fixture load whose changed fields the trail shows; the load's own page
# in the admin has them all.
FIXTURE_LOAD_SHOWN = 20


class Path(models.TextChoices):
    """How a change was made."""

    PAGE = "page", "Officer's page"
    ADMIN = "admin", "Admin"
    BULK = "bulk", "Bulk update file"
    FIXTURE = "fixture", "Fixture load"
    LETTER = "letter", "Letter import"
    OTHER = "other", "Command line or data migration"


# The models whose history django-simple-history keeps, each with what its name and page need.
HISTORY_MODELS = {
    ImprovementPlan: (),
    Priority: (),
    Action: ("priority",),
    Measure: (),
    MeasureValue: ("measure",),
    ScrutinyAction: ("meeting__committee",),
    Recommendation: ("committee",),
}
# Columns every history row has and that say nothing about the record.
UNSHOWN_FIELDS = {"id", "version", "key"}


def record_label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def record_kinds():
    """The kinds of record a change can be to, for the filter: every model of the record and
    user accounts, by name."""
    models_ = [model for model in apps.get_models() if model._meta.app_label in DOMAIN_APPS]
    models_ = [m for m in models_ if not m.__name__.startswith("Historical")] + [get_user_model()]
    return sorted(((record_label(m), m._meta.verbose_name.capitalize()) for m in models_), key=lambda c: c[1])


def _via_path(via):
    """The path of an event, from the `recorded_via` its verb was given."""
    return Case(
        When(**{via: VIA_PAGE}, then=Value(Path.PAGE)),
        When(**{via: VIA_ADMIN}, then=Value(Path.ADMIN)),
        When(**{f"{via}__startswith": "spreadsheet "}, then=Value(Path.BULK)),
        default=Value(Path.OTHER),
        output_field=CharField(),
    )


def _history_path():
    reason = "history_change_reason"
    return Case(
        When(history_user__isnull=True, then=Value(Path.OTHER)),
        When(**{f"{reason}__contains": "(via spreadsheet "}, then=Value(Path.BULK)),
        When(**{f"{reason}__endswith": f"(via {VIA_ADMIN})"}, then=Value(Path.ADMIN)),
        When(Q(**{f"{reason}__isnull": True}) | Q(**{reason: ""}), then=Value(Path.ADMIN)),
        default=Value(Path.PAGE),
        output_field=CharField(),
    )


def _columns(queryset, *, at, source, user, path, record):
    """`queryset` reduced to the trail's columns, in their order, for the union."""
    return (
        queryset.order_by()
        .annotate(
            trail_at=F(at),
            trail_source=Value(source, output_field=CharField()),
            trail_id=F("pk"),
            trail_user=F(user),
            trail_path=path,
            trail_record=record,
        )
        .values(*TRAIL_COLUMNS)
    )


def _sources():
    """Every source, by name: its QuerySet of trail columns."""
    sources = {}
    for model in HISTORY_MODELS:
        sources[f"history:{record_label(model)}"] = _columns(
            model.history.all(),
            at="history_date",
            source=f"history:{record_label(model)}",
            user="history_user_id",
            path=_history_path(),
            record=Value(record_label(model), output_field=CharField()),
        )
    sources["progressupdate"] = _columns(
        ProgressUpdate.objects.filter(recorded_by__isnull=False),
        at="recorded_at",
        source="progressupdate",
        user="recorded_by_id",
        path=_via_path("recorded_via"),
        record=Case(
            When(priority__isnull=False, then=Value(record_label(Priority))),
            default=Value(record_label(Action)),
            output_field=CharField(),
        ),
    )
    sources["scrutinyactionupdate"] = _columns(
        ScrutinyActionUpdate.objects.filter(recorded_by__isnull=False),
        at="recorded_at",
        source="scrutinyactionupdate",
        user="recorded_by_id",
        path=_via_path("recorded_via"),
        record=Value(record_label(ScrutinyAction), output_field=CharField()),
    )
    sources["fixtureload"] = _columns(
        FixtureLoad.objects.filter(status=FixtureLoad.Status.LOADED),
        at="loaded_at",
        source="fixtureload",
        user="confirmed_by_id",
        path=Case(
            When(via=FixtureLoad.Via.LETTER, then=Value(Path.LETTER)),
            default=Value(Path.FIXTURE),
            output_field=CharField(),
        ),
        record=Value(record_label(FixtureLoad), output_field=CharField()),
    )
    sources["bulkupdate"] = _columns(
        BulkUpdate.objects.filter(status=BulkUpdate.Status.APPLIED),
        at="applied_at",
        source="bulkupdate",
        user="uploaded_by_id",
        path=Value(Path.BULK, output_field=CharField()),
        record=Value(record_label(BulkUpdate), output_field=CharField()),
    )
    # The admin's log, but for the models whose history is listed above.
    with_history = Q()
    for model in HISTORY_MODELS:
        with_history |= Q(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name)
    sources["logentry"] = _columns(
        LogEntry.objects.exclude(with_history),
        at="action_time",
        source="logentry",
        user="user_id",
        path=Value(Path.ADMIN, output_field=CharField()),
        record=Concat("content_type__app_label", Value("."), "content_type__model", output_field=CharField()),
    )
    return sources


def audit_trail(narrow=None):
    """The trail, newest first, each source narrowed by `narrow` (a function of a QuerySet of
    `TRAIL_COLUMNS`, such as a filter set's `filter_queryset`): an `AuditTrail`, which counts and
    pages in the database."""
    first, *others = [narrow(source) if narrow else source for source in _sources().values()]
    return AuditTrail(first.union(*others, all=True).order_by("-trail_at", "-trail_source", "-trail_id"))


@dataclass
class Change:
    """One field's value before and after."""

    name: str
    before: str
    after: str


@dataclass
class AuditEntry:
    """One change, as the trail shows it."""

    at: object
    path: str
    what: str
    subject: str = ""
    url: str = ""
    text: str = ""
    changes: list = field(default_factory=list)
    user_id: int | None = None
    who: str = ""

    @property
    def path_label(self):
        return Path(self.path).label


class AuditTrail:
    """The trail's rows as a sequence: its length is one COUNT, and a slice reads only the rows
    in it, in full (`_entries`)."""

    def __init__(self, union):
        self.union = union
        self._count = None

    def __len__(self):
        if self._count is None:
            self._count = self.union.count()
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _entries(list(self.union[index]))
        return _entries(list(self.union[index : index + 1]))[0]

    def __iter__(self):
        return iter(self[:])


def _entries(rows):
    """Read the rows of one page in full, one query per source on it."""
    by_source = defaultdict(list)
    for row in rows:
        by_source[row["trail_source"]].append(row["trail_id"])
    read = {}
    references = _References()
    for source, ids in by_source.items():
        if source.startswith("history:"):
            model = apps.get_model(source.removeprefix("history:"))
            read.update(_history_entries(model, ids, references))
        else:
            read.update(READERS[source](ids))
    references.resolve()
    users = get_user_model().objects.select_related("person").in_bulk({row["trail_user"] for row in rows} - {None})
    entries = []
    for row in rows:
        entry = read[row["trail_source"], row["trail_id"]]
        entry.user_id, entry.path = row["trail_user"], row["trail_path"]
        user = users.get(row["trail_user"])
        entry.who = attribution_name(user) if user else "No user (command line or data migration)"
        entries.append(entry)
    return entries


class _References:
    """The records that changed references point at, read once per kind of record for the page."""

    def __init__(self):
        self.wanted = defaultdict(set)
        self.found = {}
        self.pending = []

    def label(self, model, pk, place):
        """Ask for `model` `pk`'s name; `place(name)` receives it once resolved."""
        if pk is None:
            place("—")
            return
        self.wanted[model].add(pk)
        self.pending.append((model, pk, place))

    def resolve(self):
        for model, pks in self.wanted.items():
            self.found[model] = model._base_manager.in_bulk(pks)
        for model, pk, place in self.pending:
            obj = self.found[model].get(pk)
            place(str(obj) if obj is not None else f"{model._meta.verbose_name} {pk} (deleted)")


def _shown(field_, value):
    if value is None or value == "":
        return "—"
    choices = dict(field_.flatchoices) if field_.choices else {}
    return str(choices.get(value, value))


def _history_entries(model, ids, references):
    history = model.history.model
    previous = (
        history.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    rows = list(history.objects.filter(history_id__in=ids).annotate(previous_id=Subquery(previous)))
    earlier = history.objects.in_bulk([row.previous_id for row in rows if row.previous_id])
    subjects = model._base_manager.select_related(*HISTORY_MODELS[model]).in_bulk({row.id for row in rows})
    fields = [f for f in model._meta.concrete_fields if f.name not in UNSHOWN_FIELDS and f.editable]
    entries = {}
    for row in rows:
        subject = subjects.get(row.id)
        entry = AuditEntry(
            at=row.history_date,
            path="",
            what={"+": "Created", "~": "Changed", "-": "Deleted"}[row.history_type],
            subject=str(subject) if subject else f"{model._meta.verbose_name.capitalize()} {row.id} (deleted)",
            url=_url_of(subject),
            text=row.history_change_reason or "",
        )
        before = earlier.get(row.previous_id)
        if row.history_type == "~" and before is not None:
            for field_ in fields:
                old, new = getattr(before, field_.attname), getattr(row, field_.attname)
                if old != new:
                    entry.changes.append(_change(field_, old, new, references))
        elif row.history_type == "~":
            # Loads save raw and write no history row, so a loaded record's first change has
            # nothing to compare with.
            entry.text = entry.text or "Its earlier values were not kept: the record came from a fixture load."
        elif row.history_type == "+" and model is MeasureValue:
            entry.changes.append(Change("Value", "—", _shown(model._meta.get_field("value"), row.value)))
        entries[f"history:{record_label(model)}", row.history_id] = entry
    return entries


def _change(field_, old, new, references):
    change = Change(str(field_.verbose_name).capitalize(), _shown(field_, old), _shown(field_, new))
    if field_.is_relation:
        related = field_.related_model
        references.label(related, old, lambda name: setattr(change, "before", name))
        references.label(related, new, lambda name: setattr(change, "after", name))
    return change


def _url_of(obj):
    if obj is None:
        return ""
    if isinstance(obj, MeasureValue):
        return obj.measure.get_absolute_url()
    return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""


def _previous(subject, value_field):
    """The `value_field` of the latest update of the same `subject` appended before this one
    that gave one: what was current when this one was appended."""
    return Subquery(
        ProgressUpdate.objects.filter(**{subject: OuterRef(subject), "pk__lt": OuterRef("pk")})
        .exclude(**{f"{value_field}__isnull": True})
        .exclude(**{value_field: ""})
        .order_by("-as_of", "-pk")
        .values(value_field)[:1]
    )


def _progress_entries(ids):
    updates = ProgressUpdate.objects.filter(pk__in=ids).select_related("priority", "action__priority")
    updates = updates.annotate(
        rating_before_priority=_previous("priority", "rating"),
        rating_before_action=_previous("action", "rating"),
        status_before=_previous("action", "status"),
    )
    entries = {}
    rating_field = ProgressUpdate._meta.get_field("rating")
    status_field = ProgressUpdate._meta.get_field("status")
    for update in updates:
        subject = update.priority or update.action
        entry = AuditEntry(
            at=update.recorded_at,
            path="",
            what="Progress update",
            subject=str(subject),
            url=subject.get_absolute_url(),
            text=update.commentary,
        )
        if update.rating:
            before = update.rating_before_priority or update.rating_before_action
            entry.changes.append(Change("Rating", _shown(rating_field, before), _shown(rating_field, update.rating)))
        if update.status:
            before = update.status_before
            entry.changes.append(Change("Status", _shown(status_field, before), _shown(status_field, update.status)))
        if update.completed_on:
            entry.changes.append(Change("Completed on", "—", f"{update.completed_on:%-d %B %Y}"))
        entry.changes.append(Change("Reported for", "", update.date_display))
        entries["progressupdate", update.pk] = entry
    return entries


def _scrutiny_update_entries(ids):
    previous = Subquery(
        ScrutinyActionUpdate.objects.filter(action=OuterRef("action"), pk__lt=OuterRef("pk"))
        .exclude(status="")
        .order_by("-date", "-pk")
        .values("status")[:1]
    )
    updates = (
        ScrutinyActionUpdate.objects.filter(pk__in=ids)
        .select_related("action__meeting__committee")
        .annotate(status_before=previous)
    )
    status_field = ScrutinyActionUpdate._meta.get_field("status")
    entries = {}
    for update in updates:
        entry = AuditEntry(
            at=update.recorded_at,
            path="",
            what="Progress update",
            subject=str(update.action),
            url=update.action.get_absolute_url(),
            text=update.commentary,
        )
        if update.status:
            entry.changes.append(
                Change("Status", _shown(status_field, update.status_before), _shown(status_field, update.status))
            )
        entries["scrutinyactionupdate", update.pk] = entry
    return entries


def _fixture_load_entries(ids):
    entries = {}
    for load in FixtureLoad.objects.filter(pk__in=ids):
        counts = [
            f"{_model_name(label)}: {', '.join(f'{n} {outcome}' for outcome, n in outcomes.items() if n)}"
            for label, outcomes in sorted(load.summary.items())
            if isinstance(outcomes, dict) and any(outcomes.values())
        ]
        entry = AuditEntry(
            at=load.loaded_at,
            path="",
            what=f"Loaded {', '.join(load.filenames)}",
            subject=f"Fixture load {load.pk}",
            url=reverse("admin:inspections_fixtureload_change", args=[load.pk]),
            text="; ".join(counts),
        )
        for obj in load.changes[:FIXTURE_LOAD_SHOWN]:
            for name, values in obj["fields"].items():
                entry.changes.append(
                    Change(f"{obj['object']}: {name}", _plain(values.get("old")), _plain(values.get("new")))
                )
        if len(load.changes) > FIXTURE_LOAD_SHOWN:
            entry.text += f" (the first {FIXTURE_LOAD_SHOWN} of {len(load.changes)} records changed are shown here)"
        entries["fixtureload", load.pk] = entry
    return entries


def _model_name(label):
    try:
        return apps.get_model(label)._meta.verbose_name.capitalize()
    except (LookupError, ValueError):
        return label


def _plain(value):
    return "—" if value in (None, "", []) else str(value)


def _bulk_update_entries(ids):
    entries = {}
    for upload in BulkUpdate.objects.filter(pk__in=ids):
        counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(upload.counts.items()) if n)
        entries["bulkupdate", upload.pk] = AuditEntry(
            at=upload.applied_at,
            path="",
            what=f"Applied {upload.file_name}",
            subject=f"Bulk update {upload.pk}",
            url=reverse("admin:improvement_bulkupdate_change", args=[upload.pk]),
            text=f"Rows: {counts}. Each change is listed on its own, with the file named." if counts else "",
        )
    return entries


def _log_entries(ids):
    entries = {}
    for log in LogEntry.objects.filter(pk__in=ids).select_related("content_type"):
        verb = {1: "Added", 2: "Changed", 3: "Deleted"}.get(log.action_flag, "Changed")
        entries["logentry", log.pk] = AuditEntry(
            at=log.action_time,
            path="",
            what=f"{verb} {log.content_type.name}",
            subject=log.object_repr,
            url=log.get_admin_url() if log.action_flag != 3 else "",
            text=log.get_change_message(),
            changes=_logged_values(log),
        )
    return entries


def _logged_values(log):
    """The values before and after that `LoggedValuesAdmin` keeps in a change's log message."""
    try:
        message = json.loads(log.change_message or "[]")
    except ValueError:
        return []  # a plain-text message, as Django's admin wrote before it kept JSON
    return [
        Change(f"{changed['object']}: {label}" if "object" in changed else label, before, after)
        for part in message
        if isinstance(part, dict)
        for changed in [part.get("changed") or {}]
        for label, (before, after) in (changed.get("values") or {}).items()
    ]


READERS = {
    "progressupdate": _progress_entries,
    "scrutinyactionupdate": _scrutiny_update_entries,
    "fixtureload": _fixture_load_entries,
    "bulkupdate": _bulk_update_entries,
    "logentry": _log_entries,
}
