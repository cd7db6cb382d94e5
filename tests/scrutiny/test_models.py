"""The scrutiny app's domain model: committees, meetings, scrutiny actions and recommendations."""

import datetime as dt

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from config import golden_thread
from inspections.models import DatePrecision
from scrutiny.models import (
    Committee,
    Meeting,
    Membership,
    Recommendation,
    ScrutinyAction,
    ScrutinyActionUpdate,
)
from tests.constraints import (
    assert_deserializes_onto_existing_rows,
    erase_history,
    errors_of,
    serialize,
    validation_messages,
    violates,
)
from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    CommitmentFactory,
    CommitteeFactory,
    DiscussionPointFactory,
    FindingFactory,
    ImprovementPlanFactory,
    MeasureFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    PriorityFactory,
    RecommendationFactory,
    ScrutinyActionFactory,
    ScrutinyActionUpdateFactory,
    ScrutinyFindingFactory,
    WitnessFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 10, 1)


# --- Committee, Membership ---------------------------------------------------------------


class TestCommittee:
    def test_the_name_is_unique(self):
        committee = CommitteeFactory()
        with violates(Committee, "name"):
            CommitteeFactory(name=committee.name)

    def test_a_committee_is_not_its_own_parent(self):
        committee = CommitteeFactory()
        committee.parent = committee
        with violates("committee_not_its_own_parent"):
            committee.save()

    def test_a_task_group_belongs_to_its_committee(self):
        committee = CommitteeFactory()
        group = CommitteeFactory(kind=Committee.Kind.TASK_GROUP, parent=committee)
        assert list(committee.subgroups.all()) == [group]

    def test_it_oversees_plans(self):
        plan = ImprovementPlanFactory()
        committee = CommitteeFactory()
        committee.plans.set([plan])
        assert list(plan.committees.all()) == [committee]


class TestMembership:
    def test_a_person_holds_a_role_once_per_committee(self):
        membership = MembershipFactory()
        with violates("membership_once_per_role"):
            MembershipFactory(committee=membership.committee, person=membership.person, role=membership.role)

    def test_a_person_may_hold_two_roles(self):
        membership = MembershipFactory(role=Membership.Role.MEMBER)
        MembershipFactory(committee=membership.committee, person=membership.person, role=Membership.Role.CHAIR)
        assert list(membership.committee.members.all()) == [membership.person, membership.person]

    def test_a_membership_cannot_end_before_it_starts(self):
        with violates("membership_dates_in_order"):
            MembershipFactory(start=dt.date(2022, 5, 1), end=dt.date(2022, 4, 30))

    def test_full_clean_gives_the_dates_message(self):
        membership = MembershipFactory.build(
            committee=CommitteeFactory(), person=PersonFactory(), start=dt.date(2022, 5, 1), end=dt.date(2022, 4, 30)
        )
        with pytest.raises(ValidationError, match="A membership cannot end before it starts") as info:
            membership.full_clean()
        assert "A membership cannot end before it starts." in validation_messages(info.value)


# --- Meeting, Attendance, Witness, AgendaItem, DiscussionPoint ----------------------------


