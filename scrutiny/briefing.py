"""The briefing pack for a meeting: what changed since the committee last met, as plain data.

The pack is a query over the events the tracker records: ratings and progress, due dates
moved, measure values, scrutiny actions and their updates, recommendations and responses, and
Ofsted's later findings revisiting earlier ones. An event belongs to the pack of a meeting when
its date falls in the meeting's window: after the previous meeting of the same committee, up
to and including the day of this one. Which date counts for each kind of event is set out in
docs/architecture.md ("Briefing packs").

A pack is plain data (dicts, lists and strings), so that publishing can freeze it as canonical
JSON (`briefing_pack_publish`) and a published version renders from what was stored, never
recomputed. `briefing_pack_changes` lists what differs between the live pack and a published
one; `public_copy` is what the public sees of an approved version.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.text import Truncator

from improvement.models import Action, DueDateChange, MeasureValue, ProgressUpdate, Rating
from inspections.models import (
    Finding,
    FindingFollowUp,
    PeriodEnd,
    attribution_name,
    count_of,
    format_with_precision,
)
from scrutiny.models import (
    BriefingPackApproval,
    BriefingPackVersion,
    Committee,
    Meeting,
    Recommendation,
    ScrutinyAction,
    ScrutinyActionUpdate,
)

# Bumped when the shape of the pack changes, so that a stored version says which shape it has.
PACK_FORMAT = 2

FINDINGS = Finding.objects.select_related("inspection")


# --- the window ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The dates whose events a meeting's pack holds: after `previous` (the committee's last
    meeting), up to and including the meeting's own day."""

    meeting: Meeting
    previous: Meeting | None
    history_begins: dt.date | None

    @property
    def start(self):
        """The previous meeting's day; its events belong to that meeting's pack."""
        return self.previous.date

    @property
    def end(self):
        return self.meeting.date

    @property
    def comparable(self):
        """False when there is no previous meeting, or it predates everything the record holds:
        then the record cannot say what changed since, and the pack lists no changes."""
        if self.previous is None:
            return False
        return self.history_begins is None or self.previous.date >= self.history_begins

    @property
    def recorded_between(self):
        """The window as times, for events dated by when they were recorded: from the start of
        the day after the previous meeting to the end of the meeting's day, local time."""
        return _start_of_day(self.start + dt.timedelta(days=1)), _start_of_day(self.end + dt.timedelta(days=1))

    def as_data(self):
        previous = self.previous
        return {
            "previous": _meeting_data(previous) if previous else None,
            "comparable": self.comparable,
            "history_begins": _date(self.history_begins),
        }


