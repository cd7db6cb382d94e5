"""The golden thread read across the apps (config/golden_thread.py): which findings call for an
answer, what counts as one, and the counts coverage shows."""

import datetime as dt

import pytest

from config import golden_thread
from improvement.models import Action, Rating
from inspections.models import Finding
from scrutiny.models import Recommendation, ScrutinyAction
from tests.factories import (
    ActionFactory,
    DiscussionPointFactory,
    FindingFactory,
    FindingFollowUpFactory,
    InspectionFactory,
    MeasureFactory,
    MeasureValueFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    ScrutinyActionFactory,
)
from tests.pages import count_queries_of

pytestmark = pytest.mark.django_db

Kind = Finding.Kind


class TestWhichFindingsCallForAnAnswer:
    @pytest.mark.parametrize(
        ("kind", "calls"),
        [
            (Kind.AREA_FOR_IMPROVEMENT, True),
            (Kind.REQUIRED_ACTION, True),
            (Kind.CONCERN, True),
            (Kind.HEADLINE, False),
            (Kind.STRENGTH, False),
            (Kind.FINDING, False),
        ],
    )
    def test_each_kind(self, kind, calls):
        assert kind.calls_for_answer is calls

    def test_each_kind_has_its_own_plural_and_tag(self):
        assert Kind.AREA_FOR_IMPROVEMENT.plural == "Areas for improvement"
        assert Kind.HEADLINE.plural == "Headline findings"
        assert len({kind.plural for kind in Kind}) == len(Kind)
        assert Kind.CONCERN.tag_class == "govuk-tag govuk-tag--orange"
        assert Kind.STRENGTH.tag_class == "govuk-tag govuk-tag--grey"

    def test_unanswered_leaves_out_kinds_that_ask_for_nothing(self):
        inspection = InspectionFactory()
        asking = [FindingFactory(inspection=inspection, kind=kind) for kind in Kind if kind.calls_for_answer]
        for kind in Kind:
            if not kind.calls_for_answer:
                FindingFactory(inspection=inspection, kind=kind)

        assert set(golden_thread.unanswered(inspection.findings.all())) == set(asking)

    def test_a_later_finding_that_revisits_one_inherits_nothing(self):
        area = FindingFactory(kind=Kind.AREA_FOR_IMPROVEMENT)
        PriorityFactory(findings=[area])
        later_concern = FindingFollowUpFactory(earlier=area, finding__kind=Kind.CONCERN).finding

        unanswered = set(golden_thread.unanswered(Finding.objects.filter(pk__in=[area.pk, later_concern.pk])))

        # The earlier finding is answered; the later concern still has nothing answering it.
        assert unanswered == {later_concern}
        assert not any(queryset.exists() for queryset in golden_thread.answers(later_concern).values())