class TestMeeting:
    def test_a_committee_meets_once_a_day_per_title(self):
        meeting = MeetingFactory()
        with violates("meeting_unique"):
            MeetingFactory(committee=meeting.committee, date=meeting.date, title=meeting.title)

    def test_two_sessions_with_different_titles_may_share_a_day(self):
        meeting = MeetingFactory(title="")
        MeetingFactory(committee=meeting.committee, date=meeting.date, title="Visit to the MASH")
        same_day = Meeting.objects.filter(committee=meeting.committee, date=meeting.date)
        assert sorted(same_day.values_list("title", flat=True)) == ["", "Visit to the MASH"]

    def test_a_meeting_cannot_end_before_it_starts(self):
        with violates("meeting_ends_after_start"):
            MeetingFactory(start_time=dt.time(14, 0), end_time=dt.time(13, 0))

    def test_a_meeting_cannot_end_as_it_starts(self):
        with violates("meeting_ends_after_start"):
            MeetingFactory(start_time=dt.time(14, 0), end_time=dt.time(14, 0))

    def test_times_may_be_unknown(self):
        meetings = [
            MeetingFactory(start_time=dt.time(14, 0), end_time=None),
            MeetingFactory(start_time=None, end_time=dt.time(14, 0)),
        ]
        assert [errors_of(meeting.full_clean) for meeting in meetings] == [{}, {}]
        stored = Meeting.objects.filter(pk__in=[meeting.pk for meeting in meetings]).order_by("pk")
        assert list(stored.values_list("start_time", "end_time")) == [(dt.time(14, 0), None), (None, dt.time(14, 0))]

    def test_full_clean_gives_the_times_message(self):
        meeting = MeetingFactory.build(committee=CommitteeFactory(), start_time=dt.time(14, 0), end_time=dt.time(10, 0))
        with pytest.raises(ValidationError, match="A meeting must end after it starts") as info:
            meeting.full_clean()
        assert "A meeting must end after it starts." in validation_messages(info.value)

    def test_upcoming_includes_today_soonest_first(self):
        committee = CommitteeFactory()
        later = MeetingFactory(committee=committee, date=TODAY + dt.timedelta(days=30))
        today = MeetingFactory(committee=committee, date=TODAY)
        MeetingFactory(committee=committee, date=TODAY - dt.timedelta(days=1))
        assert list(Meeting.objects.filter(committee=committee).upcoming(today=TODAY)) == [today, later]

    def test_past_excludes_today_latest_first(self):
        committee = CommitteeFactory()
        earlier = MeetingFactory(committee=committee, date=TODAY - dt.timedelta(days=60))
        yesterday = MeetingFactory(committee=committee, date=TODAY - dt.timedelta(days=1))
        MeetingFactory(committee=committee, date=TODAY)
        assert list(Meeting.objects.filter(committee=committee).past(today=TODAY)) == [yesterday, earlier]

    def test_upcoming_and_past_default_to_today(self):
        committee = CommitteeFactory()
        today = timezone.localdate()
        tomorrow = MeetingFactory(committee=committee, date=today + dt.timedelta(days=1))
        yesterday = MeetingFactory(committee=committee, date=today - dt.timedelta(days=1))
        meetings = Meeting.objects.filter(committee=committee)
        assert list(meetings.upcoming()) == [tomorrow]
        assert list(meetings.past()) == [yesterday]

    def test_str(self):
        committee = CommitteeFactory.build(name="Children's Scrutiny Committee")
        meeting = MeetingFactory.build(committee=committee, date=dt.date(2013, 7, 24), title="")
        assert str(meeting) == "Children's Scrutiny Committee, 24 July 2013"
        meeting.title = "Visit"
        assert str(meeting) == "Children's Scrutiny Committee, 24 July 2013: Visit"


class TestAttendanceAndWitness:
    def test_a_person_attends_a_meeting_once(self):
        attendance = AttendanceFactory()
        with violates("attendance_once"):
            AttendanceFactory(meeting=attendance.meeting, person=attendance.person, capacity="officer")

    def test_a_witness_number_is_used_once_per_committee(self):
        witness = WitnessFactory()
        with violates("witness_unique_number"):
            WitnessFactory(committee=witness.committee, number=witness.number)

    def test_a_witness_may_be_a_group_without_a_person(self):
        witness = WitnessFactory(name_as_written="12 Staff", person=None)
        assert str(witness) == "12 Staff"


class TestAgendaItemAndDiscussionPoint:
    def test_an_agenda_item_number_is_used_once_per_meeting(self):
        item = AgendaItemFactory()
        with violates("agenda_item_unique_number"):
            AgendaItemFactory(meeting=item.meeting, number=item.number)

    def test_agenda_items_are_numbered_from_one(self):
        with violates("agenda_item_number_positive"):
            AgendaItemFactory(number=0)

    def test_a_discussion_point_number_is_used_once_per_meeting(self):
        point = DiscussionPointFactory()
        with violates("discussion_point_unique_number"):
            DiscussionPointFactory(meeting=point.meeting, number=point.number)

    def test_a_discussion_point_links_findings_and_measures(self):
        finding, measure = FindingFactory(), MeasureFactory()
        point = DiscussionPointFactory(findings=[finding], measures=[measure])
        assert list(finding.discussion_points.all()) == [point]
        assert list(measure.discussion_points.all()) == [point]


