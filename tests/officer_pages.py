"""Helpers for the officers' pages: a small plan to edit, every edit page with data it
accepts, a snapshot of everything those pages can write, and readers of the page's HTML."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from html import unescape

from django.urls import reverse

from improvement.models import (
    Action,
    DueDateChange,
    Measure,
    MeasureValue,
    Priority,
    ProgressUpdate,
    Rating,
)
from inspections.models import Finding
from scrutiny.models import ScrutinyAction, ScrutinyActionUpdate
from tests.factories import (
    ActionFactory,
    DueDateChangeFactory,
    FindingFactory,
    MeasureFactory,
    MeasureValueFactory,
    MeetingFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ScrutinyActionFactory,
    ScrutinyActionUpdateFactory,
    UserFactory,
)

RATED_ON = dt.date(2022, 6, 30)


@dataclass
class Plan:
    """One of each record an officer edits, linked to `linked` and not to `finding`."""

    priority: Priority
    action: Action
    measure: Measure
    value: MeasureValue
    scrutiny_action: ScrutinyAction
    finding: Finding
    linked: Finding

    def refreshed(self):
        for record in (self.priority, self.action, self.measure, self.value, self.scrutiny_action):
            record.refresh_from_db()
        return self


def build_plan(history=1):
    """A plan whose records each have `history` entries of each kind they keep."""
    finding, linked = FindingFactory(), FindingFactory()
    priority = PriorityFactory(findings=[linked])
    # Two findings, so that the action can be unlinked from one and still answer the other.
    also = FindingFactory(inspection=linked.inspection)
    action = ActionFactory(priority=priority, findings=[linked, also], start_date=dt.date(2022, 1, 1))
    measure = MeasureFactory(priority=priority, findings=[linked])
    scrutiny_action = ScrutinyActionFactory(meeting=MeetingFactory(date=dt.date(2022, 2, 21)), findings=[linked])
    for day in range(history):
        date = RATED_ON - dt.timedelta(days=history - day)
        ProgressUpdateFactory(priority=priority, action=None, rating=Rating.AMBER, date=date)
        ProgressUpdateFactory(action=action, rating=Rating.AMBER, date=date)
        DueDateChangeFactory(action=action, previous_due_date=dt.date(2022, 9, 1), due_date=dt.date(2022, 9, 30))
        MeasureValueFactory(measure=measure, period_end=date, value=Decimal(70 + day % 10))
        ScrutinyActionUpdateFactory(action=scrutiny_action, date=dt.date(2022, 3, 1))
    for _ in range(history - 1):
        extra = FindingFactory(inspection=linked.inspection)
        for record in (priority, action, measure, scrutiny_action):
            record.findings.add(extra)
    value = MeasureValueFactory(measure=measure, period_end=dt.date(2022, 7, 31), value=Decimal("75"))
    return Plan(priority, action, measure, value, scrutiny_action, finding, linked)


def offering(finding):
    """The query that makes a link page offer the findings of `finding`'s inspection."""
    return f"?inspection={finding.inspection_id}"


def date_fields(name, date):
    return {f"{name}_0": str(date.day), f"{name}_1": str(date.month), f"{name}_2": str(date.year)}


# Every edit page: its URL, and data it accepts, for a `Plan` as it is now.
EDIT_PAGES = {
    "priority rating": (
        lambda plan: reverse("improvement:priority_rate", args=[plan.priority.pk]),
        lambda plan: {"version": plan.priority.version, "rating": "green", "commentary": "Back on track."},
    ),
    "action rating": (
        lambda plan: reverse("improvement:action_rate", args=[plan.action.pk]),
        lambda plan: {"version": plan.action.version, "rating": "red", "commentary": "Stalled."},
    ),
    "action progress": (
        lambda plan: reverse("improvement:action_progress", args=[plan.action.pk]),
        lambda plan: {
            "version": plan.action.version,
            "status": "complete",
            "commentary": "Audit finished.",
            **date_fields("completed_on", dt.date(2022, 7, 1)),
        },
    ),
    "action due date": (
        lambda plan: reverse("improvement:action_due_date", args=[plan.action.pk]),
        lambda plan: {
            "version": plan.action.version,
            "reason": "Waiting for the new case system.",
            **date_fields("to", dt.date(2022, 12, 31)),
        },
    ),
    "measure value": (
        lambda plan: reverse("improvement:measure_record_value", args=[plan.measure.pk]),
        lambda plan: {"value": "81", "note": "", **date_fields("period_end", dt.date(2022, 8, 31))},
    ),
    "value correction": (
        lambda plan: reverse("improvement:value_correct", args=[plan.value.pk]),
        lambda plan: {"version": plan.value.version, "value": "76.5", "reason": "The return was revised."},
    ),
    "measure target": (
        lambda plan: reverse("improvement:measure_set_target", args=[plan.measure.pk]),
        lambda plan: {
            "version": plan.measure.version,
            "target": "85",
            "amber_tolerance": "4",
            "reason": "Agreed at the partnership board.",
            **date_fields("target_date", dt.date(2023, 3, 31)),
        },
    ),
    "scrutiny progress": (
        lambda plan: reverse("scrutiny:action_progress", args=[plan.scrutiny_action.pk]),
        lambda plan: {"version": plan.scrutiny_action.version, "status": "complete", "commentary": "Reported."},
    ),
    "priority findings": (
        lambda plan: reverse("improvement:priority_link_findings", args=[plan.priority.pk]) + offering(plan.finding),
        lambda plan: {"version": plan.priority.version, "findings": [plan.finding.pk]},
    ),
    "action findings": (
        lambda plan: reverse("improvement:action_link_findings", args=[plan.action.pk]) + offering(plan.finding),
        lambda plan: {"version": plan.action.version, "findings": [plan.finding.pk]},
    ),
    "measure findings": (
        lambda plan: reverse("improvement:measure_link_findings", args=[plan.measure.pk]) + offering(plan.finding),
        lambda plan: {"version": plan.measure.version, "findings": [plan.finding.pk]},
    ),
    "scrutiny action findings": (
        lambda plan: (
            reverse("scrutiny:scrutinyaction_link_findings", args=[plan.scrutiny_action.pk]) + offering(plan.finding)
        ),
        lambda plan: {"version": plan.scrutiny_action.version, "findings": [plan.finding.pk]},
    ),
    "priority unlink": (
        lambda plan: reverse("improvement:priority_unlink_finding", args=[plan.priority.pk, plan.linked.pk]),
        lambda plan: {"version": plan.priority.version, "reason": "Answered by another priority."},
    ),
    "action unlink": (
        lambda plan: reverse("improvement:action_unlink_finding", args=[plan.action.pk, plan.linked.pk]),
        lambda plan: {"version": plan.action.version, "reason": "Linked by mistake."},
    ),
    "measure unlink": (
        lambda plan: reverse("improvement:measure_unlink_finding", args=[plan.measure.pk, plan.linked.pk]),
        lambda plan: {"version": plan.measure.version, "reason": "Measures something else."},
    ),
    "scrutiny action unlink": (
        lambda plan: reverse("scrutiny:scrutinyaction_unlink_finding", args=[plan.scrutiny_action.pk, plan.linked.pk]),
        lambda plan: {"version": plan.scrutiny_action.version, "reason": "About another visit."},
    ),
    "finding links": (
        lambda plan: reverse("finding_links", args=[plan.finding.pk]),
        lambda plan: {"item": f"priority:{plan.priority.pk}:{plan.priority.version}"},
    ),
}

