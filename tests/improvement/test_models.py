"""The improvement app's domain model: plans, priorities, actions, RAG history and measures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from improvement.models import (
    Action,
    ComparatorGroup,
    ImprovementPlan,
    Measure,
    MeasureValue,
    Priority,
    ProgressUpdate,
    Qualifier,
    Rating,
    period_wording,
)
from inspections.models import Authority, DatePrecision
from tests.constraints import (
    assert_deserializes_onto_existing_rows,
    erase_history,
    errors_of,
    serialize,
    validation_messages,
    violates,
)
from tests.factories import (
    ActionFactory,
    AuthorityFactory,
    ComparatorGroupFactory,
    ComparatorValueFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    MeasureFactory,
    MeasureValueFactory,
    PersonFactory,
    PlanPhaseFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 10, 1)
D = Decimal


# --- ImprovementPlan, PlanPhase ----------------------------------------------------------


class TestImprovementPlan:
    def test_the_reference_is_unique(self):
        plan = ImprovementPlanFactory()
        with violates(ImprovementPlan, "reference"):
            ImprovementPlanFactory(reference=plan.reference)

    def test_the_period_cannot_end_before_it_starts(self):
        with violates("plan_period_in_order"):
            ImprovementPlanFactory(period_start=dt.date(2022, 4, 1), period_end=dt.date(2022, 3, 31))

    def test_an_open_ended_period_is_allowed(self):
        plans = [
            ImprovementPlanFactory(period_start=dt.date(2022, 4, 1), period_end=None),
            ImprovementPlanFactory(period_start=None, period_end=dt.date(2022, 4, 1)),
        ]
        assert [errors_of(plan.full_clean) for plan in plans] == [{}, {}]
        stored = ImprovementPlan.objects.filter(pk__in=[plan.pk for plan in plans]).order_by("pk")
        assert list(stored.values_list("period_start", "period_end")) == [
            (dt.date(2022, 4, 1), None),
            (None, dt.date(2022, 4, 1)),
        ]

    def test_funding_cannot_be_negative(self):
        with violates("plan_funding_not_negative"):
            ImprovementPlanFactory(funding=D("-1"))

    def test_full_clean_gives_the_period_message(self):
        plan = ImprovementPlanFactory.build(
            authority=ImprovementPlanFactory().authority,
            period_start=dt.date(2022, 4, 1),
            period_end=dt.date(2022, 3, 1),
        )
        with pytest.raises(ValidationError, match="The plan's period cannot end before it starts") as info:
            plan.full_clean()
        assert "The plan's period cannot end before it starts." in validation_messages(info.value)

    def test_it_responds_to_inspections(self):
        inspection = InspectionFactory()
        plan = ImprovementPlanFactory(responds_to=[inspection])
        assert list(inspection.improvement_plans.all()) == [plan]


class TestPlanPhase:
    def test_a_number_is_used_once_per_plan(self):
        phase = PlanPhaseFactory()
        with violates("phase_unique_number"):
            PlanPhaseFactory(plan=phase.plan, number=phase.number)

    def test_a_phase_cannot_end_before_it_starts(self):
        with violates("phase_dates_in_order"):
            PlanPhaseFactory(start=dt.date(2022, 8, 1), end=dt.date(2022, 7, 31))

    def test_str_is_the_title_the_papers_give(self):
        assert str(PlanPhaseFactory.build(number=1, title="Phase 1 (April – July)")) == "Phase 1 (April – July)"

    def test_str_without_a_title_is_the_number(self):
        assert str(PlanPhaseFactory.build(number=2, title="")) == "Phase 2"


# --- Priority ----------------------------------------------------------------------------


class TestPriorityConstraints:
    def test_a_reference_is_used_once_per_plan(self):
        priority = PriorityFactory()
        with violates("priority_unique_reference"):
            PriorityFactory(plan=priority.plan, reference=priority.reference)

    def test_a_number_is_used_once_per_plan(self):
        priority = PriorityFactory()
        with violates("priority_unique_number"):
            PriorityFactory(plan=priority.plan, number=priority.number)

    def test_unnumbered_priorities_may_share_a_plan(self):
        plan = ImprovementPlanFactory()
        PriorityFactory(plan=plan, number=None)
        PriorityFactory(plan=plan, number=None)
        assert plan.priorities.count() == 2

    def test_priorities_are_numbered_from_one(self):
        with violates("priority_number_positive"):
            PriorityFactory(number=0)

    def test_str_and_lead(self):
        lead = PersonFactory.build(name="Jo Bloggs", title="Mrs")
        priority = PriorityFactory.build(number=2, title="Front door", lead=lead)
        assert str(priority) == "2. Front door"
        assert priority.lead_display == "Mrs Jo Bloggs"
        unnamed = PriorityFactory.build(number=None, title="", lead_role="Head of Service")
        assert str(unnamed) == "Priority (not named in the source)"
        assert unnamed.lead_display == "Head of Service"


# --- Action ------------------------------------------------------------------------------


class TestActionConstraints:
    def test_a_number_is_used_once_per_priority(self):
        action = ActionFactory()
        with violates("action_unique_number"):
            ActionFactory(priority=action.priority, number=action.number)

    def test_actions_are_numbered_from_one(self):
        with violates("action_number_positive"):
            ActionFactory(number=0)

    def test_the_due_date_cannot_be_before_the_start(self):
        with violates("action_due_after_start"):
            ActionFactory(start_date=dt.date(2022, 4, 1), due_date=dt.date(2022, 3, 31))

    def test_the_completion_date_cannot_be_before_the_start(self):
        with violates("action_completed_after_start"):
            ActionFactory(
                start_date=dt.date(2022, 4, 1), status=Action.Status.COMPLETE, completed_on=dt.date(2022, 3, 1)
            )

    def test_a_complete_action_needs_a_completion_date(self):
        with violates("action_complete_has_completion_date"):
            ActionFactory(status=Action.Status.COMPLETE, completed_on=None)

    @pytest.mark.parametrize("status", [Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS, Action.Status.CANCELLED])
    def test_only_a_complete_action_has_a_completion_date(self, status):
        with violates("action_complete_has_completion_date"):
            ActionFactory(status=status, completed_on=dt.date(2022, 9, 1))

    def test_a_complete_action_with_its_date_is_saved(self):
        action = ActionFactory(complete=True)
        assert action.status == Action.Status.COMPLETE
        assert action.completed_on == dt.date(2022, 9, 1)

    def test_full_clean_gives_the_completion_message(self):
        action = Action(priority=PriorityFactory(), number=1, description="Audit.", status=Action.Status.COMPLETE)
        with pytest.raises(ValidationError, match="A complete action needs a completion date") as info:
            action.full_clean()
        [message] = validation_messages(info.value)
        assert message.startswith("A complete action needs a completion date")

    def test_full_clean_gives_the_due_date_message(self):
        action = ActionFactory.build(
            priority=PriorityFactory(), start_date=dt.date(2022, 4, 1), due_date=dt.date(2022, 3, 1)
        )
        with pytest.raises(ValidationError, match="The due date cannot be before the start date") as info:
            action.full_clean()
        assert "The due date cannot be before the start date." in validation_messages(info.value)


class TestActionFindings:
    def test_an_action_without_findings_must_say_why(self):
        action = ActionFactory.build(no_finding_reason="")
        with pytest.raises(ValidationError, match="Say why this action answers no Ofsted finding") as info:
            action.clean_findings([])
        assert list(info.value.message_dict) == ["no_finding_reason"]

    def test_a_blank_reason_is_no_reason(self):
        with pytest.raises(ValidationError, match="Say why this action answers no Ofsted finding"):
            ActionFactory.build(no_finding_reason="   ").clean_findings([])

    def test_a_reason_is_enough(self):
        action = ActionFactory.build(no_finding_reason="Raised by scrutiny.")
        assert errors_of(lambda: action.clean_findings([])) == {}

    def test_findings_are_enough(self):
        action = ActionFactory.build(no_finding_reason="")
        assert errors_of(lambda: action.clean_findings([FindingFactory()])) == {}

    def test_without_finding_lists_actions_that_answer_none(self):
        linked = ActionFactory(findings=[FindingFactory()])
        unlinked = ActionFactory()
        actions = Action.objects.filter(pk__in=[linked.pk, unlinked.pk])
        assert list(actions.without_finding()) == [unlinked]


class TestActionQueries:
    @pytest.fixture
    def actions(self):
        status = Action.Status
        return {
            "not_started_past_due": ActionFactory(status=status.NOT_STARTED, due_date=dt.date(2022, 9, 30)),
            "in_progress_past_due": ActionFactory(status=status.IN_PROGRESS, due_date=dt.date(2022, 6, 30)),
            "complete_past_due": ActionFactory(complete=True, due_date=dt.date(2022, 9, 30)),
            "cancelled_past_due": ActionFactory(status=status.CANCELLED, due_date=dt.date(2022, 9, 30)),
            "due_today": ActionFactory(status=status.IN_PROGRESS, due_date=TODAY),
            "due_later": ActionFactory(status=status.IN_PROGRESS, due_date=dt.date(2022, 12, 31)),
            "no_due_date": ActionFactory(status=status.IN_PROGRESS, due_date=None),
        }

    def test_overdue_lists_open_actions_past_their_due_date(self, actions):
        overdue = Action.objects.overdue(today=TODAY)
        assert {a.pk for a in overdue} == {actions["not_started_past_due"].pk, actions["in_progress_past_due"].pk}

    def test_is_overdue_agrees_with_the_query(self, actions):
        assert {name for name, a in actions.items() if a.is_overdue(today=TODAY)} == {
            "not_started_past_due",
            "in_progress_past_due",
        }

    def test_overdue_defaults_to_today(self):
        today = timezone.localdate()
        late = ActionFactory(start_date=None, due_date=today - dt.timedelta(days=1))
        ActionFactory(start_date=None, due_date=today)
        assert list(Action.objects.overdue()) == [late]
        assert late.is_overdue()

    def test_open_lists_not_started_and_in_progress(self, actions):
        assert {a.pk for a in Action.objects.open()} == {
            actions[name].pk
            for name in ("not_started_past_due", "in_progress_past_due", "due_today", "due_later", "no_due_date")
        }

    def test_for_person_lists_the_owners_actions(self):
        owner = PersonFactory()
        mine = ActionFactory(owner=owner)
        ActionFactory(owner=PersonFactory())
        assert list(Action.objects.for_person(owner)) == [mine]

    def test_str_and_owner(self):
        action = ActionFactory.build(priority=PriorityFactory(number=2), number=3, owner=None, owner_role="Head of QA")
        assert str(action) == "Action 2.3"
        assert action.owner_display == "Head of QA"


class TestActionHistory:
    def test_it_records_a_changed_due_date_with_the_previous_value_and_the_user(self):
        user = UserFactory()
        action = ActionFactory(due_date=dt.date(2022, 9, 30))

        action.due_date = dt.date(2022, 12, 31)
        action._history_user = user
        action.save()

        record = action.history.first()
        assert record.history_type == "~"
        assert record.history_user == user
        assert record.due_date == dt.date(2022, 12, 31)
        assert record.prev_record.due_date == dt.date(2022, 9, 30)
        assert record.diff_against(record.prev_record).changed_fields == ["due_date"]
        assert action.history.count() == 2


# --- ProgressUpdate ----------------------------------------------------------------------


class TestProgressUpdateConstraints:
    def test_an_update_is_not_for_both_a_priority_and_an_action(self):
        action = ActionFactory()
        with violates("update_for_priority_or_action"):
            ProgressUpdateFactory(action=action, priority=action.priority)

    def test_an_update_is_for_a_priority_or_an_action(self):
        with violates("update_for_priority_or_action"):
            ProgressUpdateFactory(action=None, priority=None)

    def test_an_update_may_be_for_a_priority(self):
        update = ProgressUpdateFactory(action=None, priority=PriorityFactory())
        assert update.priority.updates.get() == update

    def test_an_update_says_something(self):
        with violates("update_says_something"):
            ProgressUpdateFactory(rating=None, commentary="")

    @pytest.mark.parametrize("rating", ["", "blue"])
    def test_a_rating_is_red_amber_green_or_none(self, rating):
        # An empty string is not NULL: it would pass as a rating and hide the real current one.
        with violates("update_rating_is_red_amber_or_green"):
            ProgressUpdateFactory(rating=rating, commentary="Something to say.")

    def test_full_clean_gives_the_rating_message(self):
        update = ProgressUpdate(action=ActionFactory(), date=TODAY, rating="", commentary="Something to say.")
        with pytest.raises(ValidationError, match="A rating is red, amber or green, or none at all") as info:
            update.full_clean()
        assert "A rating is red, amber or green, or none at all." in validation_messages(info.value)

    def test_a_rating_alone_or_a_commentary_alone_is_enough(self):
        updates = [
            ProgressUpdateFactory(rating=Rating.RED, commentary=""),
            ProgressUpdateFactory(rating=None, commentary="Recruitment has begun."),
        ]
        stored = ProgressUpdate.objects.filter(pk__in=[update.pk for update in updates]).order_by("pk")
        assert list(stored.values_list("rating", "commentary")) == [("red", ""), (None, "Recruitment has begun.")]

    def test_the_key_is_unique(self):
        update = ProgressUpdateFactory()
        with violates(ProgressUpdate, "key"):
            ProgressUpdateFactory(key=update.key)

    def test_full_clean_gives_the_subject_message(self):
        update = ProgressUpdate(date=TODAY, rating=Rating.GREEN)
        with pytest.raises(
            ValidationError, match="An update is for a priority or for an action, not both or neither"
        ) as info:
            update.full_clean()
        assert "An update is for a priority or for an action, not both or neither." in validation_messages(info.value)

    def test_full_clean_gives_the_says_something_message(self):
        update = ProgressUpdate(action=ActionFactory(), date=TODAY, rating=None, commentary="")
        with pytest.raises(ValidationError, match="An update needs a rating, a commentary or a status") as info:
            update.full_clean()
        assert "An update needs a rating, a commentary or a status." in validation_messages(info.value)


class TestProgressUpdateIsAppendOnly:
    def test_saving_an_update_again_is_refused(self):
        update = ProgressUpdateFactory(rating=Rating.RED)
        update.rating = Rating.GREEN
        with pytest.raises(ValidationError, match="cannot be changed"):
            update.save()
        assert ProgressUpdate.objects.get(pk=update.pk).rating == Rating.RED

    def test_deleting_an_update_is_refused(self):
        update = ProgressUpdateFactory()
        with pytest.raises(ValidationError, match="cannot be deleted"):
            update.delete()
        assert ProgressUpdate.objects.filter(pk=update.pk).exists()

    def test_an_action_with_history_cannot_be_deleted(self):
        update = ProgressUpdateFactory()
        with (
            pytest.raises(ProtectedError, match="protected foreign keys: 'ProgressUpdate.action'"),
            transaction.atomic(),
        ):
            update.action.delete()
        assert ProgressUpdate.objects.filter(pk=update.pk).exists()

    def test_a_priority_with_history_cannot_be_deleted(self):
        update = ProgressUpdateFactory(action=None, priority=PriorityFactory())
        with pytest.raises(ProtectedError, match="referenced through protected foreign keys"), transaction.atomic():
            update.priority.plan.delete()
        assert ProgressUpdate.objects.filter(pk=update.pk).exists()

    def test_date_display_respects_precision(self):
        assert ProgressUpdateFactory.build(
            date=dt.date(2013, 7, 1), date_precision=DatePrecision.MONTH
        ).date_display == ("July 2013")

    def test_each_update_gets_its_own_key(self):
        first, second = ProgressUpdateFactory(), ProgressUpdateFactory()
        assert first.key and second.key and first.key != second.key


class TestCurrentRating:
    @pytest.mark.parametrize(
        ("factory", "subject"),
        [(PriorityFactory, "priority"), (ActionFactory, "action")],
        ids=["priority", "action"],
    )
    def test_the_latest_rated_update_wins(self, factory, subject):
        model = factory._meta.model
        target = factory()
        other = {"priority": None, "action": None}

        def update(**kwargs):
            return ProgressUpdateFactory(**{**other, subject: target, **kwargs})

        update(date=dt.date(2022, 5, 31), rating=Rating.RED)
        update(date=dt.date(2022, 7, 31), rating=Rating.GREEN)
        update(date=dt.date(2022, 6, 30), rating=Rating.AMBER)  # recorded later, but for an earlier date
        update(date=dt.date(2022, 8, 31), rating=None, commentary="No change to report.")

        annotated = model.objects.with_current_rating().get(pk=target.pk)

        assert annotated.current_rating == Rating.GREEN
        assert annotated.rated_on == dt.date(2022, 7, 31)

    @pytest.mark.parametrize(
        ("factory", "subject"),
        [(PriorityFactory, "priority"), (ActionFactory, "action")],
        ids=["priority", "action"],
    )
    def test_a_tie_on_date_goes_to_the_later_update(self, factory, subject):
        model = factory._meta.model
        target = factory()
        other = {"priority": None, "action": None}
        ProgressUpdateFactory(**{**other, subject: target, "date": TODAY, "rating": Rating.RED})
        ProgressUpdateFactory(**{**other, subject: target, "date": TODAY, "rating": Rating.AMBER})

        assert model.objects.with_current_rating().get(pk=target.pk).current_rating == Rating.AMBER

    def test_no_updates_means_no_rating(self):
        priority = PriorityFactory()
        ProgressUpdateFactory(action=None, priority=priority, rating=None, commentary="Started.")
        unrated = Priority.objects.with_current_rating().get(pk=priority.pk)
        assert unrated.current_rating is None
        assert unrated.rated_on is None
        assert Action.objects.with_current_rating().get(pk=ActionFactory().pk).current_rating is None

    def test_an_actions_updates_do_not_rate_its_priority(self):
        action = ActionFactory()
        ProgressUpdateFactory(action=action, rating=Rating.RED)
        assert Priority.objects.with_current_rating().get(pk=action.priority_id).current_rating is None
        assert Action.objects.with_current_rating().get(pk=action.pk).current_rating == Rating.RED

    def test_it_rates_many_priorities_in_one_query(self, django_assert_num_queries):
        expected = {}
        for rating in [Rating.RED, Rating.AMBER, Rating.GREEN, Rating.GREEN, None]:
            priority = PriorityFactory()
            ProgressUpdateFactory(action=None, priority=priority, date=dt.date(2022, 1, 31), rating=Rating.RED)
            if rating:
                ProgressUpdateFactory(action=None, priority=priority, date=dt.date(2022, 2, 28), rating=rating)
            expected[priority.pk] = rating or Rating.RED
        PriorityFactory()
        with django_assert_num_queries(1):
            ratings = {p.pk: p.current_rating for p in Priority.objects.with_current_rating()}
        assert {pk: ratings[pk] for pk in expected} == expected
        assert len([r for r in ratings.values() if r is None]) >= 1


# --- Measure -----------------------------------------------------------------------------


class TestMeasureConstraints:
    def test_the_reference_is_unique(self):
        measure = MeasureFactory()
        with violates(Measure, "reference"):
            MeasureFactory(reference=measure.reference)

    def test_the_tolerance_cannot_be_negative(self):
        with violates("measure_tolerance_not_negative"):
            MeasureFactory(amber_tolerance=D("-1"))

    def test_the_stable_margin_cannot_be_negative(self):
        with violates("measure_stable_margin_not_negative"):
            MeasureFactory(stable_margin=D("-0.5"))

    @pytest.mark.parametrize("target", [D("100.01"), D("-1")])
    def test_a_percentage_target_is_between_0_and_100(self, target):
        with violates("measure_percentage_target_in_range"):
            MeasureFactory(unit=Measure.Unit.PERCENTAGE, target=target, amber_tolerance=None)

    def test_a_percentage_target_of_100_is_allowed(self):
        measure = MeasureFactory(unit=Measure.Unit.PERCENTAGE, target=D("100"))
        measure.refresh_from_db()
        assert (measure.target, errors_of(measure.full_clean)) == (D("100"), {})

    def test_a_count_target_may_exceed_100(self):
        measure = MeasureFactory(unit=Measure.Unit.COUNT, target=D("450"))
        measure.refresh_from_db()
        assert (measure.target, errors_of(measure.full_clean)) == (D("450"), {})

    def test_a_tolerance_needs_a_target(self):
        with violates("measure_tolerance_needs_target"):
            MeasureFactory(target=None, amber_tolerance=D("5"))

    def test_full_clean_gives_the_tolerance_message(self):
        with pytest.raises(ValidationError, match="A tolerance needs a target") as info:
            MeasureFactory.build(target=None, amber_tolerance=D("5")).full_clean()
        assert "A tolerance needs a target." in validation_messages(info.value)

    def test_full_clean_rejects_a_percentage_target_over_100(self):
        with pytest.raises(ValidationError, match="A percentage target must be between 0 and 100") as info:
            MeasureFactory.build(target=D("101"), amber_tolerance=None).full_clean()
        assert info.value.message_dict["target"] == ["A percentage target must be between 0 and 100."]


class TestMeasureRating:
    """Target 80; amber within 5 of it."""

    @pytest.mark.parametrize(
        ("value", "rating"),
        [
            (D("92"), Rating.GREEN),
            (D("80"), Rating.GREEN),  # exactly at target
            (D("79.99"), Rating.AMBER),
            (D("75"), Rating.AMBER),  # exactly at the edge of tolerance
            (D("74.99"), Rating.RED),
            (D("0"), Rating.RED),
        ],
    )
    def test_higher_is_better(self, value, rating):
        measure = MeasureFactory.build(
            polarity=Measure.Polarity.HIGHER_IS_BETTER, target=D("80"), amber_tolerance=D("5")
        )
        assert measure.rating_for(value) == rating

    @pytest.mark.parametrize(
        ("value", "rating"),
        [
            (D("60"), Rating.GREEN),
            (D("80"), Rating.GREEN),
            (D("83"), Rating.AMBER),
            (D("85"), Rating.AMBER),
            (D("85.01"), Rating.RED),
        ],
    )
    def test_lower_is_better(self, value, rating):
        measure = MeasureFactory.build(
            polarity=Measure.Polarity.LOWER_IS_BETTER, target=D("80"), amber_tolerance=D("5")
        )
        assert measure.rating_for(value) == rating

    def test_without_a_tolerance_any_miss_is_red(self):
        measure = MeasureFactory.build(target=D("80"), amber_tolerance=None)
        assert measure.rating_for(D("79.99")) == Rating.RED
        assert measure.rating_for(D("80")) == Rating.GREEN

    def test_no_target_no_rating(self):
        assert MeasureFactory.build(target=None, amber_tolerance=None).rating_for(D("50")) is None

    def test_a_context_measure_has_no_rating(self):
        assert MeasureFactory.build(polarity=Measure.Polarity.NEITHER).rating_for(D("50")) is None

    def test_without_a_polarity_there_is_no_rating(self):
        # Nobody has said whether higher or lower is better: no RAG is worked out.
        assert MeasureFactory.build(polarity="", target=D("99.5")).rating_for(D("99.6")) is None

    def test_no_value_no_rating(self):
        assert MeasureFactory.build().rating_for(None) is None

    @pytest.mark.parametrize(
        ("fields", "value", "reason"),
        [
            ({}, D("80"), "Meets the target of 80%."),
            (
                {},
                D("76.5"),
                "Misses the target of 80% by 3.5 percentage points, within the amber tolerance of 5 percentage points.",
            ),
            (
                {},
                D("60"),
                "Misses the target of 80% by 20 percentage points, beyond the amber tolerance of 5 percentage points.",
            ),
            ({"amber_tolerance": None}, D("79"), "Misses the target of 80% by 1 percentage point."),
            (
                {"unit": Measure.Unit.DAYS, "polarity": Measure.Polarity.LOWER_IS_BETTER, "target": D("45")},
                D("52"),
                "Misses the target of 45 days by 7 days, beyond the amber tolerance of 5 days.",
            ),
            ({"target": None, "amber_tolerance": None}, D("50"), "No target is set, so the value is not rated."),
            ({"polarity": Measure.Polarity.NEITHER}, D("50"), "A context measure: not rated against a target."),
        ],
    )
    def test_it_says_why_a_value_is_rated_so(self, fields, value, reason):
        assert MeasureFactory.build(**fields).reason_for(value) == reason


class TestMeasureDirection:
    """Stable within a margin of 1."""

    @pytest.mark.parametrize(
        ("polarity", "previous", "latest", "direction"),
        [
            (Measure.Polarity.HIGHER_IS_BETTER, "70", "75", Measure.Direction.IMPROVING),
            (Measure.Polarity.HIGHER_IS_BETTER, "75", "70", Measure.Direction.DECLINING),
            (Measure.Polarity.HIGHER_IS_BETTER, "75", "76", Measure.Direction.STABLE),  # exactly the margin
            (Measure.Polarity.HIGHER_IS_BETTER, "75", "74.5", Measure.Direction.STABLE),
            (Measure.Polarity.HIGHER_IS_BETTER, "75", "76.01", Measure.Direction.IMPROVING),
            (Measure.Polarity.LOWER_IS_BETTER, "30", "20", Measure.Direction.IMPROVING),
            (Measure.Polarity.LOWER_IS_BETTER, "20", "30", Measure.Direction.DECLINING),
            (Measure.Polarity.LOWER_IS_BETTER, "20", "19", Measure.Direction.STABLE),
            (Measure.Polarity.NEITHER, "10", "20", Measure.Direction.CHANGED),
            (Measure.Polarity.NEITHER, "20", "10", Measure.Direction.CHANGED),
            (Measure.Polarity.NEITHER, "10", "10.5", Measure.Direction.STABLE),
        ],
    )
    def test_direction_between(self, polarity, previous, latest, direction):
        measure = MeasureFactory.build(polarity=polarity, stable_margin=D("1"))
        assert measure.direction_between(D(previous), D(latest)) == direction

    def test_without_a_polarity_a_move_is_only_a_change(self):
        measure = MeasureFactory.build(polarity="", stable_margin=D("0"))
        assert measure.direction_between(D("546"), D("1047")) == Measure.Direction.CHANGED

    def test_a_new_measure_states_no_polarity_frequency_or_data_period(self):
        measure = Measure(reference="new", title="New", unit=Measure.Unit.COUNT)
        assert (measure.polarity, measure.frequency, measure.data_period) == ("", "", "")
        assert measure.get_polarity_display() == ""

    def test_a_zero_margin_counts_only_no_change_as_stable(self):
        measure = MeasureFactory.build(stable_margin=D("0"))
        assert measure.direction_between(D("50"), D("50")) == Measure.Direction.STABLE
        assert measure.direction_between(D("50"), D("50.01")) == Measure.Direction.IMPROVING

    def test_no_direction_without_two_values(self):
        measure = MeasureFactory.build()
        assert measure.direction_between(None, D("50")) is None
        assert measure.direction_between(D("50"), None) is None


class TestMeasureLatestValues:
    def test_it_annotates_the_latest_and_previous_values(self):
        measure = MeasureFactory(target=D("80"), amber_tolerance=D("5"), stable_margin=D("1"))
        # Recorded out of order: the latest period wins, not the latest row.
        MeasureValueFactory(measure=measure, period_end=dt.date(2022, 6, 30), value=D("77"))
        MeasureValueFactory(measure=measure, period_end=dt.date(2022, 4, 30), value=D("60"))
        MeasureValueFactory(measure=measure, period_end=dt.date(2022, 5, 31), value=D("70"))

        annotated = Measure.objects.with_latest_values().get(pk=measure.pk)

        assert annotated.latest_value == D("77")
        assert annotated.previous_value == D("70")
        assert annotated.latest_period_end == dt.date(2022, 6, 30)
        assert annotated.current_rating == Rating.AMBER
        assert annotated.direction == Measure.Direction.IMPROVING

    def test_a_single_value_has_a_rating_but_no_direction(self):
        measure = MeasureFactory(polarity=Measure.Polarity.LOWER_IS_BETTER, target=D("20"), amber_tolerance=None)
        MeasureValueFactory(measure=measure, value=D("25"))
        annotated = Measure.objects.with_latest_values().get(pk=measure.pk)
        assert annotated.previous_value is None
        assert annotated.current_rating == Rating.RED
        assert annotated.direction is None

    def test_no_values_no_rating_and_no_direction(self):
        annotated = Measure.objects.with_latest_values().get(pk=MeasureFactory().pk)
        assert annotated.latest_value is None
        assert annotated.latest_period_end is None
        assert annotated.current_rating is None
        assert annotated.direction is None

    def test_it_reads_many_measures_in_one_query(self, django_assert_num_queries):
        for value in ("90", "78", "50"):
            measure = MeasureFactory()
            MeasureValueFactory(measure=measure, period_end=dt.date(2022, 1, 31), value=D("79"))
            MeasureValueFactory(measure=measure, period_end=dt.date(2022, 2, 28), value=D(value))
        with django_assert_num_queries(1):
            facts = sorted((m.current_rating, m.direction) for m in Measure.objects.with_latest_values())
        assert facts == sorted(
            [
                (Rating.GREEN, Measure.Direction.IMPROVING),
                (Rating.AMBER, Measure.Direction.STABLE),
                (Rating.RED, Measure.Direction.DECLINING),
            ]
        )

    def test_latest_period_display_is_the_latest_values_period(self):
        measure = MeasureFactory()
        MeasureValueFactory(measure=measure, period_end=dt.date(2013, 3, 1), period_precision=DatePrecision.MONTH)
        MeasureValueFactory(measure=measure, period_end=dt.date(2013, 4, 1), period_precision=DatePrecision.MONTH)
        labelled = MeasureFactory()
        MeasureValueFactory(measure=labelled, period_end=dt.date(2013, 7, 24), period_label="As at 24 July 2013")
        MeasureValueFactory(measure=labelled, period_end=dt.date(2013, 6, 30), period_label="June 2013")

        annotated = Measure.objects.with_latest_values().in_bulk([measure.pk, labelled.pk])

        assert annotated[measure.pk].latest_period_display == "April 2013"
        assert annotated[labelled.pk].latest_period_display == "As at 24 July 2013"
        assert Measure.objects.with_latest_values().get(pk=MeasureFactory().pk).latest_period_display == ""

    def test_the_latest_values_qualifier_and_report_date_are_annotated(self):
        measure = MeasureFactory(unit=Measure.Unit.COUNT)
        MeasureValueFactory(measure=measure, period_end=dt.date(2013, 4, 1), period_precision=DatePrecision.MONTH)
        MeasureValueFactory(
            measure=measure,
            period_end=dt.date(2013, 9, 1),
            period_precision=DatePrecision.MONTH,
            dated_by_report=True,
            qualifier=Qualifier.APPROXIMATELY,
        )
        plain = MeasureFactory()
        MeasureValueFactory(measure=plain)

        annotated = Measure.objects.with_latest_values().in_bulk([measure.pk, plain.pk])

        assert annotated[measure.pk].latest_qualifier_display == "approximately"
        assert annotated[measure.pk].latest_period_display == "As reported in September 2013"
        assert annotated[plain.pk].latest_qualifier_display == ""

    def test_latest_first_orders_values_by_period(self):
        measure = MeasureFactory()
        older = MeasureValueFactory(measure=measure, period_end=dt.date(2022, 1, 31))
        newer = MeasureValueFactory(measure=measure, period_end=dt.date(2022, 2, 28))
        assert list(measure.values.latest_first()) == [newer, older]


# --- MeasureValue, ComparatorGroup, ComparatorValue --------------------------------------


class TestMeasureValue:
    def test_one_value_per_measure_and_period(self):
        value = MeasureValueFactory()
        with violates("measure_value_once_per_period"):
            MeasureValueFactory(measure=value.measure, period_end=value.period_end)

    def test_a_period_cannot_start_after_it_ends(self):
        with violates("measure_value_period_in_order"):
            MeasureValueFactory(period_start=dt.date(2022, 7, 1), period_end=dt.date(2022, 6, 30))

    def test_a_value_cannot_be_negative(self):
        with violates("measure_value_not_negative"):
            MeasureValueFactory(value=D("-0.01"))

    def test_full_clean_rejects_a_percentage_over_100(self):
        value = MeasureValueFactory.build(measure=MeasureFactory(unit=Measure.Unit.PERCENTAGE), value=D("101"))
        with pytest.raises(ValidationError, match="A percentage must be between 0 and 100") as info:
            value.full_clean()
        assert info.value.message_dict["value"] == ["A percentage must be between 0 and 100."]

    def test_full_clean_accepts_a_count_over_100(self):
        measure = MeasureFactory(unit=Measure.Unit.COUNT, target=D("450"))
        assert errors_of(MeasureValueFactory.build(measure=measure, value=D("101")).full_clean) == {}

    def test_full_clean_gives_the_negative_value_message(self):
        value = MeasureValueFactory.build(measure=MeasureFactory(unit=Measure.Unit.COUNT), value=D("-1"))
        with pytest.raises(ValidationError, match="A value cannot be negative") as info:
            value.full_clean()
        assert "A value cannot be negative." in validation_messages(info.value)

    def test_period_display_prefers_the_sources_label(self):
        value = MeasureValueFactory.build(period_end=dt.date(2013, 7, 24), period_label="As at 24 July 2013")
        assert value.period_display == "As at 24 July 2013"
        value = MeasureValueFactory.build(period_end=dt.date(2013, 4, 1), period_precision=DatePrecision.MONTH)
        assert value.period_display == "April 2013"


class TestQualifiedAndUndatedValues:
    def test_a_qualifier_is_one_of_the_listed_ones(self):
        with violates("measure_value_qualifier_known"):
            MeasureValueFactory(qualifier="roughly")

    def test_a_comparator_qualifier_is_one_of_the_listed_ones(self):
        with violates("comparator_value_qualifier_known"):
            ComparatorValueFactory(qualifier="roughly")

    def test_full_clean_names_the_allowed_qualifiers(self):
        value = MeasureValueFactory.build(measure=MeasureFactory(), qualifier="roughly")
        with pytest.raises(ValidationError) as info:
            value.full_clean()
        assert "qualifier" in info.value.message_dict

    def test_a_reported_rating_is_red_amber_or_green(self):
        with violates("measure_value_reported_rating_is_rag"):
            MeasureValueFactory(reported_rating="blue")

    def test_a_risk_needs_a_rating(self):
        with violates("measure_value_risk_needs_rating"):
            MeasureValueFactory(reported_rating_risk="Amber or Red")

    def test_full_clean_gives_the_risk_message(self):
        value = MeasureValueFactory.build(measure=MeasureFactory(), reported_rating_risk="Amber or Red")
        with pytest.raises(ValidationError) as info:
            value.full_clean()
        assert "Say what the rating is before what it is at risk of becoming." in validation_messages(info.value)

    @pytest.mark.parametrize(
        ("end", "precision", "label", "wording"),
        [
            (dt.date(2022, 2, 21), DatePrecision.DAY, "", "As reported on 21 February 2022"),
            (dt.date(2013, 9, 1), DatePrecision.MONTH, "", "As reported in September 2013"),
            (dt.date(2020, 1, 1), DatePrecision.YEAR, "In one quarter", "In one quarter, as reported in 2020"),
        ],
    )
    def test_a_value_dated_by_its_report_says_so(self, end, precision, label, wording):
        assert period_wording(end, precision, label, dated_by_report=True) == wording
        value = MeasureValueFactory.build(
            period_end=end, period_precision=precision, period_label=label, dated_by_report=True
        )
        assert value.period_display == wording

    def test_a_value_the_source_dates_shows_its_own_period(self):
        assert period_wording(dt.date(2020, 1, 1), DatePrecision.YEAR) == "2020"
        assert period_wording(dt.date(2013, 7, 24), DatePrecision.DAY, "As at 24 July 2013") == "As at 24 July 2013"


class TestComparators:
    def test_a_group_name_is_unique(self):
        group = ComparatorGroupFactory()
        with violates(ComparatorGroup, "name"):
            ComparatorGroupFactory(name=group.name)

    def test_one_value_per_measure_group_and_period(self):
        value = ComparatorValueFactory()
        with violates("comparator_value_once_per_period"):
            ComparatorValueFactory(measure=value.measure, group=value.group, period_end=value.period_end)

    def test_another_group_may_report_the_same_period(self):
        value = ComparatorValueFactory()
        ComparatorValueFactory(measure=value.measure, period_end=value.period_end)
        assert value.measure.comparator_values.count() == 2

    def test_a_period_cannot_start_after_it_ends(self):
        with violates("comparator_value_period_in_order"):
            ComparatorValueFactory(period_start=dt.date(2022, 7, 1), period_end=dt.date(2022, 6, 30))

    def test_a_value_cannot_be_negative(self):
        with violates("comparator_value_not_negative"):
            ComparatorValueFactory(value=D("-1"))

    def test_full_clean_rejects_a_percentage_over_100(self):
        value = ComparatorValueFactory.build(measure=MeasureFactory(), group=ComparatorGroupFactory(), value=D("100.5"))
        with pytest.raises(ValidationError, match="A percentage must be between 0 and 100") as info:
            value.full_clean()
        assert info.value.message_dict["value"] == ["A percentage must be between 0 and 100."]


# --- Natural keys ------------------------------------------------------------------------


class TestNaturalKeys:
    def test_an_actions_key_expands_its_priority_and_plan(self):
        action = ActionFactory(priority=PriorityFactory(plan=ImprovementPlanFactory(reference="devon-2013")))
        assert action.natural_key() == ("devon-2013", action.priority.reference, action.number)

    def test_a_progress_update_is_keyed_by_its_key(self):
        update = ProgressUpdateFactory()
        assert update.natural_key() == (update.key,)


def improvement_record():
    """A plan with a phase, a priority, an action, updates and a measure with values."""
    finding = FindingFactory()
    plan = ImprovementPlanFactory(responds_to=[finding.inspection])
    phase = PlanPhaseFactory(plan=plan)
    priority = PriorityFactory(plan=plan, findings=[finding])
    action = ActionFactory(priority=priority, findings=[finding])
    priority_update = ProgressUpdateFactory(action=None, priority=priority, rating=Rating.AMBER)
    action_update = ProgressUpdateFactory(action=action, rating=None, commentary="Audit booked.")
    measure = MeasureFactory(priority=priority, findings=[finding])
    value = MeasureValueFactory(measure=measure)
    group = ComparatorGroupFactory()
    comparator = ComparatorValueFactory(measure=measure, group=group)
    return [plan, phase, priority, action, priority_update, action_update, measure, value, group, comparator]


class TestSerialization:
    def test_deserializing_maps_onto_the_existing_rows(self):
        assert_deserializes_onto_existing_rows(improvement_record())

    def test_a_record_reloads_into_an_emptied_database(self):
        record = improvement_record()
        data = serialize(record)
        keys = [(type(obj), obj.natural_key()) for obj in record]
        plan, *_rest, measure, _value, group, comparator = record
        comparator.delete()
        group.delete()
        measure.delete()
        erase_history(ProgressUpdate)
        plan.delete()
        assert not Action.objects.filter(priority__plan__reference=plan.reference).exists()

        for deserialized in serializers.deserialize("json", data):
            deserialized.save()

        for model, key in keys:
            assert model.objects.get_by_natural_key(*key)
        reloaded = Priority.objects.with_current_rating().get_by_natural_key(*record[2].natural_key())
        assert reloaded.current_rating == Rating.AMBER
        assert reloaded.findings.count() == 1
        assert Measure.objects.get_by_natural_key(measure.reference).priority == reloaded
        assert Measure.objects.with_latest_values().get(reference=measure.reference).latest_value == D("75")

    def test_a_measure_value_deserializes_onto_its_row(self):
        # MeasureValue has its own manager; it must still look rows up by natural key.
        value = MeasureValueFactory()
        [loaded] = serializers.deserialize("json", serialize([value]))
        assert loaded.object.pk == value.pk
        with transaction.atomic():
            loaded.save()
        assert MeasureValue.objects.filter(measure=value.measure).count() == 1


class TestCurrentPlan:
    @pytest.fixture
    def home(self, settings):
        settings.HOME_AUTHORITY = "Home"
        return AuthorityFactory(short_name="Home")

    def test_the_plan_marked_current_is_current(self, home):
        marked = ImprovementPlanFactory(authority=home, status=ImprovementPlan.Status.CURRENT, period_start=None)
        ImprovementPlanFactory(authority=home, period_start=dt.date(2024, 4, 1), period_end=None)
        assert ImprovementPlan.objects.current() == marked

    def test_otherwise_the_plan_most_recently_reported_on_is_current(self, home):
        started_later = ImprovementPlanFactory(authority=home, period_start=dt.date(2022, 4, 1))
        updated_later = ImprovementPlanFactory(authority=home, period_start=None)
        ProgressUpdateFactory(
            priority=PriorityFactory(plan=updated_later), action=None, date=dt.date(2022, 1, 1), date_precision="year"
        )
        assert ImprovementPlan.objects.current() == updated_later
        ProgressUpdateFactory(action=ActionFactory(priority__plan=started_later), date=dt.date(2023, 1, 5))
        assert ImprovementPlan.objects.current() == started_later

    def test_another_authoritys_plan_is_never_current(self, home):
        ImprovementPlanFactory(period_start=dt.date(2030, 1, 1), period_end=None)
        own = ImprovementPlanFactory(authority=home, period_start=dt.date(2020, 1, 1))
        assert ImprovementPlan.objects.current() == own

    def test_no_plan_means_none(self, home):
        assert ImprovementPlan.objects.current() is None

    def test_an_authority_has_one_current_plan(self, home):
        ImprovementPlanFactory(authority=home, status=ImprovementPlan.Status.CURRENT)
        with violates("plan_one_current_per_authority"):
            ImprovementPlanFactory(authority=home, status=ImprovementPlan.Status.CURRENT)

    def test_the_home_authority_comes_from_settings(self, home):
        AuthorityFactory(short_name="Elsewhere")
        assert Authority.objects.home() == home