def _start_of_day(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def pack_window(meeting):
    previous = (
        Meeting.objects.filter(committee=meeting.committee_id, date__lt=meeting.date)
        .select_related("committee")
        .order_by("-date", "-pk")
        .first()
    )
    return Window(meeting=meeting, previous=previous, history_begins=history_begins() if previous else None)


def history_begins():
    """The date of the earliest event the record holds, of any kind a pack lists; None when
    it holds none. One query."""
    firsts = {
        # Priorities' and actions' apart, so that each reads the first row of its own index.
        "priority_updates": ProgressUpdate.objects.filter(priority__isnull=False).order_by("as_of").values("as_of")[:1],
        "action_updates": ProgressUpdate.objects.filter(action__isnull=False).order_by("as_of").values("as_of")[:1],
        "values": MeasureValue.objects.order_by("as_of").values("as_of")[:1],
        "moves": DueDateChange.objects.annotate(day=TruncDate("recorded_at")).order_by("recorded_at").values("day")[:1],
        "scrutiny_actions": ScrutinyAction.objects.order_by("meeting__date").values("meeting__date")[:1],
        "scrutiny_updates": ScrutinyActionUpdate.objects.order_by("date").values("date")[:1],
        "recommendations": Recommendation.objects.order_by("made_on").values("made_on")[:1],
        "follow_ups": FindingFollowUp.objects.annotate(day=_published_on("finding__inspection"))
        .order_by("day")
        .values("day")[:1],
    }
    row = (
        Meeting.objects.annotate(**{f"first_{name}": Subquery(query) for name, query in firsts.items()})
        .values(*(f"first_{name}" for name in firsts))
        .order_by()
        .first()
    )
    dates = [day for day in (row or {}).values() if day is not None]
    return min(dates) if dates else None


def _published_on(inspection):
    """When an inspection's findings became known: its letter's date, else the visit's."""
    return Coalesce(f"{inspection}__letter_date", f"{inspection}__visit_end", f"{inspection}__visit_start")


# --- the pack ------------------------------------------------------------------------------

# How many items a part of the pack lists. A busier part says how many there are in all and
# links to a page of every one (`pack_part`), so that the pack costs the same however much
# happened in its window.
PART_ITEMS = 25
# How many items a page of one part lists.
PART_PAGE_ITEMS = 50


def briefing_pack_for(meeting):
    """The live briefing pack for a meeting, as plain data: the meeting, its window, what
    changed in the window (by section: each part's first `PART_ITEMS` items and how many there
    are in all), and the agenda with what each item considers."""
    window = pack_window(meeting)
    return {
        "format": PACK_FORMAT,
        "meeting": _meeting_data(meeting),
        "window": window.as_data(),
        "sections": _sections(window) if window.comparable else [],
        "agenda": _agenda(meeting),
    }


@dataclass(frozen=True)
class Part:
    """One kind of change a pack lists. `rows(window)` gives its records in the window in the
    pack's order (a QuerySet, or a list where the part is worked out in Python); `item(row)`
    says what the pack shows of one; `subjects(row)` are the records whose findings it shows."""

    slug: str
    title: str
    empty: str
    rows: Callable
    item: Callable
    subjects: Callable = lambda row: ()


def _sections(window):
    """Every part's first `PART_ITEMS` items, with how many there are in all: one query for
    every part's count, one per part for its items, and one per kind of record for the findings
    they answer."""
    chosen = {part.slug: part.rows(window) for _, _, parts in SECTIONS for part in parts}
    totals = _totals(chosen)
    rows = {slug: list(found[:PART_ITEMS]) for slug, found in chosen.items()}
    _prefetch_findings(
        subject
        for _, _, parts in SECTIONS
        for part in parts
        for row in rows[part.slug]
        for subject in part.subjects(row)
    )
    return [
        {
            "slug": slug,
            "title": title,
            "parts": [
                {
                    "slug": part.slug,
                    "title": part.title,
                    "empty": part.empty,
                    "total": totals[part.slug],
                    "items": [part.item(row) for row in rows[part.slug]],
                }
                for part in parts
            ],
        }
        for slug, title, parts in SECTIONS
    ]


def _totals(chosen):
    """How many rows each part has in its window: the QuerySets' counted in one query."""
    counted = {f"part_{n}": rows for n, rows in enumerate(chosen.values()) if isinstance(rows, QuerySet)}
    row = (
        (
            Meeting.objects.annotate(**{name: count_of(rows) for name, rows in counted.items()})
            .values(*counted)
            .order_by()
            .first()
        )
        if counted
        else {}
    )
    return {
        slug: (row or {}).get(f"part_{n}", 0) if isinstance(rows, QuerySet) else len(rows)
        for n, (slug, rows) in enumerate(chosen.items())
    }


def _prefetch_findings(records):
    """The findings each record answers, in one query per kind of record."""
    by_model = {}
    for record in records:
        if record is not None:
            by_model.setdefault(type(record), []).append(record)
    for found in by_model.values():
        prefetch_related_objects(found, Prefetch("findings", FINDINGS))


def pack_part(meeting, slug, page_number):
    """One part of a meeting's live pack with every item, a page at a time: (the part as
    plain data, the page). Raises Http404 for a part the pack does not have, or a page past
    its end."""
    part = PARTS.get(slug)
    window = pack_window(meeting)
    if part is None or not window.comparable:
        raise Http404("The pack has no such part.")
    try:
        page = Paginator(part.rows(window), PART_PAGE_ITEMS).page(page_number)
    except InvalidPage:
        raise Http404("That part of the pack has no such page.") from None
    rows = list(page.object_list)
    _prefetch_findings(subject for row in rows for subject in part.subjects(row))
    data = {
        "slug": part.slug,
        "title": part.title,
        "empty": part.empty,
        "total": page.paginator.count,
        "items": [part.item(row) for row in rows],
    }
    return {"meeting": _meeting_data(meeting), "window": window.as_data(), "part": data}, page


# --- the plan ------------------------------------------------------------------------------


def _previous_rating(subject):
    """The rating a priority's or action's update replaced: its previous rated update's."""
    earlier = ProgressUpdate.objects.filter(**{subject: OuterRef(subject)}, rating__isnull=False).filter(
        Q(as_of__lt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), pk__lt=OuterRef("pk"))
    )
    return Subquery(earlier.order_by("-as_of", "-pk").values("rating")[:1])


