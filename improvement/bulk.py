"""The monthly bulk update: a template of the plan's current state, and each uploaded row read
and run through the same verbs as the officers' pages.

Nothing here repeats a rule of the verbs. `check_rows()` runs each row's verbs inside a
savepoint: for a preview the savepoint is rolled back, for the real thing it is kept. What
the verbs refuse becomes the row's error, placed in the column the refusal is about.
"""

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from improvement import spreadsheet as sheet
from improvement.models import (
    Action,
    Measure,
    MeasureValue,
    Priority,
    Rating,
    ValueAlreadyRecorded,
)
from inspections.models import DatePrecision, EditConflict, attribution_name, format_with_precision


class Scope(models.TextChoices):
    MINE = "mine", "My work"
    PRIORITY = "priority", "One priority"
    PLAN = "plan", "The whole current plan"


class Kind(models.TextChoices):
    PRIORITY = "priority", "Priority"
    ACTION = "action", "Action"
    MEASURE = "measure", "Measure"

    @property
    def plural(self):
        return {"priority": "priorities", "action": "actions", "measure": "measures"}[self]


class Outcome(models.TextChoices):
    CREATE = "create", "Will create"
    CHANGE = "change", "Will change"
    UNCHANGED = "unchanged", "Unchanged"
    ERROR = "error", "Error"

    @property
    def applied_label(self):
        return {"create": "Created", "change": "Changed", "unchanged": "Unchanged", "error": "Not applied"}[self]

    @property
    def tag_colour(self):
        """GOV.UK tag colour; the tag always carries its words too."""
        return {"create": "green", "change": "blue", "unchanged": "grey", "error": "red"}[self]


# ---------------------------------------------------------------------------------------------
# The template


def template_records(plan, scope, *, user=None, priority=None):
    """What a template holds, in the plan's order: each priority, then its actions and measures.

    Three queries whatever the size of the plan (annotations, not a query per row)."""
    priorities = Priority.objects.filter(plan=plan).with_current_rating().select_related("lead")
    actions = Action.objects.filter(priority__plan=plan).with_current_rating().select_related("owner", "priority")
    latest = MeasureValue.objects.filter(measure=OuterRef("pk")).latest_first()
    measures = (
        Measure.objects.filter(priority__plan=plan)
        .with_latest_values()
        .annotate(latest_value_version=Subquery(latest.values("version")[:1]))
        .select_related("owner")
    )
    if scope == Scope.MINE:
        priorities, actions, measures = (
            priorities.for_user(user),
            actions.for_user(user),
            measures.for_user(user),
        )
    elif scope == Scope.PRIORITY:
        priorities, actions, measures = (
            priorities.filter(pk=priority.pk),
            actions.filter(priority=priority),
            measures.filter(priority=priority),
        )
    order = {}
    for record in [*priorities, *actions, *measures]:
        priority_id = record.pk if isinstance(record, Priority) else record.priority_id
        order.setdefault(priority_id, []).append(record)
    position = {pk: index for index, pk in enumerate(plan.priorities.values_list("pk", flat=True))}
    return [record for pk in sorted(order, key=position.get) for record in order[pk]]


def template_row(record):
    """One row of the template: the record's current state, the new-value columns empty."""
    cells = dict.fromkeys(sheet.HEADER, "")
    cells[sheet.ID] = record.pk
    if isinstance(record, Priority | Action):
        cells[sheet.VERSION] = record.version
        cells[sheet.CURRENT_RATING] = Rating(record.current_rating).label if record.current_rating else ""
    if isinstance(record, Priority):
        cells.update({sheet.TYPE: Kind.PRIORITY.label, sheet.ITEM: str(record), sheet.OWNER: record.lead_display})
    elif isinstance(record, Action):
        cells.update(
            {
                sheet.TYPE: Kind.ACTION.label,
                sheet.ITEM: f"{record}: {record.description}",
                sheet.OWNER: record.owner_display,
                sheet.CURRENT_STATUS: record.get_status_display(),
                sheet.DUE_DATE: period_text(record.due_date, record.due_date_precision),
            }
        )
    else:
        cells.update(
            {
                sheet.TYPE: Kind.MEASURE.label,
                sheet.ITEM: record.title,
                sheet.OWNER: str(record.owner or ""),
                sheet.VERSION: record.latest_value_version or "",
                sheet.LATEST_VALUE: record.format_value(record.latest_value) if record.latest_value is not None else "",
                sheet.LATEST_PERIOD: period_text(record.latest_period_end, record.latest_period_precision),
            }
        )
    return [cells[column] for column in sheet.HEADER]