# --- ScrutinyAction, ScrutinyActionUpdate -------------------------------------------------


class TestScrutinyAction:
    def test_a_number_is_used_once_per_meeting(self):
        action = ScrutinyActionFactory()
        with violates("scrutiny_action_unique_number"):
            ScrutinyActionFactory(meeting=action.meeting, number=action.number)

    def test_actions_are_numbered_from_one(self):
        with violates("scrutiny_action_number_positive"):
            ScrutinyActionFactory(number=0)

    def test_clean_rejects_a_due_date_before_the_meeting(self):
        meeting = MeetingFactory(date=TODAY)
        action = ScrutinyActionFactory.build(meeting=meeting, due_date=TODAY - dt.timedelta(days=1))
        with pytest.raises(ValidationError, match="An action cannot be due before the meeting that raised it") as info:
            action.full_clean()
        assert info.value.message_dict["due_date"] == ["An action cannot be due before the meeting that raised it."]

    def test_clean_accepts_a_due_date_on_the_meeting_day(self):
        meeting = MeetingFactory(date=TODAY)
        assert errors_of(ScrutinyActionFactory.build(meeting=meeting, due_date=TODAY).full_clean) == {}

    def test_owner_display(self):
        owner = PersonFactory.build(name="Sam Jones", title="Councillor")
        assert ScrutinyActionFactory.build(owner=owner).owner_display == "Councillor Sam Jones"
        assert (
            ScrutinyActionFactory.build(owner=None, owner_role="Scrutiny Officer").owner_display == "Scrutiny Officer"
        )

    def test_it_links_findings_priorities_and_measures(self):
        finding, priority, measure = FindingFactory(), PriorityFactory(), MeasureFactory()
        action = ScrutinyActionFactory(findings=[finding], priorities=[priority], measures=[measure])
        assert list(finding.scrutiny_actions.all()) == [action]
        assert list(priority.scrutiny_actions.all()) == [action]
        assert list(measure.scrutiny_actions.all()) == [action]


class TestScrutinyActionQueries:
    @pytest.fixture
    def actions(self):
        meeting = MeetingFactory(date=dt.date(2022, 6, 1))
        status = ScrutinyAction.Status

        def action(action_status, due_date):
            return ScrutinyActionFactory(meeting=meeting, status=action_status, due_date=due_date)

        return {
            "open_past_due": action(status.OPEN, dt.date(2022, 9, 30)),
            "in_progress_past_due": action(status.IN_PROGRESS, dt.date(2022, 7, 1)),
            "complete_past_due": action(status.COMPLETE, dt.date(2022, 9, 30)),
            "cancelled_past_due": action(status.CANCELLED, dt.date(2022, 9, 30)),
            "due_today": action(status.OPEN, TODAY),
            "due_later": action(status.OPEN, dt.date(2022, 12, 1)),
            "no_due_date": action(status.OPEN, None),
        }

    def test_overdue_lists_open_actions_past_their_due_date(self, actions):
        overdue = ScrutinyAction.objects.overdue(today=TODAY)
        assert {a.pk for a in overdue} == {actions["open_past_due"].pk, actions["in_progress_past_due"].pk}

    def test_open_lists_open_and_in_progress(self, actions):
        assert {a.pk for a in ScrutinyAction.objects.open()} == {
            actions[name].pk
            for name in ("open_past_due", "in_progress_past_due", "due_today", "due_later", "no_due_date")
        }

    def test_overdue_defaults_to_today(self):
        today = timezone.localdate()
        meeting = MeetingFactory(date=today - dt.timedelta(days=10))
        late = ScrutinyActionFactory(meeting=meeting, due_date=today - dt.timedelta(days=1))
        ScrutinyActionFactory(meeting=meeting, due_date=today)
        assert list(ScrutinyAction.objects.overdue()) == [late]