def _ratings(window):
    return (
        ProgressUpdate.objects.filter(rating__isnull=False, as_of__gt=window.start, as_of__lte=window.end)
        .annotate(previous_rating=Coalesce(_previous_rating("priority"), _previous_rating("action")))
        .select_related("priority", "action__priority", "author", "recorded_by__person")
        .order_by("as_of", "pk")
    )


def _rating_item(update):
    previous = update.previous_rating
    if previous is None:
        headline = "First rating"
    elif previous == update.rating:
        headline = f"Unchanged: {update.get_rating_display()}"
    else:
        headline = f"Changed from {Rating(previous).label} to {update.get_rating_display()}"
    return {
        **_subject(update.priority or update.action),
        "key": f"rating:{update.key}",
        "date": update.date_display,
        "rating": update.rating,
        "headline": headline + (f", reported to {update.reported_to}" if update.reported_to else ""),
        "text": update.commentary,
        "who": _update_author(update),
        "who_label": "Given by",
    }


def _completed(window):
    return (
        ProgressUpdate.objects.filter(
            status=Action.Status.COMPLETE, completed_on__gt=window.start, completed_on__lte=window.end
        )
        .select_related("action__priority", "author", "recorded_by__person")
        .order_by("completed_on", "pk")
    )


def _completed_item(update):
    return {
        **_subject(update.action),
        "key": f"completed:{update.key}",
        "date": _date(update.completed_on),
        "headline": "Completed",
        "text": update.commentary,
        "who": _update_author(update),
        "who_label": "Reported by",
    }


def _newly_overdue(window):
    """Open actions whose due period ended in the window: overdue now, or at the meeting if it
    is past, and not at the previous meeting."""
    as_at = min(timezone.localdate(), window.end)
    status_updates = ProgressUpdate.objects.filter(action=OuterRef("pk")).exclude(status="")
    status_then = Coalesce(
        Subquery(status_updates.filter(as_of__lte=as_at).order_by("-as_of", "-pk").values("status")[:1]),
        # No update gave a status by then: not started, unless no update ever gave one, when the
        # status is the one the record was loaded with.
        Case(When(Exists(status_updates), then=Value(Action.Status.NOT_STARTED)), default=F("status")),
    )
    return (
        Action.objects.filter(due_by__gte=window.start, due_by__lt=as_at)
        .annotate(status_then=status_then)
        .filter(status_then__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS])
        .select_related("priority", "owner")
        .order_by("due_by", "pk")
    )


def _overdue_item(action):
    return {
        **_subject(action),
        "key": f"overdue:{action.pk}:{action.due_by.isoformat()}",
        "headline": f"Due {action.due_date_display}; {Action.Status(action.status_then).label.lower()}",
        "who": _name(action.owner_display, public=action.owner_id is None),
        "who_label": "Owner",
    }


def _rebaselined(window):
    since, until = window.recorded_between
    return (
        DueDateChange.objects.filter(previous_due_date__isnull=False, recorded_at__gte=since, recorded_at__lt=until)
        .select_related("action__priority", "recorded_by__person")
        .order_by("recorded_at", "pk")
    )


def _rebaselined_item(change):
    return {
        **_subject(change.action),
        "key": f"rebaselined:{change.key}",
        "date": _date(timezone.localtime(change.recorded_at).date()),
        "headline": f"Due date moved from {change.previous_due_date_display} to {change.due_date_display}",
        "text": change.reason,
        "who": _name(attribution_name(change.recorded_by), public=False),
        "who_label": "Moved by",
    }


# --- measures ------------------------------------------------------------------------------


def _values(window):
    earlier = MeasureValue.objects.filter(measure=OuterRef("measure")).filter(
        Q(as_of__lt=OuterRef("as_of")) | Q(as_of=OuterRef("as_of"), pk__lt=OuterRef("pk"))
    )
    return (
        MeasureValue.objects.filter(as_of__gt=window.start, as_of__lte=window.end)
        .annotate(previous_value=Subquery(earlier.order_by("-as_of", "-pk").values("value")[:1]))
        .select_related("measure__priority", "recorded_by__person", "source")
        .order_by("as_of", "pk")
    )