class TestWhatCountsAsAnAnswer:
    def test_answers_gathers_everything_linked_that_counts(self):
        finding = FindingFactory()
        other = FindingFactory()
        priority = PriorityFactory(findings=[finding, other])
        PriorityFactory(findings=[other])
        action = ActionFactory(findings=[finding])
        complete = ActionFactory(findings=[finding], complete=True)
        ActionFactory(findings=[finding], status=Action.Status.CANCELLED)
        direct = MeasureFactory(findings=[finding])
        through_priority = MeasureFactory(priority=priority)
        both = MeasureFactory(findings=[finding, other], priority=priority)
        MeasureFactory(priority=PriorityFactory(findings=[other]))
        scrutiny_action = ScrutinyActionFactory(findings=[finding])
        closed = ScrutinyActionFactory(findings=[finding], status=ScrutinyAction.Status.COMPLETE)
        ScrutinyActionFactory(findings=[finding], status=ScrutinyAction.Status.CANCELLED)
        recommendation = RecommendationFactory(findings=[finding])
        partly = RecommendationFactory(findings=[finding], status=Recommendation.Status.PARTLY_ACCEPTED)
        RecommendationFactory(findings=[finding], status=Recommendation.Status.REJECTED)
        DiscussionPointFactory(findings=[finding])

        answers = golden_thread.answers(finding)

        assert list(answers["priorities"]) == [priority]
        assert set(answers["actions"]) == {action, complete}
        measures = list(answers["measures"])
        assert sorted(measure.pk for measure in measures) == sorted([direct.pk, through_priority.pk, both.pk])
        assert set(answers["scrutiny_actions"]) == {scrutiny_action, closed}
        assert set(answers["recommendations"]) == {recommendation, partly}

    def test_what_is_linked_but_not_counted_is_listed_apart(self):
        finding = FindingFactory()
        cancelled = ActionFactory(findings=[finding], status=Action.Status.CANCELLED)
        ActionFactory(findings=[finding])
        cancelled_scrutiny = ScrutinyActionFactory(findings=[finding], status=ScrutinyAction.Status.CANCELLED)
        rejected = RecommendationFactory(findings=[finding], status=Recommendation.Status.REJECTED)

        not_counted = golden_thread.linked_but_not_counted(finding)

        assert list(not_counted["actions"]) == [cancelled]
        assert list(not_counted["scrutiny_actions"]) == [cancelled_scrutiny]
        assert list(not_counted["recommendations"]) == [rejected]

    def test_a_finding_answered_only_by_what_does_not_count_is_unanswered(self):
        finding = FindingFactory()
        ActionFactory(findings=[finding], status=Action.Status.CANCELLED)
        ScrutinyActionFactory(findings=[finding], status=ScrutinyAction.Status.CANCELLED)
        RecommendationFactory(findings=[finding], status=Recommendation.Status.REJECTED)
        DiscussionPointFactory(findings=[finding])

        assert list(golden_thread.unanswered(Finding.objects.filter(pk=finding.pk))) == [finding]

    @pytest.mark.parametrize("answer", ["priority", "action", "measure", "scrutiny_action", "recommendation"])
    def test_any_one_answer_is_enough(self, answer):
        finding = FindingFactory()
        {
            "priority": lambda: PriorityFactory(findings=[finding]),
            "action": lambda: ActionFactory(findings=[finding]),
            "measure": lambda: MeasureFactory(findings=[finding]),
            "scrutiny_action": lambda: ScrutinyActionFactory(findings=[finding]),
            "recommendation": lambda: RecommendationFactory(findings=[finding]),
        }[answer]()

        assert not golden_thread.unanswered(Finding.objects.filter(pk=finding.pk)).exists()

    def test_answers_come_annotated_for_the_pages(self):
        finding = FindingFactory()
        priority = PriorityFactory(findings=[finding])
        ProgressUpdateFactory(priority=priority, action=None, date=dt.date(2022, 1, 31), rating=Rating.AMBER)
        ProgressUpdateFactory(priority=priority, action=None, date=dt.date(2022, 2, 28), rating=Rating.GREEN)
        action = ActionFactory(findings=[finding])
        ProgressUpdateFactory(action=action, date=dt.date(2022, 6, 1), rating=Rating.RED)
        measure = MeasureFactory(findings=[finding])
        MeasureValueFactory(measure=measure, period_end=dt.date(2022, 1, 31), value=70)
        MeasureValueFactory(measure=measure, period_end=dt.date(2022, 2, 28), value=82)

        answers = golden_thread.answers(finding)

        [answering_priority] = answers["priorities"]
        assert answering_priority.current_rating == Rating.GREEN
        assert answering_priority.rating_change.label == "Improved"
        assert answers["actions"].get().current_rating == Rating.RED
        [answering_measure] = answers["measures"]
        assert answering_measure.current_rating == Rating.GREEN
        assert answering_measure.latest_value_display == "82%"