class TestScrutinyActionUpdate:
    def test_saving_an_update_again_is_refused(self):
        update = ScrutinyActionUpdateFactory(commentary="Requested.")
        update.commentary = "Rewritten."
        with pytest.raises(ValidationError, match="cannot be changed"):
            update.save()
        assert ScrutinyActionUpdate.objects.get(pk=update.pk).commentary == "Requested."

    def test_deleting_an_update_is_refused(self):
        update = ScrutinyActionUpdateFactory()
        with pytest.raises(ValidationError, match="cannot be deleted"):
            update.delete()
        assert ScrutinyActionUpdate.objects.filter(pk=update.pk).exists()

    def test_an_action_with_history_cannot_be_deleted(self):
        update = ScrutinyActionUpdateFactory()
        with (
            pytest.raises(
                ProtectedError,
                match="protected foreign keys: 'ScrutinyActionUpdate.action'",
            ),
            transaction.atomic(),
        ):
            update.action.delete()
        assert ScrutinyActionUpdate.objects.filter(pk=update.pk).exists()

    def test_the_key_is_unique(self):
        update = ScrutinyActionUpdateFactory()
        with violates(ScrutinyActionUpdate, "key"):
            ScrutinyActionUpdateFactory(key=update.key)

    def test_updates_are_latest_first(self):
        action = ScrutinyActionFactory()
        first = ScrutinyActionUpdateFactory(action=action, date=dt.date(2022, 7, 1))
        second = ScrutinyActionUpdateFactory(action=action, date=dt.date(2022, 8, 1))
        same_day = ScrutinyActionUpdateFactory(action=action, date=dt.date(2022, 8, 1))
        assert list(action.updates.all()) == [same_day, second, first]


# --- Recommendation ----------------------------------------------------------------------


class TestRecommendation:
    def test_a_number_is_used_once_per_committee_and_date(self):
        recommendation = RecommendationFactory()
        with violates("recommendation_unique_number"):
            RecommendationFactory(
                committee=recommendation.committee, made_on=recommendation.made_on, number=recommendation.number
            )

    def test_recommendations_are_numbered_from_one(self):
        with violates("recommendation_number_positive"):
            RecommendationFactory(number=0)

    def test_made_on_display_respects_precision(self):
        recommendation = RecommendationFactory.build(made_on=dt.date(2014, 3, 1), made_on_precision=DatePrecision.MONTH)
        assert recommendation.made_on_display == "March 2014"

    def test_a_new_recommendation_has_no_status_until_one_is_recorded(self):
        recommendation = RecommendationFactory()
        assert (recommendation.status, recommendation.get_status_display()) == ("", "")
        recommendation.full_clean()
        recommendation.status = Recommendation.Status.ACCEPTED
        recommendation.full_clean()


# --- ScrutinyFinding, Commitment ---------------------------------------------------------


class TestScrutinyFinding:
    def test_a_number_is_used_once_per_report(self):
        finding = ScrutinyFindingFactory()
        with violates("scrutiny_finding_unique_number"):
            ScrutinyFindingFactory(source=finding.source, number=finding.number)

    def test_another_report_may_use_the_same_number(self):
        finding = ScrutinyFindingFactory(number=1)
        assert ScrutinyFindingFactory(number=1).number == finding.number

    def test_findings_are_numbered_from_one(self):
        with violates("scrutiny_finding_number_positive"):
            ScrutinyFindingFactory(number=0)

    def test_it_links_the_ofsted_findings_its_section_quotes(self):
        ofsted = FindingFactory()
        finding = ScrutinyFindingFactory(findings=[ofsted])
        assert list(ofsted.scrutiny_findings.all()) == [finding]
        assert not golden_thread.answers(ofsted)["recommendations"].exists()  # a finding is not an answer