def _value_item(value):
    measure = value.measure
    direction = measure.direction_between(value.previous_value, value.value)
    if direction is None:
        travel = "The first value recorded"
    else:
        travel = f"{measure.Direction(direction).label}, from {measure.format_value(value.previous_value)}"
    findings = list(measure.findings.all())
    if measure.priority:
        findings += [f for f in measure.priority.findings.all() if f not in findings]
    return {
        "subject": measure.title,
        "url": measure.get_absolute_url(),
        "findings": _findings(findings),
        "key": f"value:{value.pk}",
        "date": value.period_display,
        "rating": measure.rating_for(value.value) or "",
        "headline": value.value_display,
        "details": [
            ["Direction of travel", travel],
            ["Rating", measure.reason_for(value.value)],
            *([["Source", value.source.title]] if value.source else []),
        ],
        "text": value.note,
        "who": _name(attribution_name(value.recorded_by), public=False),
        "who_label": "Recorded by",
    }


# --- scrutiny ------------------------------------------------------------------------------


def _of_committee(committee, meeting="meeting"):
    """Raised at a meeting of the committee or of one of its groups (a CSOG, a task group)."""
    # The committees first, so that the database finds their meetings by index rather than
    # reading every meeting to test its committee's parent.
    family = Committee.objects.filter(Q(pk=committee) | Q(parent=committee)).values("pk")
    return Q(**{f"{meeting}__committee__in": family})


def _scrutiny_status_then(day):
    updates = ScrutinyActionUpdate.objects.filter(action=OuterRef("pk")).exclude(status="")
    return Coalesce(
        Subquery(updates.filter(date__lte=day).order_by("-date", "-pk").values("status")[:1]),
        Case(When(Exists(updates), then=Value(ScrutinyAction.Status.OPEN)), default=F("status")),
    )


def _scrutiny_actions(window):
    return (
        ScrutinyAction.objects.filter(_of_committee(window.meeting.committee_id))
        .annotate(status_then=_scrutiny_status_then(window.end))
        .select_related("meeting__committee", "owner")
    )


def _scrutiny_item(action, key, headline):
    return {
        **_subject(action),
        "subject": str(action),
        "text": action.text,
        "key": key,
        "headline": headline,
        # The minutes that record an action name its owner in public; an owner added in the
        # tracker is not named in public.
        "who": _name(action.owner_display, public=action.owner_id is None or action.meeting.record_id is not None),
        "who_label": "Owner",
    }


def _scrutiny_raised(window):
    return (
        _scrutiny_actions(window)
        .filter(meeting__date__gt=window.start, meeting__date__lte=window.end)
        .order_by("meeting__date", "meeting", "number")
    )


def _raised_item(action):
    due = _date(action.due_date) if action.due_date else "No due date given"
    return {
        **_scrutiny_item(action, f"raised:{action.pk}", f"Raised at {action.meeting}"),
        "details": [["Due", due], ["Status", ScrutinyAction.Status(action.status_then).label]],
    }


def _scrutiny_due(window):
    return (
        _scrutiny_actions(window)
        .filter(due_date__gt=window.start, due_date__lte=window.end)
        .order_by("due_date", "meeting", "number")
    )


def _due_item(action):
    return _scrutiny_item(
        action,
        f"due:{action.pk}:{action.due_date.isoformat()}",
        f"Due {_date(action.due_date)}: {ScrutinyAction.Status(action.status_then).label.lower()}",
    )


def _scrutiny_done(window):
    return (
        ScrutinyActionUpdate.objects.filter(
            _of_committee(window.meeting.committee_id, "action__meeting"),
            status=ScrutinyAction.Status.COMPLETE,
            date__gt=window.start,
            date__lte=window.end,
        )
        .select_related("action__meeting__committee", "author", "recorded_by__person")
        .order_by("date", "pk")
    )


def _done_item(update):
    return {
        **_subject(update.action),
        "key": f"done:{update.key}",
        "date": _date(update.date),
        "headline": "Done",
        "text": update.commentary,
        "who": _name(attribution_name(update.recorded_by, update.author), public=False),
        "who_label": "Reported by",
    }