class TestCounts:
    def test_each_finding_gets_its_counts_in_one_query(self):
        inspection = InspectionFactory()
        gap = FindingFactory(inspection=inspection, number=1)
        answered = FindingFactory(inspection=inspection, number=2)
        priority = PriorityFactory(findings=[answered])
        PriorityFactory(findings=[answered])
        ActionFactory(findings=[answered])
        ActionFactory(findings=[answered], status=Action.Status.CANCELLED)
        MeasureFactory(findings=[answered], priority=priority)  # linked both ways: counted once
        MeasureFactory(priority=priority)
        ScrutinyActionFactory(findings=[answered])
        RecommendationFactory(findings=[answered], status=Recommendation.Status.REJECTED)
        FindingFactory(inspection=inspection, kind=Kind.STRENGTH)

        with count_queries_of() as queries:
            findings = list(golden_thread.coverage(inspection))

        assert len(queries) == 2  # the findings with their counts, and their themes
        assert findings == [gap, answered]  # nothing answering it first; no strength
        counts = {
            name: getattr(findings[1], f"{name}_count")
            for name in ("priorities", "actions", "measures", "scrutiny_actions", "recommendations", "answers")
        }
        assert counts == {
            "priorities": 2,
            "actions": 1,
            "measures": 2,
            "scrutiny_actions": 1,
            "recommendations": 0,
            "answers": 6,
        }
        assert findings[0].answers_count == 0

    def test_gap_counts_per_inspection(self):
        inspection = InspectionFactory()
        answered = FindingFactory(inspection=inspection, kind=Kind.CONCERN)
        ActionFactory(findings=[answered])
        FindingFactory(inspection=inspection, kind=Kind.REQUIRED_ACTION, required_action=True)
        FindingFactory(inspection=inspection, kind=Kind.HEADLINE)
        quiet = InspectionFactory()
        FindingFactory(inspection=quiet, kind=Kind.FINDING)

        counted = {
            inspection.pk: (inspection.calling_count, inspection.unanswered_count)
            for inspection in golden_thread.with_gap_counts(type(inspection).objects.all())
        }

        assert counted == {inspection.pk: (2, 1), quiet.pk: (0, 0)}


def test_a_trace_reads_each_kind_once_and_splits_it_as_answers_and_linked_but_not_counted():
    finding = FindingFactory()
    ActionFactory(findings=[finding])
    ActionFactory(findings=[finding], status=Action.Status.CANCELLED)
    ScrutinyActionFactory(findings=[finding])
    ScrutinyActionFactory(findings=[finding], status=ScrutinyAction.Status.CANCELLED)
    RecommendationFactory(findings=[finding])
    RecommendationFactory(findings=[finding], status=Recommendation.Status.REJECTED)
    PriorityFactory(findings=[finding])
    MeasureFactory(findings=[finding])

    with count_queries_of() as queries:
        answering, not_counted = golden_thread.trace(finding)

    assert len(queries) == len(golden_thread.ANSWERS)
    assert {answers["kind"]: [r.pk for r in answers["records"]] for answers in answering} == {
        kind: [r.pk for r in records] for kind, records in golden_thread.answers(finding).items()
    }
    assert {answers["kind"]: answers["total"] for answers in answering} == {
        kind: records.count() for kind, records in golden_thread.answers(finding).items()
    }
    assert {kind: [r.pk for r in records] for kind, records in not_counted.items()} == {
        kind: [r.pk for r in records] for kind, records in golden_thread.linked_but_not_counted(finding).items()
    }
    assert all(not_counted.values())


def test_a_trace_lists_the_first_answers_of_a_kind_and_counts_them_all():
    finding = FindingFactory()
    cancelled = ActionFactory(findings=[finding], status=Action.Status.CANCELLED)
    actions = [ActionFactory(findings=[finding]) for _ in range(4)]

    answering, not_counted = golden_thread.trace(finding, limit=3)

    answers = next(answers for answers in answering if answers["kind"] == "actions")
    # What does not count comes first and is always listed; the answers fill the rest.
    assert not_counted["actions"] == [cancelled]
    assert len(answers["records"]) == 2 and set(answers["records"]) <= set(actions)
    assert answers["total"] == 4