class TestCommitment:
    def test_a_number_is_used_once_per_report(self):
        commitment = CommitmentFactory()
        with violates("commitment_unique_number"):
            CommitmentFactory(source=commitment.source, number=commitment.number)

    def test_commitments_are_numbered_from_one(self):
        with violates("commitment_number_positive"):
            CommitmentFactory(number=0)

    def test_a_worded_date_needs_the_date(self):
        with violates("commitment_wording_needs_date"):
            CommitmentFactory(due_on=None)

    def test_full_clean_gives_the_wording_message(self):
        commitment = CommitmentFactory.build(
            committee=CommitteeFactory(), source=CommitmentFactory().source, number=9, due_on=None
        )
        with pytest.raises(ValidationError) as info:
            commitment.full_clean()
        assert "A commitment worded with a date needs that date." in validation_messages(info.value)

    def test_its_date_reads_as_the_record_words_it(self):
        assert CommitmentFactory.build().due_display == "at the end of March 2014"
        unworded = CommitmentFactory.build(due_wording="", due_on=dt.date(2013, 9, 1))
        assert unworded.due_display == "September 2013"
        assert CommitmentFactory.build(due_wording="", due_on=None).due_display == ""

    def test_its_owner_is_a_person_or_a_role(self):
        person = PersonFactory(name="David Taylor")
        assert CommitmentFactory(owner=person).owner_display == "David Taylor"
        assert CommitmentFactory.build(owner_role="DSCB").owner_display == "DSCB"


class TestMembershipStart:
    def test_a_start_known_to_the_month_reads_as_the_month(self):
        membership = MembershipFactory.build(start=dt.date(2013, 8, 1), start_precision=DatePrecision.MONTH)
        assert membership.start_display == "August 2013"


# --- Natural keys ------------------------------------------------------------------------


class TestNaturalKeys:
    def test_a_meetings_key_has_its_date_as_text(self):
        meeting = MeetingFactory(committee=CommitteeFactory(name="CSOG"), date=dt.date(2013, 7, 24), title="")
        assert meeting.natural_key() == ("CSOG", "2013-07-24", "")
        action = ScrutinyActionFactory(meeting=meeting, number=4)
        assert action.natural_key() == ("CSOG", "2013-07-24", "", 4)
        assert ScrutinyAction.objects.get_by_natural_key("CSOG", "2013-07-24", "", 4) == action


def scrutiny_record():
    """A task group's meeting with its members, items, actions, updates and recommendations."""
    finding, priority, measure = FindingFactory(), PriorityFactory(), MeasureFactory()
    person = PersonFactory()
    committee = CommitteeFactory()
    task_group = CommitteeFactory(kind=Committee.Kind.TASK_GROUP, parent=committee)
    membership = MembershipFactory(committee=task_group, person=person, role=Membership.Role.CHAIR)
    meeting = MeetingFactory(committee=task_group)
    attendance = AttendanceFactory(meeting=meeting, person=person)
    witness = WitnessFactory(committee=task_group, person=person)
    item = AgendaItemFactory(meeting=meeting)
    point = DiscussionPointFactory(meeting=meeting, agenda_item=item, findings=[finding], measures=[measure])
    action = ScrutinyActionFactory(
        meeting=meeting, agenda_item=item, owner=person, findings=[finding], priorities=[priority]
    )
    update = ScrutinyActionUpdateFactory(action=action, author=person)
    recommendation = RecommendationFactory(committee=task_group, meeting=meeting, findings=[finding])
    return [
        committee,
        task_group,
        membership,
        meeting,
        attendance,
        witness,
        item,
        point,
        action,
        update,
        recommendation,
    ]


class TestSerialization:
    def test_deserializing_maps_onto_the_existing_rows(self):
        assert_deserializes_onto_existing_rows(scrutiny_record())

    def test_a_record_reloads_into_an_emptied_database(self):
        record = scrutiny_record()
        data = serialize(record)
        keys = [(type(obj), obj.natural_key()) for obj in record]
        committee, task_group, *_rest, action, _update, recommendation = record
        recommendation.delete()
        erase_history(ScrutinyActionUpdate)
        action.delete()
        task_group.meetings.all().delete()
        task_group.delete()
        committee.delete()
        assert not Meeting.objects.filter(committee__name=task_group.name).exists()

        for deserialized in serializers.deserialize("json", data):
            deserialized.save()

        for model, key in keys:
            assert model.objects.get_by_natural_key(*key)
        reloaded = ScrutinyAction.objects.get_by_natural_key(*action.natural_key())
        assert reloaded.meeting.committee.parent.name == committee.name
        assert reloaded.findings.count() == 1
        assert reloaded.priorities.count() == 1
        assert reloaded.updates.count() == 1
        assert reloaded.agenda_item.discussion_points.get().measures.count() == 1
