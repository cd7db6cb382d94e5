"""The verbs that change plan data: each succeeds, refuses what the rules refuse with its own
message, checks the version the form was opened at, and records who did it."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from improvement.models import VIA_PAGE, Action, DueDateChange, Measure, MeasureValue, Priority, ProgressUpdate, Rating
from inspections.models import DatePrecision, EditConflict
from tests.factories import (
    ActionFactory,
    DueDateChangeFactory,
    FindingFactory,
    MeasureFactory,
    MeasureValueFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2022, 6, 30)
FUTURE = dt.date.today() + dt.timedelta(days=2)


@pytest.fixture
def user():
    user = UserFactory(first_name="Olivia", last_name="Officer")
    PersonFactory(name="Olivia Officer", user=user)
    return user


def rate(priority, user, rating, commentary="", as_of=DAY, **kwargs):
    return priority.record_rating(by=user, rating=rating, commentary=commentary, as_of=as_of, **kwargs)


class TestRecordRating:
    def test_it_appends_an_attributed_rating(self, user):
        priority = PriorityFactory()
        update = rate(priority, user, Rating.AMBER, "Recruitment is behind plan.")

        assert (update.priority, update.rating, update.commentary, update.date) == (
            priority,
            "amber",
            "Recruitment is behind plan.",
            DAY,
        )
        assert update.recorded_by == user
        assert update.author.name == "Olivia Officer"
        assert update.recorded_via == VIA_PAGE
        assert Priority.objects.with_current_rating().get(pk=priority.pk).current_rating == "amber"

    def test_it_moves_the_version_on(self, user):
        priority = PriorityFactory()
        rate(priority, user, Rating.AMBER, "First.", expected_version=1)
        priority.refresh_from_db()
        assert priority.version == 2

    def test_a_first_rating_needs_a_commentary(self, user):
        with pytest.raises(ValidationError, match="Explain the rating: this is its first."):
            rate(PriorityFactory(), user, Rating.GREEN)
        assert not ProgressUpdate.objects.exists()

    def test_a_changed_rating_needs_a_commentary(self, user):
        priority = PriorityFactory()
        rate(priority, user, Rating.AMBER, "Behind plan.")
        with pytest.raises(ValidationError, match="Explain why the rating has changed from Amber to Green."):
            rate(priority, user, Rating.GREEN, "   ")
        assert ProgressUpdate.objects.count() == 1

    def test_the_same_rating_needs_no_commentary(self, user):
        priority = PriorityFactory()
        rate(priority, user, Rating.AMBER, "Behind plan.")
        rate(priority, user, Rating.AMBER, as_of=DAY + dt.timedelta(days=31))
        assert priority.updates.count() == 2

    @pytest.mark.parametrize("rating", ["", None, "blue", "complete"])
    def test_a_rating_is_red_amber_or_green(self, user, rating):
        with pytest.raises(ValidationError, match="Choose red, amber or green."):
            rate(PriorityFactory(), user, rating, "Commentary.")

    def test_a_future_date_is_refused(self, user):
        with pytest.raises(ValidationError, match="The date cannot be in the future."):
            rate(PriorityFactory(), user, Rating.RED, "Commentary.", as_of=FUTURE)

    def test_a_date_before_the_current_rating_is_refused(self, user):
        priority = PriorityFactory()
        rate(priority, user, Rating.AMBER, "Behind plan.")
        with pytest.raises(ValidationError, match=r"The date cannot be before the current rating's \(30 June 2022\)."):
            rate(priority, user, Rating.RED, "Worse.", as_of=DAY - dt.timedelta(days=1))

    def test_a_stale_version_is_refused_and_nothing_is_written(self, user):
        priority = PriorityFactory()
        rate(priority, user, Rating.AMBER, "Behind plan.", expected_version=1)
        stale = Priority.objects.get(pk=priority.pk)
        with pytest.raises(EditConflict, match="was changed by Olivia Officer after you opened this page") as info:
            rate(stale, UserFactory(), Rating.GREEN, "On track.", expected_version=1)
        assert info.value.latest_change.what == "Rated Amber"
        assert info.value.latest_change.text == "Behind plan."
        assert list(priority.updates.values_list("rating", flat=True)) == ["amber"]

    def test_the_account_name_is_used_when_no_person_is_linked(self):
        priority = PriorityFactory()
        rate(priority, UserFactory(first_name="Ola", last_name="Nobody"), Rating.RED, "Off track.")
        annotated = Priority.objects.with_current_rating().get(pk=priority.pk)
        assert annotated.last_updated_by == "Ola Nobody"
        assert annotated.last_updated_display == "30 June 2022"


class TestRecordProgress:
    def test_a_new_status_needs_no_commentary_and_the_action_follows_it(self, user):
        action = ActionFactory()
        update = action.record_progress(by=user, status=Action.Status.IN_PROGRESS, as_of=DAY)
        action.refresh_from_db()
        assert (update.status, action.status, action.version) == ("in_progress", "in_progress", 2)
        assert update.recorded_by == user

    def test_completing_records_the_completion_date_on_the_update_and_the_action(self, user):
        action = ActionFactory()
        update = action.record_progress(
            by=user, status=Action.Status.COMPLETE, completed_on=dt.date(2022, 6, 28), commentary="Done.", as_of=DAY
        )
        action.refresh_from_db()
        assert (action.status, action.completed_on) == ("complete", dt.date(2022, 6, 28))
        assert update.completed_on == dt.date(2022, 6, 28)

    def test_completing_needs_the_completion_date(self, user):
        action = ActionFactory()
        with pytest.raises(ValidationError, match="Enter the date the action was completed."):
            action.record_progress(by=user, status=Action.Status.COMPLETE, as_of=DAY)
        action.refresh_from_db()
        assert action.status == "not_started"

    def test_the_completion_date_cannot_be_in_the_future(self, user):
        with pytest.raises(ValidationError, match="The completion date cannot be in the future."):
            ActionFactory().record_progress(by=user, status="complete", completed_on=FUTURE, as_of=DAY)

    def test_the_completion_date_cannot_be_before_the_start(self, user):
        action = ActionFactory(start_date=dt.date(2022, 4, 1))
        with pytest.raises(ValidationError, match=r"cannot be before the action started \(1 April 2022\)"):
            action.record_progress(by=user, status="complete", completed_on=dt.date(2022, 3, 1), as_of=DAY)

    def test_a_completion_date_needs_the_complete_status(self, user):
        with pytest.raises(ValidationError, match="Enter a completion date only when marking the action complete."):
            ActionFactory().record_progress(by=user, commentary="Note.", completed_on=DAY, as_of=DAY)

    def test_cancelling_needs_a_reason(self, user):
        with pytest.raises(ValidationError, match="Say why the action is cancelled."):
            ActionFactory().record_progress(by=user, status="cancelled", as_of=DAY)

    def test_something_must_be_recorded(self, user):
        action = ActionFactory(status=Action.Status.NOT_STARTED)
        with pytest.raises(ValidationError, match="Enter a rating, a new status or a progress note."):
            action.record_progress(by=user, status="not_started", as_of=DAY)

    def test_an_unknown_status_is_refused(self, user):
        with pytest.raises(ValidationError, match="Choose a status from the list."):
            ActionFactory().record_progress(by=user, status="done", as_of=DAY)

    def test_a_rating_obeys_the_rating_rules(self, user):
        action = ActionFactory()
        action.record_progress(by=user, rating="amber", commentary="Slipping.", as_of=DAY)
        with pytest.raises(ValidationError, match="Explain why the rating has changed from Amber to Red."):
            action.record_progress(by=user, rating="red", as_of=DAY)

    def test_reopening_clears_the_completion_date(self, user):
        action = ActionFactory()
        action.record_progress(by=user, status="complete", completed_on=DAY, as_of=DAY)
        action.record_progress(by=user, status="in_progress", commentary="Audit found gaps.", as_of=DAY)
        action.refresh_from_db()
        assert (action.status, action.completed_on) == ("in_progress", None)

    def test_the_status_is_the_latest_given_by_the_end_of_its_period(self, user):
        action = ActionFactory()
        action.record_progress(by=user, status="in_progress", as_of=dt.date(2022, 6, 5))
        # Reported later, but for a date before: the in-progress update still stands.
        action.record_progress(
            by=user, status="not_started", commentary="Was paused in May.", as_of=dt.date(2022, 6, 4)
        )
        action.refresh_from_db()
        assert action.status == "in_progress"

    def test_a_stale_version_is_refused(self, user):
        action = ActionFactory()
        stale = Action.objects.get(pk=action.pk)
        action.record_progress(by=user, status="in_progress", as_of=DAY, expected_version=1)
        with pytest.raises(EditConflict, match="after you opened this page"):
            stale.record_progress(by=user, status="complete", completed_on=DAY, as_of=DAY, expected_version=1)
        action.refresh_from_db()
        assert action.status == "in_progress"
        assert action.updates.count() == 1


class TestMoveDueDate:
    def test_it_moves_the_date_and_keeps_the_first_one_agreed(self, user):
        action = ActionFactory(due_date=dt.date(2022, 9, 30))
        action.move_due_date(by=user, to=dt.date(2022, 12, 31), reason="Recruitment delayed.")
        action.move_due_date(by=user, to=dt.date(2023, 1, 31), reason="Christmas.")
        action.refresh_from_db()

        assert action.due_date == dt.date(2023, 1, 31)
        assert action.original_due_date_display == "30 September 2022"
        changes = list(DueDateChange.objects.filter(action=action).order_by("pk"))
        assert [(c.previous_due_date, c.due_date, c.reason, c.recorded_by) for c in changes] == [
            (dt.date(2022, 9, 30), dt.date(2022, 12, 31), "Recruitment delayed.", user),
            (dt.date(2022, 12, 31), dt.date(2023, 1, 31), "Christmas.", user),
        ]
        latest = action.history.first()
        assert (latest.history_user, latest.history_change_reason) == (
            user,
            "Due date moved to 31 January 2023: Christmas.",
        )

    def test_a_reason_is_required(self, user):
        action = ActionFactory()
        with pytest.raises(ValidationError, match="Say why the due date is moving."):
            action.move_due_date(by=user, to=dt.date(2022, 12, 31), reason=" ")
        assert not DueDateChange.objects.exists()

    def test_a_first_due_date_needs_no_reason(self, user):
        action = ActionFactory(due_date=None)
        action.move_due_date(by=user, to=dt.date(2022, 12, 31), reason="")
        action.refresh_from_db()
        assert (action.due_date, action.original_due_date) == (dt.date(2022, 12, 31), None)

    def test_the_same_date_is_refused(self, user):
        with pytest.raises(ValidationError, match="The action is already due 30 September 2022."):
            ActionFactory(due_date=dt.date(2022, 9, 30)).move_due_date(by=user, to=dt.date(2022, 9, 30), reason="x")

    def test_a_closed_action_keeps_its_date(self, user):
        action = ActionFactory(complete=True)
        with pytest.raises(ValidationError, match="The action is complete: its due date can no longer move."):
            action.move_due_date(by=user, to=dt.date(2022, 12, 31), reason="Late.")

    def test_it_cannot_be_due_before_it_started(self, user):
        with pytest.raises(ValidationError, match=r"cannot be before the action started \(1 April 2022\)"):
            ActionFactory().move_due_date(by=user, to=dt.date(2022, 3, 1), reason="Earlier.")

    def test_a_stale_version_is_refused(self, user):
        action = ActionFactory()
        stale = Action.objects.get(pk=action.pk)
        action.move_due_date(by=user, to=dt.date(2022, 12, 31), reason="Later.", expected_version=1)
        with pytest.raises(EditConflict, match="was changed by .* after you opened this page"):
            stale.move_due_date(by=user, to=dt.date(2022, 10, 31), reason="Sooner.", expected_version=1)
        action.refresh_from_db()
        assert action.due_date == dt.date(2022, 12, 31)


class TestDatesWithTheirPrecision:
    def test_an_action_due_in_a_month_is_overdue_only_after_the_month(self):
        action = ActionFactory(due_date=dt.date(2024, 3, 1), due_date_precision=DatePrecision.MONTH)
        for today, overdue in [
            (dt.date(2024, 3, 2), False),
            (dt.date(2024, 3, 31), False),
            (dt.date(2024, 4, 1), True),
        ]:
            assert action.is_overdue(today) is overdue, today
            assert Action.objects.overdue(today).filter(pk=action.pk).exists() is overdue, today

    def test_an_update_for_a_year_sorts_after_one_within_it(self):
        priority = PriorityFactory()
        ProgressUpdateFactory(priority=priority, action=None, date=dt.date(2020, 3, 5), rating="red")
        ProgressUpdateFactory(
            priority=priority, action=None, date=dt.date(2020, 1, 1), date_precision=DatePrecision.YEAR, rating="amber"
        )
        assert Priority.objects.with_current_rating().get(pk=priority.pk).current_rating == "amber"
        assert [u.rating for u in priority.updates.all()] == ["amber", "red"]

    def test_a_value_for_a_month_is_later_than_one_within_it(self):
        measure = MeasureFactory()
        MeasureValueFactory(measure=measure, period_end=dt.date(2024, 5, 20), value=D("60"))
        MeasureValueFactory(
            measure=measure, period_end=dt.date(2024, 5, 1), period_precision=DatePrecision.MONTH, value=D("70")
        )
        annotated = Measure.objects.with_latest_values().get(pk=measure.pk)
        assert (annotated.latest_value, annotated.previous_value) == (D("70"), D("60"))


class TestRecordValue:
    def test_it_records_an_attributed_value(self, user):
        measure = MeasureFactory(unit=Measure.Unit.PERCENTAGE)
        value = measure.record_value(by=user, period_end=dt.date(2022, 5, 1), precision="month", value=D("68"))
        assert (value.period_display, value.value_display, value.recorded_by, value.recorded_via) == (
            "May 2022",
            "68%",
            user,
            VIA_PAGE,
        )

    @pytest.mark.parametrize(
        ("unit", "value", "message"),
        [
            (Measure.Unit.PERCENTAGE, D("100.5"), "A percentage must be between 0 and 100."),
            (Measure.Unit.COUNT, D("2.5"), "A count must be a whole number."),
            (Measure.Unit.DAYS, D("-1"), "A value cannot be negative."),
            (Measure.Unit.DAYS, None, "Enter a value."),
        ],
    )
    def test_a_value_must_make_sense_in_its_unit(self, user, unit, value, message):
        measure = MeasureFactory(unit=unit, target=None, amber_tolerance=None)
        with pytest.raises(ValidationError, match=message):
            measure.record_value(by=user, period_end=DAY, value=value)
        assert not MeasureValue.objects.exists()

    def test_a_future_period_is_refused(self, user):
        with pytest.raises(ValidationError, match="The period cannot be in the future."):
            MeasureFactory().record_value(by=user, period_end=FUTURE, value=D("50"))

    def test_a_recorded_period_is_corrected_not_recorded_over(self, user):
        measure = MeasureFactory()
        measure.record_value(by=user, period_end=DAY, value=D("50"))
        with pytest.raises(ValidationError, match=r"A value for 30 June 2022 is already recorded \(50%\). Correct it"):
            measure.record_value(by=user, period_end=DAY, value=D("55"))
        assert list(measure.values.values_list("value", flat=True)) == [D("50")]


class TestCorrectValue:
    def test_it_corrects_and_keeps_the_earlier_value_and_the_reason(self, user):
        value = MeasureFactory().record_value(by=user, period_end=DAY, value=D("60"))
        corrector = UserFactory(first_name="Ceri", last_name="Corrector")
        value.correct(by=corrector, value=D("62"), reason="The return was resubmitted.", expected_version=1)

        value.refresh_from_db()
        assert (value.value, value.version) == (D("62"), 2)
        before, after = value.history.order_by("history_id")
        assert (before.value, after.value) == (D("60"), D("62"))
        assert (after.history_user, after.history_change_reason) == (corrector, "The return was resubmitted.")
        [entry, recorded] = value.measure.timeline()
        assert entry.what == "Value for 30 June 2022 corrected from 60% to 62%"
        assert (entry.who, entry.text) == ("Ceri Corrector", "The return was resubmitted.")
        assert recorded.what == "Value for 30 June 2022 recorded: 60%"

    def test_a_reason_is_required(self, user):
        value = MeasureValueFactory(value=D("60"))
        with pytest.raises(ValidationError, match="Say why the value is being corrected."):
            value.correct(by=user, value=D("61"), reason="")

    def test_the_same_value_is_refused(self, user):
        value = MeasureValueFactory(value=D("60"))
        with pytest.raises(ValidationError, match="The value is already 60%."):
            value.correct(by=user, value=D("60"), reason="Checked.")

    def test_the_unit_rules_apply(self, user):
        value = MeasureValueFactory(value=D("60"))
        with pytest.raises(ValidationError, match="A percentage must be between 0 and 100."):
            value.correct(by=user, value=D("160"), reason="Typo.")

    def test_a_stale_version_is_refused(self, user):
        value = MeasureValueFactory(value=D("60"))
        stale = MeasureValue.objects.get(pk=value.pk)
        value.correct(by=user, value=D("61"), reason="First.", expected_version=1)
        with pytest.raises(EditConflict, match="was changed by .* after you opened this page"):
            stale.correct(by=user, value=D("65"), reason="Second.", expected_version=1)
        value.refresh_from_db()
        assert value.value == D("61")


class TestSetTarget:
    def test_it_sets_the_target_and_keeps_the_earlier_one(self, user):
        measure = MeasureFactory(target=D("80"), amber_tolerance=D("5"))
        measure.set_target(
            by=user, target=D("85"), amber_tolerance=D("3"), target_date=dt.date(2023, 3, 31), reason="Stretch."
        )
        measure.refresh_from_db()
        assert (measure.target, measure.amber_tolerance, measure.target_date) == (
            D("85"),
            D("3"),
            dt.date(2023, 3, 31),
        )
        latest = measure.history.first()
        assert (latest.history_user, latest.history_change_reason) == (user, "Stretch.")
        assert measure.history.last().target == D("80")
        [entry] = measure.timeline()
        assert entry.what == "Target set to 85%, amber within 3%, to be reached by 31 March 2023 (was 80%)"

    def test_a_changed_target_needs_a_reason(self, user):
        with pytest.raises(ValidationError, match="Say why the target is changing."):
            MeasureFactory(target=D("80")).set_target(by=user, target=D("70"), reason="")

    def test_a_first_target_needs_no_reason(self, user):
        measure = MeasureFactory(target=None, amber_tolerance=None)
        measure.set_target(by=user, target=D("70"))
        measure.refresh_from_db()
        assert measure.target == D("70")

    def test_a_tolerance_needs_a_target(self, user):
        with pytest.raises(ValidationError, match="A tolerance needs a target."):
            MeasureFactory(target=None, amber_tolerance=None).set_target(by=user, target=None, amber_tolerance=D("2"))

    def test_a_percentage_target_is_at_most_100(self, user):
        with pytest.raises(ValidationError, match="A percentage must be between 0 and 100."):
            MeasureFactory().set_target(by=user, target=D("120"), reason="Typo.")

    def test_an_unchanged_target_is_refused(self, user):
        measure = MeasureFactory(target=D("80"), amber_tolerance=D("5"))
        with pytest.raises(ValidationError, match="The target, tolerance and date are unchanged."):
            measure.set_target(by=user, target=D("80"), amber_tolerance=D("5"), reason="Same.")


class TestFindingLinks:
    @pytest.mark.parametrize("factory", [PriorityFactory, ActionFactory, MeasureFactory])
    def test_linking_and_unlinking_are_recorded_with_who_and_why(self, user, factory):
        record = factory(**({"no_finding_reason": "Raised by the service."} if factory is ActionFactory else {}))
        finding = FindingFactory()
        record.link_findings([finding], by=user)
        assert list(record.findings.all()) == [finding]
        record.unlink_finding(finding, by=user, reason="It answers the 2022 letter instead.")

        assert not record.findings.exists()
        reasons = list(record.history.order_by("-history_id").values_list("history_change_reason", "history_user"))
        assert reasons[0] == (f"Unlinked from {finding}: It answers the 2022 letter instead.", user.pk)
        assert (f"Linked to {finding}", user.pk) in reasons

    def test_an_unlink_needs_a_reason(self, user):
        finding = FindingFactory()
        priority = PriorityFactory(findings=[finding])
        with pytest.raises(ValidationError, match="Say why this no longer answers the finding."):
            priority.unlink_finding(finding, by=user, reason="")
        assert priority.findings.count() == 1

    def test_a_finding_already_linked_is_not_linked_again(self, user):
        finding = FindingFactory()
        with pytest.raises(ValidationError, match="Choose at least one finding that is not already linked."):
            PriorityFactory(findings=[finding]).link_findings([finding], by=user)

    def test_an_unlinked_finding_cannot_be_unlinked(self, user):
        finding = FindingFactory()
        with pytest.raises(ValidationError, match="is not linked to"):
            PriorityFactory().unlink_finding(finding, by=user, reason="Wrong.")

    def test_an_action_keeps_its_last_finding_unless_it_says_why_it_answers_none(self, user):
        finding = FindingFactory()
        action = ActionFactory(findings=[finding], no_finding_reason="")
        with pytest.raises(ValidationError, match="This is the only finding the action answers."):
            action.unlink_finding(finding, by=user, reason="Wrong letter.")
        assert action.findings.count() == 1


class TestAppendOnly:
    @pytest.mark.parametrize(
        ("factory", "field"), [(ProgressUpdateFactory, "commentary"), (DueDateChangeFactory, "reason")]
    )
    def test_bulk_changes_are_refused(self, factory, field):
        row = factory()
        model = type(row)
        with pytest.raises(ValidationError, match="cannot be changed; they are part of the plan's history."):
            model.objects.filter(pk=row.pk).update(**{field: "Rewritten"})
        with pytest.raises(ValidationError, match="cannot be deleted; they are part of the plan's history."):
            model.objects.all().delete()
        row.refresh_from_db()
        assert getattr(row, field) != "Rewritten"