def _recommendations(window):
    """Recommendations made in the window, and responses given or statuses changed in it (from
    the recommendation's history) on those made before: a list of items, worked out in Python
    from the committee's recommendations (a few dozen over a plan's life)."""
    committee = window.meeting.committee_id
    family = Q(committee=committee) | Q(committee__parent=committee)
    made = list(
        Recommendation.objects.filter(family)
        .annotate(made_by=PeriodEnd("made_on", "made_on_precision"))
        .filter(made_by__gt=window.start, made_by__lte=window.end)
        .select_related("committee", "meeting__committee")
        .prefetch_related(Prefetch("findings", FINDINGS))
        .order_by("made_on", "committee__name", "number")
    )
    since, until = window.recorded_between
    answered = {}
    before = {}
    for record in Recommendation.history.filter(family, history_date__lt=until).order_by("history_id"):
        earlier = before.get(record.id)
        changed = earlier is not None and (earlier.response, earlier.status) != (record.response, record.status)
        if changed and record.history_date >= since:
            answered[record.history_id] = record
        before[record.id] = record
    answered_ids = {record.id for record in answered.values()} - {recommendation.pk for recommendation in made}
    current = (
        Recommendation.objects.filter(pk__in=answered_ids)
        .select_related("committee", "meeting__committee")
        .prefetch_related(Prefetch("findings", FINDINGS))
        .in_bulk()
    )
    items = [
        _recommendation_item(
            recommendation,
            key=f"recommendation:{recommendation.pk}",
            date=recommendation.made_on_display,
            headline=f"Made to {recommendation.addressed_to}" if recommendation.addressed_to else "Made",
            response=recommendation.response,
            status=recommendation.get_status_display(),
        )
        for recommendation in made
    ]
    for history_id, record in answered.items():
        if record.id not in current:
            continue
        day = _date(timezone.localtime(record.history_date).date())
        items.append(
            _recommendation_item(
                current[record.id],
                key=f"response:{history_id}",
                date=day,
                headline="Response recorded",
                response=record.response,
                status=Recommendation.Status(record.status).label,
            )
        )
    return items


def _recommendation_item(recommendation, *, key, date, headline, response, status):
    return {
        "subject": str(recommendation),
        "url": recommendation.meeting.get_absolute_url() if recommendation.meeting else "",
        "findings": _findings(recommendation.findings.all()),
        "key": key,
        "date": date,
        "headline": headline,
        "text": recommendation.text,
        "details": [["Response", response or "No response recorded"], ["Status", status]],
    }


# --- Ofsted --------------------------------------------------------------------------------


def _follow_ups(window):
    return (
        FindingFollowUp.objects.annotate(published_on=_published_on("finding__inspection"))
        .filter(published_on__gt=window.start, published_on__lte=window.end)
        .select_related("finding__inspection", "earlier__inspection")
        .order_by("finding__inspection__visit_start", "finding__kind", "finding__number", "pk")
    )


def _follow_up_item(follow_up):
    finding, earlier = follow_up.finding, follow_up.earlier
    return {
        "subject": f"{finding}, {finding.inspection}",
        "url": finding.get_absolute_url(),
        "findings": _findings([earlier]),
        "trace_label": "Revisits",
        "key": f"follow-up:{follow_up.pk}",
        "date": _date(follow_up.published_on),
        "headline": f"Revisits {earlier}, {earlier.inspection}",
        "text": finding.text,
        "details": [
            ["Progress", follow_up.get_progress_display() or "Not stated by the letter"],
            *([["Evaluation", follow_up.evaluation]] if follow_up.evaluation else []),
        ],
    }


# --- the parts, in the pack's order ---------------------------------------------------------