def template_file(plan, scope, file_format, *, user, priority=None):
    """The template as (file name, bytes)."""
    records = template_records(plan, scope, user=user, priority=priority)
    what = {Scope.MINE: f"the work of {attribution_name(user)}", Scope.PRIORITY: str(priority)}.get(scope, "every item")
    made = timezone.localtime()
    title = f"Monthly bulk update of {plan}: {what}. Made {made:%-d %B %Y at %H:%M} for {attribution_name(user)}."
    rows = [template_row(record) for record in records]
    content = sheet.write_xlsx(title, rows) if file_format == sheet.XLSX else sheet.write_csv(title, rows)
    label = {Scope.MINE: "my-work", Scope.PRIORITY: f"priority-{priority.pk if priority else ''}"}.get(scope, "plan")
    return f"bulk-update-{label}-{made:%Y-%m-%d}.{file_format}", content


# ---------------------------------------------------------------------------------------------
# Dates and numbers as a spreadsheet holds them

DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")
# "May-24" is how Excel writes back a month typed into a CSV it opened.
MONTH_FORMATS = ("%Y-%m", "%B %Y", "%b %Y", "%m/%Y", "%b-%y")


def period_text(value, precision):
    """A date as the template writes it, in a form `parse_period()` reads back."""
    if value is None:
        return ""
    if precision == DatePrecision.MONTH:
        return f"{value:%B %Y}"
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    return f"{value:%d/%m/%Y}"


def parse_period(text):
    """A date and its precision from a cell: a day, a month or a year; None if it is none."""
    text = re.sub(r"\s+", " ", text.strip())
    for precision, formats in ((DatePrecision.DAY, DAY_FORMATS), (DatePrecision.MONTH, MONTH_FORMATS)):
        for date_format in formats:
            try:
                return dt.datetime.strptime(text, date_format).date(), precision
            except ValueError:
                continue
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 1, 1), DatePrecision.YEAR
    return None


def parse_number(text):
    cleaned = text.replace(",", "").replace("£", "").removesuffix("%").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


STATUSES = {
    **{value.replace("_", " "): value for value in Action.Status.values},
    **{label.lower(): value for value, label in Action.Status.choices},
}


# ---------------------------------------------------------------------------------------------
# Reading and checking the rows


@dataclass
class OtherChange:
    """What someone else did to a record after the template was made."""

    who: str
    what: str
    date: str
    text: str = ""

    @classmethod
    def from_entry(cls, entry):
        return cls(who=entry.who, what=entry.what, date=entry.date_display, text=entry.text) if entry else None


@dataclass
class RowResult:
    """What a row will do (or did): the outcome, the changes in words, or the errors by column."""

    row: int
    outcome: str
    kind: str = ""
    record_id: int | None = None
    item: str = ""
    url: str = ""
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # [{"column": ..., "message": ...}]
    other_change: dict | None = None

    def as_json(self):
        return asdict(self)


class RowProblem(Exception):
    def __init__(self, column, message, other_change=None):
        super().__init__(message)
        self.column, self.message, self.other_change = column, message, other_change


class _Unchanged(Exception):
    """A part of a row asks for what is already so."""


class _DryRun(Exception):
    """Rolls back a previewed row's savepoint, carrying what it would have done."""

    def __init__(self, changes, outcome):
        super().__init__()
        self.changes, self.outcome = changes, outcome


