"""The golden thread, read across the three apps: which findings call for an answer, what
answers them, and which have nothing answering them yet.

It lives above `inspections`, `improvement` and `scrutiny` because it joins all three; the
apps themselves only point down at findings (see docs/architecture.md, "The golden thread").

What counts as an answer, one rule per kind of record (`ANSWERS`):

- a priority, whatever its plan or rating;
- an action that is not cancelled (a complete one counts: the work was done, and whether it
  worked is for a later visit to judge);
- a measure that evidences the finding directly, or through a priority that answers it;
- a scrutiny action that is not cancelled (a complete one counts, as for actions);
- a recommendation that was not rejected (made, accepted, partly accepted or implemented).

Discussion at a meeting is not an answer, and a later finding that revisits one inherits
nothing: it reports progress, it does not answer.
"""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
    Window,
)

from improvement.models import Action, Measure, Priority
from inspections.models import Finding, count_of
from scrutiny.models import Recommendation, ScrutinyAction

# Linked records that do not count as an answer, by kind of record: the one statement of the
# rule, used to exclude them from answers, to list them apart, and to split a trace.
NOT_COUNTED = {
    "actions": Q(status=Action.Status.CANCELLED),
    "scrutiny_actions": Q(status=ScrutinyAction.Status.CANCELLED),
    "recommendations": Q(status=Recommendation.Status.REJECTED),
}


def _priorities(finding):
    return Priority.objects.filter(findings=finding)


def _actions(finding):
    return Action.objects.filter(findings=finding).exclude(NOT_COUNTED["actions"])


def _measures(finding):
    # One level deeper than the others: the finding is referred to from inside Exists.
    finding = OuterRef(finding) if isinstance(finding, OuterRef) else finding
    direct = Measure.findings.through.objects.filter(measure=OuterRef("pk"), finding=finding)
    through_priority = Priority.findings.through.objects.filter(priority=OuterRef("priority"), finding=finding)
    return Measure.objects.filter(Exists(direct) | Exists(through_priority))


def _scrutiny_actions(finding):
    return ScrutinyAction.objects.filter(findings=finding).exclude(NOT_COUNTED["scrutiny_actions"])


def _recommendations(finding):
    return Recommendation.objects.filter(findings=finding).exclude(NOT_COUNTED["recommendations"])


# What answers a finding: for each kind of record, the records that count as an answer to
# `finding` (a primary key, or an OuterRef to one).
ANSWERS = {
    "priorities": _priorities,
    "actions": _actions,
    "measures": _measures,
    "scrutiny_actions": _scrutiny_actions,
    "recommendations": _recommendations,
}


def _linked(finding):
    """Everything linked to `finding` that could answer it, annotated for the pages that show
    it: priorities and actions with their current rating, measures with their latest values."""
    return {
        "priorities": _priorities(finding.pk).with_rating_change().select_related("plan", "lead"),
        "actions": Action.objects.filter(findings=finding.pk)
        .with_current_rating()
        .select_related("priority__plan", "owner"),
        "measures": _measures(finding.pk).with_latest_values().select_related("priority"),
        "scrutiny_actions": ScrutinyAction.objects.filter(findings=finding.pk).select_related(
            "meeting__committee", "owner"
        ),
        "recommendations": Recommendation.objects.filter(findings=finding.pk).select_related("committee", "meeting"),
    }


def answers(finding):
    """Everything that answers `finding`, by kind of record, as annotated querysets."""
    return {
        kind: records.exclude(NOT_COUNTED[kind]) if kind in NOT_COUNTED else records
        for kind, records in _linked(finding).items()
    }


def linked_but_not_counted(finding):
    """Records linked to `finding` that do not count as answers: cancelled actions and scrutiny
    actions, rejected recommendations. Shown so that nothing linked disappears unexplained."""
    linked = _linked(finding)
    return {kind: linked[kind].filter(rule) for kind, rule in NOT_COUNTED.items()}


# How many of each kind of answer a finding's page lists; `finding_answers` pages the rest.
TRACE_ITEMS = 25
TITLES = {
    "priorities": "Priorities",
    "actions": "Actions",
    "measures": "Measures",
    "scrutiny_actions": "Scrutiny actions",
    "recommendations": "Recommendations",
}


def kind_of(kind):
    """How the pages name a kind of answer: its title, its slug in URLs and ids, and the
    template of one record (`inspections/includes/answer/`)."""
    return {
        "kind": kind,
        "title": TITLES[kind],
        "slug": kind.replace("_", "-"),
        "template": f"inspections/includes/answer/{kind}.html",
    }


def trace(finding, limit=TRACE_ITEMS):
    """What answers `finding` and what is linked to it but does not count, for its page:
    (answering, not_counted). `answering` lists each kind of record (`ANSWERS`) as a dict: its
    first `limit` answers (`records`) and how many there are in all (`total`); `not_counted`
    maps a kind to its records that do not count (`NOT_COUNTED`). One query per kind: the
    linked records are read once, counted over the rows, and split by the rule."""
    answering, not_counted = [], {}
    for kind, records in _linked(finding).items():
        rule = NOT_COUNTED.get(kind, Q(pk__isnull=True))  # a kind with no rule: nothing is left out
        rows = list(
            records.annotate(
                not_counted=ExpressionWrapper(rule, output_field=BooleanField()),
                linked_count=Window(Count("pk")),
                not_counted_count=Window(Count("pk", filter=rule)),
            )
            # What does not count first: it is rare, and listed apart in full.
            .order_by(F("not_counted").desc(), *records.model._meta.ordering, "pk")[:limit]
        )
        total = rows[0].linked_count - rows[0].not_counted_count if rows else 0
        answers = [record for record in rows if not record.not_counted]
        answering.append({**kind_of(kind), "records": answers, "total": total})
        if kind in NOT_COUNTED:
            not_counted[kind] = [record for record in rows if record.not_counted]
    return answering, not_counted


def answered_condition():
    """A filter on findings: something counts as an answer to it."""
    condition = Q()
    for records in ANSWERS.values():
        condition |= Exists(records(OuterRef("pk")))
    return condition


def unanswered(findings=None):
    """Findings that call for an answer and have none."""
    findings = Finding.objects.all() if findings is None else findings
    return findings.calling_for_answer().exclude(answered_condition())


def with_answer_counts(findings):
    """Annotate how many of each kind of record answer each finding (`priorities_count`,
    `actions_count`, …, and `answers_count`, their sum), one subquery per kind."""
    counts = {f"{name}_count": count_of(records(OuterRef("pk"))) for name, records in ANSWERS.items()}
    total = sum((F(name) for name in counts), start=Value(0))
    return findings.annotate(**counts).annotate(answers_count=total)


def coverage(inspection):
    """The inspection's findings that call for an answer, with how much answers each: those with
    nothing answering them first, then in report order."""
    findings = with_answer_counts(inspection.findings.calling_for_answer().in_report_order())
    gaps_first = Case(When(answers_count=0, then=Value(0)), default=Value(1), output_field=IntegerField())
    return findings.prefetch_related("themes").order_by(gaps_first, "kind_order", "number")


def with_gap_counts(inspections):
    """Annotate inspections with how many of their findings call for an answer
    (`calling_count`) and how many of those have none (`unanswered_count`)."""
    findings = Finding.objects.filter(inspection=OuterRef("pk")).calling_for_answer()
    return inspections.annotate(
        calling_count=count_of(findings), unanswered_count=count_of(findings.exclude(answered_condition()))
    )