SECTIONS = [
    (
        "plan",
        "The improvement plan",
        [
            Part(
                "ratings",
                "Ratings given",
                "No priority or action was rated.",
                _ratings,
                _rating_item,
                lambda update: [update.priority or update.action],
            ),
            Part(
                "actions-completed",
                "Actions completed",
                "No action was completed.",
                _completed,
                _completed_item,
                lambda update: [update.action],
            ),
            Part(
                "actions-overdue",
                "Actions newly overdue",
                "No action became overdue.",
                _newly_overdue,
                _overdue_item,
                lambda action: [action],
            ),
            Part(
                "actions-rebaselined",
                "Actions re-baselined",
                "No action's due date moved.",
                _rebaselined,
                _rebaselined_item,
                lambda change: [change.action],
            ),
        ],
    ),
    (
        "measures",
        "Measures",
        [
            Part(
                "measure-values",
                "New measure values",
                "No value was recorded.",
                _values,
                _value_item,
                lambda value: [value.measure, value.measure.priority],
            )
        ],
    ),
    (
        "scrutiny",
        "Scrutiny",
        [
            Part(
                "scrutiny-raised",
                "Scrutiny actions raised",
                "No scrutiny action was raised.",
                _scrutiny_raised,
                _raised_item,
                lambda action: [action],
            ),
            Part(
                "scrutiny-due",
                "Scrutiny actions due",
                "No scrutiny action fell due.",
                _scrutiny_due,
                _due_item,
                lambda action: [action],
            ),
            Part(
                "scrutiny-done",
                "Scrutiny actions done",
                "No scrutiny action was completed.",
                _scrutiny_done,
                _done_item,
                lambda update: [update.action],
            ),
            # Worked out in Python: its rows are the items already.
            Part(
                "recommendations",
                "Recommendations and responses",
                "No recommendation was made or answered.",
                _recommendations,
                lambda item: item,
            ),
        ],
    ),
    (
        "ofsted",
        "Ofsted",
        [
            Part(
                "findings-revisited",
                "Later findings that revisit earlier ones",
                "No Ofsted letter in this period revisited an earlier finding.",
                _follow_ups,
                _follow_up_item,
            )
        ],
    ),
]
PARTS = {part.slug: part for _, _, parts in SECTIONS for part in parts}


# --- the agenda ----------------------------------------------------------------------------


def _agenda(meeting):
    items = list(meeting.agenda_items.select_related("inspection", "plan", "document").order_by("number"))
    inspections = {item.inspection_id for item in items if item.inspection_id}
    follow_ups = {}
    for follow_up in (
        FindingFollowUp.objects.filter(finding__inspection__in=inspections)
        .annotate(published_on=_published_on("finding__inspection"))
        .select_related("finding__inspection", "earlier__inspection")
        .order_by("finding__kind", "finding__number", "pk")
    ):
        follow_ups.setdefault(follow_up.finding.inspection_id, []).append(_follow_up_item(follow_up))
    return [
        {
            "key": f"agenda:{item.number}",
            "number": item.number,
            "title": item.title,
            "section": item.section,
            "pages": item.pages,
            "description": item.description,
            "considers": _considers(item),
            "findings_revisited": follow_ups.get(item.inspection_id, []),
        }
        for item in items
    ]


def _considers(item):
    considers = []
    if item.inspection:
        inspection = item.inspection
        considers.append({"what": "Inspection", "label": inspection.title, "url": inspection.get_absolute_url()})
    if item.plan:
        considers.append({"what": "Plan", "label": item.plan.title, "url": ""})
    if item.document:
        document = item.document
        label = f"{document.title} ({document.date_display})" if document.date else document.title
        location = document.location if document.location.startswith(("https://", "http://")) else ""
        considers.append({"what": "Document", "label": label, "url": "", "location": location})
    return considers


# --- pieces of an item ---------------------------------------------------------------------


def _subject(record):
    """What an item is about: its name, its page and the findings it answers."""
    if isinstance(record, Action):
        subject = f"{record}: {Truncator(record.description).words(20)}"
    elif isinstance(record, ScrutinyAction):
        subject = f"{record}: {Truncator(record.text).words(20)}"
    else:
        subject = str(record)
    data = {"subject": subject, "url": _url(record), "findings": _findings(record.findings.all())}
    if getattr(record, "no_finding_reason", ""):
        data["no_finding_reason"] = record.no_finding_reason
    return data


def _url(record):
    """The record's own page; an action's is its priority's and a scrutiny action's its
    meeting's until they have pages of their own."""
    if hasattr(record, "get_absolute_url"):
        return record.get_absolute_url()
    if isinstance(record, Action):
        return record.priority.get_absolute_url()
    return record.meeting.get_absolute_url()


def _findings(findings):
    """The findings an item answers, in the order of the inspections and their reports."""
    kinds = list(Finding.Kind)
    ordered = sorted(findings, key=lambda f: (f.inspection.visit_start, kinds.index(f.kind), f.number))
    return [
        {"label": str(f), "inspection": str(f.inspection), "text": f.summary, "url": f.get_absolute_url()}
        for f in ordered
    ]