@dataclass
class Request:
    """A row's cells, parsed: what it asks for, or the cells that could not be read."""

    row: sheet.SheetRow
    kind: str = ""
    record_id: int | None = None
    version: int | None = None
    problems: list = field(default_factory=list)
    rating: str = ""
    status: str = ""
    completed_on: dt.date | None = None
    commentary: str = ""
    due: tuple | None = None
    reason: str = ""
    value: Decimal | None = None
    period: tuple | None = None
    latest_period: tuple | None = None

    FOR_KIND = {
        sheet.NEW_RATING: {Kind.PRIORITY, Kind.ACTION},
        sheet.NEW_STATUS: {Kind.ACTION},
        sheet.COMPLETED_ON: {Kind.ACTION},
        sheet.NEW_DUE_DATE: {Kind.ACTION},
        sheet.REASON: {Kind.ACTION, Kind.MEASURE},
        sheet.NEW_VALUE: {Kind.MEASURE},
        sheet.NEW_PERIOD: {Kind.MEASURE},
    }

    @classmethod
    def parse(cls, row):
        request = cls(row=row)
        request._parse()
        return request

    def problem(self, column, message):
        self.problems.append({"column": column, "message": message})

    @property
    def asks_for_anything(self):
        return any(self.row[column] for column in sheet.EDITABLE)

    def _parse(self):
        row = self.row
        kind = row[sheet.TYPE].strip().lower()
        if kind not in Kind.values:
            self.problem(sheet.TYPE, "Type must be Priority, Action or Measure, as the template gave it.")
        else:
            self.kind = kind
        self.record_id = self._whole_number(sheet.ID, required=True)
        # A measure's version is its latest value's: none before its first value.
        self.version = self._whole_number(sheet.VERSION, required=self.kind != Kind.MEASURE or row[sheet.LATEST_PERIOD])
        for column, kinds in self.FOR_KIND.items():
            if self.kind and row[column] and self.kind not in kinds:
                which = " and ".join(Kind(kind).plural for kind in sorted(kinds, reverse=True))
                self.problem(column, f"{column} is for {which} only: leave it empty in a {self.kind}'s row.")
        self.rating = row[sheet.NEW_RATING].strip().lower()
        status = row[sheet.NEW_STATUS].strip().lower().replace("_", " ")
        self.status = STATUSES.get(status, status)
        self.commentary = row[sheet.COMMENTARY].strip()
        self.reason = row[sheet.REASON].strip()
        self.due = self._period(sheet.NEW_DUE_DATE)
        completed = self._period(sheet.COMPLETED_ON)
        if completed and completed[1] != DatePrecision.DAY:
            self.problem(sheet.COMPLETED_ON, "Completed on must be a day, e.g. 31/03/2025.")
        self.completed_on = completed[0] if completed else None
        self.period = self._period(sheet.NEW_PERIOD)
        self.latest_period = self._period(sheet.LATEST_PERIOD)
        if row[sheet.NEW_VALUE]:
            self.value = parse_number(row[sheet.NEW_VALUE])
            if self.value is None:
                self.problem(sheet.NEW_VALUE, "New value must be a number, e.g. 68 or 12.5.")
            elif -self.value.as_tuple().exponent > 2:
                self.problem(sheet.NEW_VALUE, "New value can have at most two decimal places.")

    def _whole_number(self, column, *, required):
        text = self.row[column].strip()
        if not text:
            if required:
                self.problem(column, f"{column} is empty: copy it back from the template.")
            return None
        if not text.isdigit():
            self.problem(column, f"{column} must be the whole number the template gave.")
            return None
        return int(text)

    def _period(self, column):
        text = self.row[column]
        if not text:
            return None
        parsed = parse_period(text)
        if parsed is None:
            self.problem(column, f"{column} must be {sheet.DATES}.")
        return parsed


ALREADY_SO = "No change: the record already says this."


def check_rows(rows, *, plan, by, via, apply):
    """Run every row's verbs, each row in its own savepoint, and say what each did or would do.

    With `apply` false every savepoint is rolled back (a preview); with `apply` true a row's
    changes are kept unless the row fails. The caller holds the transaction."""
    records = _records_in(plan, rows)
    seen, results = {}, []
    for row in rows:
        results.append(_check_row(Request.parse(row), plan, records, seen, by=by, via=via, apply=apply))
    return results