# The record each versioned page changes, and a change someone else makes to it meanwhile.
CHANGED_BY_SOMEONE_ELSE = {
    "priority": lambda plan, by: plan.priority.record_rating(by=by, rating="red", commentary="Worse than we thought."),
    "action": lambda plan, by: plan.action.record_progress(by=by, commentary="Chased the team."),
    "measure": lambda plan, by: plan.measure.set_target(by=by, target=Decimal("90"), reason="Raised by the board."),
    "value": lambda plan, by: plan.value.correct(by=by, value=Decimal("74"), reason="Typo in the return."),
    "scrutiny_action": lambda plan, by: plan.scrutiny_action.record_progress(by=by, commentary="Asked the service."),
}
VERSIONED_PAGES = {
    "priority rating": "priority",
    "action rating": "action",
    "action progress": "action",
    "action due date": "action",
    "value correction": "value",
    "measure target": "measure",
    "scrutiny progress": "scrutiny_action",
    "priority findings": "priority",
    "action findings": "action",
    "measure findings": "measure",
    "scrutiny action findings": "scrutiny_action",
    "priority unlink": "priority",
    "action unlink": "action",
    "measure unlink": "measure",
    "scrutiny action unlink": "scrutiny_action",
    "finding links": "priority",
}


def someone_else():
    return UserFactory(first_name="Sam", last_name="Colleague")


def snapshot():
    """Everything an officer's page can write: rows appended, versions, links, history."""
    models = (Priority, Action, Measure, MeasureValue, ScrutinyAction)
    return {
        "updates": list(ProgressUpdate.objects.values_list("pk", flat=True)),
        "scrutiny updates": list(ScrutinyActionUpdate.objects.values_list("pk", flat=True)),
        "due date changes": list(DueDateChange.objects.values_list("pk", flat=True)),
        "values": list(MeasureValue.objects.values_list("pk", "value", "version")),
        "versions": {model.__name__: list(model.objects.values_list("pk", "version")) for model in models},
        "statuses": list(Action.objects.values_list("pk", "status", "due_date")),
        "scrutiny statuses": list(ScrutinyAction.objects.values_list("pk", "status")),
        "targets": list(Measure.objects.values_list("pk", "target", "amber_tolerance", "target_date")),
        "links": {
            model.__name__: sorted(
                model.findings.through.objects.values_list(f"{model._meta.model_name}_id", "finding_id")
            )
            for model in (Priority, Action, Measure, ScrutinyAction)
        },
        "history": {model.__name__: model.history.count() for model in models},
    }


def text_of(response):
    """The page's visible text, whitespace collapsed, for asserting what people read."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()
    # Tags became spaces; punctuation that followed an element belongs to it.
    return re.sub(r" ([.,;:])", r"\1", text)


def error_summary(response):
    """The error summary's messages, in order, with the fields they link to."""
    html = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, flags=re.S)
    if not match:
        return []
    return [
        (target, re.sub(r"\s+", " ", unescape(message)).strip())
        for target, message in re.findall(r'<a href="#([^"]+)">(.*?)</a>', match.group(0), flags=re.S)
    ]


def hidden_version(response):
    match = re.search(r'name="version" value="(\d+)"', response.content.decode())
    return int(match.group(1)) if match else None