def _update_author(update):
    """Who gave a rating or progress: named in public only when the update was transcribed
    from a public paper (its `source`); a name from a user account never is."""
    return _name(attribution_name(update.recorded_by, update.author), public=update.source_id is not None)


def _name(name, *, public):
    """A name in the pack, marked with whether the public copy may show it."""
    return {"name": name, "public": public} if name else None


def _meeting_data(meeting):
    return {
        "title": str(meeting),
        "committee": meeting.committee.name,
        "date": _date(meeting.date),
        "time": meeting.start_time.strftime("%-I:%M %p").lower() if meeting.start_time else "",
        "venue": meeting.venue,
        "url": meeting.get_absolute_url(),
    }


def _date(day):
    return format_with_precision(day, "day")


# --- publishing ----------------------------------------------------------------------------


def canonical_json(pack):
    """The one text of a pack: sorted keys, no spaces, UTF-8. Its SHA-256 is the checksum."""
    return json.dumps(pack, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum_of(content):
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


@transaction.atomic
def briefing_pack_publish(*, meeting, by):
    """Freeze the meeting's pack as it stands now as the next version, attributed to `by`."""
    if not by.has_perm("scrutiny.publish_briefingpack"):
        raise PermissionDenied("Only officers and administrators can publish a briefing pack.")
    content = canonical_json(briefing_pack_for(meeting))
    latest = meeting.briefing_pack_versions.order_by("-number").first()
    if latest and latest.content == content:
        raise ValidationError(
            f"Nothing has changed since version {latest.number} was published, so there is nothing new to publish.",
            code="unchanged",
        )
    try:
        with transaction.atomic():
            return BriefingPackVersion.objects.create(
                meeting=meeting,
                number=latest.number + 1 if latest else 1,
                published_by=by,
                content=content,
                checksum=checksum_of(content),
            )
    except IntegrityError:
        raise ValidationError(
            "Someone else published this pack at the same moment. Check their version, then publish again if "
            "yours is still needed.",
            code="conflict",
        ) from None


@transaction.atomic
def briefing_pack_approve(*, version, by):
    """Approve a published version for the public, attributed to `by`."""
    if not by.has_perm("scrutiny.approve_briefingpack"):
        raise PermissionDenied("Only administrators can approve a briefing pack for the public.")
    already = ValidationError(f"Version {version.number} is already approved for the public.", code="approved")
    if BriefingPackApproval.objects.filter(version=version).exists():
        raise already
    try:
        with transaction.atomic():
            return BriefingPackApproval.objects.create(version=version, approved_by=by)
    except IntegrityError:
        raise already from None


# --- reading published versions ------------------------------------------------------------


def briefing_pack_changes(*, live, published):
    """What the live pack holds that a published one does not, holds differently, or no longer
    holds, in the pack's order: a list of {change, part, subject, url, headline, rating}."""
    before, after = _entries(published), _entries(live)
    changes = []
    if live["window"] != published["window"]:
        changes.append(_change("Changed", "What the pack covers", {"subject": "The meeting it counts changes from"}))
    for key, (part, item) in after.items():
        if key not in before:
            changes.append(_change("New", part, item))
        elif before[key][1] != item:
            changes.append(_change("Changed", part, item))
    changes += [
        _change("No longer in the pack", part, item) for key, (part, item) in before.items() if key not in after
    ]
    return changes


def _change(change, part, item):
    return {
        "change": change,
        "part": part,
        "subject": item["subject"],
        "url": item.get("url", ""),
        "headline": item.get("headline", ""),
        "date": item.get("date", ""),
        "rating": item.get("rating", ""),
    }


def _entries(pack):
    entries = {
        item["key"]: ("Agenda", {**item, "subject": f"{item['number']}. {item['title']}"}) for item in pack["agenda"]
    }
    for section in pack["sections"]:
        for part in section["parts"]:
            entries |= {item["key"]: (part["title"], item) for item in part["items"]}
    return entries


def public_copy(pack):
    """What the public sees of a published pack: no links into the signed-in service, and a
    name only where the source documents already show it publicly (see `_name`)."""
    if isinstance(pack, list):
        return [public_copy(value) for value in pack]
    if not isinstance(pack, dict):
        return pack
    if set(pack) == {"name", "public"}:
        return pack if pack["public"] else None
    return {key: public_copy(value) for key, value in pack.items() if key != "url"}