def _records_in(plan, rows):
    """The plan's records that the rows name, by kind and id: one query per kind."""
    ids = {kind: set() for kind in Kind.values}
    for row in rows:
        kind, text = row[sheet.TYPE].strip().lower(), row[sheet.ID].strip()
        if kind in ids and text.isdigit():
            ids[kind].add(int(text))
    return {
        Kind.PRIORITY: Priority.objects.filter(plan=plan).select_related("plan").in_bulk(ids[Kind.PRIORITY]),
        Kind.ACTION: Action.objects.filter(priority__plan=plan).select_related("priority").in_bulk(ids[Kind.ACTION]),
        Kind.MEASURE: Measure.objects.filter(priority__plan=plan).in_bulk(ids[Kind.MEASURE]),
    }


def _check_row(request, plan, records, seen, *, by, via, apply):
    result = RowResult(row=request.row.number, outcome=Outcome.ERROR, kind=request.kind, record_id=request.record_id)
    record = records.get(request.kind, {}).get(request.record_id) if request.kind else None
    if record is not None:
        result.item = str(record)
        result.url = (record if request.kind != Kind.ACTION else record.priority).get_absolute_url()
    elif request.kind and request.record_id is not None:
        request.problem(sheet.ID, f"There is no {request.kind} with ID {request.record_id} in {plan}.")
    if record is not None:
        key = (request.kind, request.record_id, request.period if request.kind == Kind.MEASURE else None)
        if key in seen:
            request.problem(sheet.ID, f"Row {seen[key]} already updates this {request.kind}: give it one row.")
        seen.setdefault(key, request.row.number)
    if request.problems:
        result.errors = request.problems
        return result
    if not request.asks_for_anything:
        result.outcome, result.changes = Outcome.UNCHANGED, ["Nothing to change in this row."]
        return result
    try:
        with transaction.atomic():
            changes, outcome = RUNNERS[request.kind](request, record, by=by, via=via)
            if not apply:
                raise _DryRun(changes, outcome)
    except _DryRun as dry_run:
        changes, outcome = dry_run.changes, dry_run.outcome
    except EditConflict as conflict:
        if _already_done(request, record):
            result.outcome, result.changes = Outcome.UNCHANGED, [ALREADY_SO]
            return result
        entry = conflict.latest_change
        other = OtherChange.from_entry(entry)
        who = f" by {entry.who}" if entry and entry.who else ""
        message = (
            f"{record} was changed{who} after this template was downloaded. Check their change below, "
            "then download a new template if yours still applies."
        )
        result.errors = [{"column": sheet.VERSION, "message": message}]
        result.other_change = asdict(other) if other else None
        return result
    except RowProblem as problem:
        result.errors = [{"column": problem.column, "message": problem.message}]
        result.other_change = problem.other_change
        return result
    result.outcome, result.changes = (outcome, changes) if changes else (Outcome.UNCHANGED, [ALREADY_SO])
    return result


def _verb(columns, call):
    """Run one verb; a refusal becomes a RowProblem in the column its code is about, and a
    refusal that means "already so" becomes `_Unchanged`."""
    try:
        return call()
    except (EditConflict, ValueAlreadyRecorded):
        raise
    except ValidationError as error:
        if error.code in {"unchanged", "nothing_to_record"}:
            raise _Unchanged from None
        raise RowProblem(columns.get(error.code, ""), error.messages[0]) from None


RATING_COLUMNS = {
    "rating": sheet.NEW_RATING,
    "before_current": sheet.NEW_RATING,
    "commentary_required": sheet.COMMENTARY,
}
PROGRESS_COLUMNS = {
    **RATING_COLUMNS,
    "status": sheet.NEW_STATUS,
    "future": sheet.COMPLETED_ON,
    "completed_on_required": sheet.COMPLETED_ON,
    "completed_before_start": sheet.COMPLETED_ON,
    "completed_on_not_complete": sheet.COMPLETED_ON,
}
DUE_DATE_COLUMNS = {
    "due_date_required": sheet.NEW_DUE_DATE,
    "closed": sheet.NEW_DUE_DATE,
    "due_before_start": sheet.NEW_DUE_DATE,
    "reason_required": sheet.REASON,
}
VALUE_COLUMNS = {
    "period_required": sheet.NEW_PERIOD,
    "future": sheet.NEW_PERIOD,
    "required": sheet.NEW_VALUE,
    "negative": sheet.NEW_VALUE,
    "over_100": sheet.NEW_VALUE,
    "not_whole": sheet.NEW_VALUE,
    "reason_required": sheet.REASON,
}


def _run_priority(request, priority, *, by, via):
    try:
        update = _verb(
            RATING_COLUMNS,
            lambda: priority.record_rating(
                by=by,
                rating=request.rating,
                commentary=request.commentary,
                expected_version=request.version,
                via=via,
            ),
        )
    except _Unchanged:
        return [], Outcome.UNCHANGED
    return [_described(update.as_timeline_entry())], Outcome.CHANGE


def _run_action(request, action, *, by, via):
    changes, version = [], request.version
    if request.due or request.reason:
        to, precision = request.due or (None, DatePrecision.DAY)
        try:
            change = _verb(
                DUE_DATE_COLUMNS,
                lambda: action.move_due_date(
                    by=by, to=to, precision=precision, reason=request.reason, expected_version=version, via=via
                ),
            )
            changes.append(_described(change.as_timeline_entry()))
            version += 1
        except _Unchanged:
            pass
    if request.rating or request.status or request.completed_on or request.commentary:
        try:
            update = _verb(
                PROGRESS_COLUMNS,
                lambda: action.record_progress(
                    by=by,
                    commentary=request.commentary,
                    rating=request.rating,
                    status=request.status,
                    completed_on=request.completed_on,
                    expected_version=version,
                    via=via,
                ),
            )
            changes.append(_described(update.as_timeline_entry()))
        except _Unchanged:
            pass
    return changes, Outcome.CHANGE


def _run_measure(request, measure, *, by, via):
    period_end, precision = request.period or (None, DatePrecision.DAY)
    if request.period and request.period == request.latest_period:
        recorded = measure.values.filter(period_end=period_end).first()
        if recorded is not None:
            before = recorded.value_display
            try:
                _verb(
                    VALUE_COLUMNS,
                    lambda: recorded.correct(
                        by=by,
                        value=request.value,
                        reason=request.reason,
                        expected_version=request.version,
                        via=via,
                    ),
                )
            except _Unchanged:
                return [], Outcome.UNCHANGED
            return [f"Value for {recorded.period_display} corrected from {before} to {recorded.value_display}"], (
                Outcome.CHANGE
            )
    try:
        value = _verb(
            VALUE_COLUMNS,
            lambda: measure.record_value(
                by=by,
                period_end=period_end,
                value=request.value,
                precision=precision,
                note=request.commentary,
                via=via,
            ),
        )
    except ValueAlreadyRecorded as exists:
        recorded = exists.value
        if recorded.value == request.value:
            return [], Outcome.UNCHANGED
        other = OtherChange(
            who=attribution_name(recorded.recorded_by),
            what=f"Value for {recorded.period_display} recorded: {recorded.value_display}",
            date=format_with_precision(timezone.localtime(recorded.recorded_at).date(), DatePrecision.DAY),
        )
        raise RowProblem(sheet.NEW_PERIOD, exists.messages[0], asdict(other)) from None
    return [f"Value for {value.period_display} recorded: {value.value_display}"], Outcome.CREATE


RUNNERS = {Kind.PRIORITY: _run_priority, Kind.ACTION: _run_action, Kind.MEASURE: _run_measure}


def _described(entry):
    return f"{entry.what}: {entry.text}" if entry.text else entry.what


def _already_done(request, record):
    """Whether what a stale row asks for is already the record's state: the same file
    uploaded again, or the same change made by someone else. Such a row is unchanged."""
    if request.kind == Kind.MEASURE:
        return False  # a correction already made is "unchanged" before any version is checked
    record.refresh_from_db()
    if request.due and (record.due_date, record.due_date_precision) != request.due:
        return False
    if request.kind == Kind.PRIORITY or request.rating or request.status or request.commentary:
        latest = record.updates.order_by("-as_of", "-pk").first()
        if latest is None or (latest.rating or "", latest.commentary) != (request.rating, request.commentary):
            return False
        if request.status and record.status != request.status:
            return False
    return True


def counts(results):
    """How many rows of each outcome, for the record and the page."""
    return {outcome: sum(result.outcome == outcome for result in results) for outcome in Outcome.values}
