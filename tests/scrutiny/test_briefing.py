"""The briefing pack as a query over events, on factory-built history: each kind of change is in
the pack of the meeting whose window holds its date (after the committee's previous meeting, up
to and including the meeting's day), and in no other."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from improvement.models import Action, Rating
from inspections.models import DatePrecision
from scrutiny.briefing import PART_ITEMS, PART_PAGE_ITEMS, briefing_pack_for, pack_part, pack_window
from scrutiny.models import Recommendation, ScrutinyAction
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    CommitteeFactory,
    DueDateChangeFactory,
    FindingFactory,
    FindingFollowUpFactory,
    MeasureFactory,
    MeasureValueFactory,
    MeetingFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    ScrutinyActionFactory,
    ScrutinyActionUpdateFactory,
    SourceDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The committee's meetings: M0 has no previous meeting; each later one's window runs from the
# day after the one before to its own day.
M0, M1, M2, M3 = dt.date(2022, 2, 1), dt.date(2022, 3, 1), dt.date(2022, 4, 1), dt.date(2022, 5, 3)
DAY = dt.timedelta(days=1)
EARLY = dt.date(2021, 6, 1)


@pytest.fixture
def committee():
    return CommitteeFactory()


@pytest.fixture
def meetings(committee):
    # The record begins before any of them: a value from 2021, so every window but M0's counts.
    MeasureValueFactory(period_end=EARLY)
    return [MeetingFactory(committee=committee, date=day) for day in (M0, M1, M2, M3)]


def keys(pack):
    return {
        item["key"]: part["slug"] for section in pack["sections"] for part in section["parts"] for item in part["items"]
    }


def packs_holding(key, meetings):
    """{meeting's date: the part of its pack that lists the key}, for every pack that does."""
    found = {}
    for meeting in meetings:
        part = keys(briefing_pack_for(meeting)).get(key)
        if part:
            found[meeting.date] = part
    return found


def at_noon(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


# Each maker records one event of its kind, dated `day`, and returns its key in the pack.


def rating(committee, day):
    update = ProgressUpdateFactory(priority=PriorityFactory(), action=None, date=day, rating=Rating.RED)
    return f"rating:{update.key}"


def completion(committee, day):
    action = ActionFactory(start_date=EARLY)
    update = ProgressUpdateFactory(
        action=action, date=day, rating=None, status=Action.Status.COMPLETE, completed_on=day, commentary="Done."
    )
    return f"completed:{update.key}"


def due_date_move(committee, day):
    change = DueDateChangeFactory(recorded_at=at_noon(day))
    return f"rebaselined:{change.key}"


def measure_value(committee, day):
    value = MeasureValueFactory(period_end=day)
    return f"value:{value.pk}"


def _group_meeting(committee, day):
    """A meeting of the committee's standing overview group: what it raises is the committee's too."""
    return MeetingFactory(committee=CommitteeFactory(parent=committee), date=day)


def scrutiny_action_raised(committee, day):
    action = ScrutinyActionFactory(meeting=_group_meeting(committee, day))
    return f"raised:{action.pk}"


def scrutiny_action_due(committee, day):
    action = ScrutinyActionFactory(meeting=_group_meeting(committee, EARLY), due_date=day)
    return f"due:{action.pk}:{day.isoformat()}"


def scrutiny_action_done(committee, day):
    action = ScrutinyActionFactory(meeting=_group_meeting(committee, EARLY))
    update = ScrutinyActionUpdateFactory(action=action, date=day, status=ScrutinyAction.Status.COMPLETE)
    return f"done:{update.key}"


def recommendation(committee, day):
    made = RecommendationFactory(committee=committee, made_on=day, made_on_precision=DatePrecision.DAY)
    return f"recommendation:{made.pk}"


def later_finding(committee, day):
    follow_up = FindingFollowUpFactory(
        earlier__inspection__visit_start=EARLY - 400 * DAY,
        finding__inspection__visit_start=day - 40 * DAY,
        finding__inspection__letter_date=day,
    )
    return f"follow-up:{follow_up.pk}"


ON_ITS_DAY = {M1: M1, M1 + DAY: M2, M2: M2, M2 + DAY: M3}


@pytest.mark.parametrize(
    ("make", "part"),
    [
        (rating, "ratings"),
        (completion, "actions-completed"),
        (due_date_move, "actions-rebaselined"),
        (measure_value, "measure-values"),
        (scrutiny_action_raised, "scrutiny-raised"),
        (scrutiny_action_due, "scrutiny-due"),
        (scrutiny_action_done, "scrutiny-done"),
        (recommendation, "recommendations"),
        (later_finding, "findings-revisited"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_each_change_is_in_the_pack_of_the_meeting_whose_window_holds_its_day(committee, meetings, make, part):
    for day, meeting_day in ON_ITS_DAY.items():
        key = make(committee, day)
        assert packs_holding(key, meetings) == {meeting_day: part}, f"made on {day}"


def test_an_action_is_newly_overdue_at_the_first_meeting_after_its_due_day(meetings):
    # Due on a meeting's day, it is not yet overdue at that meeting: it becomes overdue the day after.
    becomes_overdue_at = {M1: M2, M2 - DAY: M2, M2: M3, M2 + DAY: M3}
    for due, meeting_day in becomes_overdue_at.items():
        action = ActionFactory(start_date=EARLY, due_date=due, status=Action.Status.IN_PROGRESS)
        assert packs_holding(f"overdue:{action.pk}:{due.isoformat()}", meetings) == {meeting_day: "actions-overdue"}


def test_an_action_completed_before_the_meeting_is_not_overdue_at_it(meetings):
    action = ActionFactory(start_date=EARLY, due_date=M1 + DAY, status=Action.Status.NOT_STARTED)
    ProgressUpdateFactory(
        action=action, date=M2 - DAY, rating=None, status=Action.Status.COMPLETE, completed_on=M2 - DAY
    )
    assert packs_holding(f"overdue:{action.pk}:{(M1 + DAY).isoformat()}", meetings) == {}


def test_an_action_still_open_at_the_meeting_is_overdue_even_if_completed_since(meetings):
    action = ActionFactory(start_date=EARLY, due_date=M1 + DAY, status=Action.Status.NOT_STARTED)
    ProgressUpdateFactory(
        action=action, date=M3 - DAY, rating=None, status=Action.Status.COMPLETE, completed_on=M3 - DAY
    )
    assert packs_holding(f"overdue:{action.pk}:{(M1 + DAY).isoformat()}", meetings) == {M2: "actions-overdue"}


def test_a_due_date_moved_at_midnight_belongs_to_the_next_day(meetings):
    last_moment = timezone.make_aware(dt.datetime.combine(M2, dt.time(23, 59, 59)))
    midnight = timezone.make_aware(dt.datetime.combine(M2 + DAY, dt.time(0, 0)))
    before, after = DueDateChangeFactory(recorded_at=last_moment), DueDateChangeFactory(recorded_at=midnight)

    assert packs_holding(f"rebaselined:{before.key}", meetings) == {M2: "actions-rebaselined"}
    assert packs_holding(f"rebaselined:{after.key}", meetings) == {M3: "actions-rebaselined"}


def test_a_date_known_to_the_month_counts_at_the_end_of_its_month(committee, meetings):
    # "March 2022" is over only on 31 March: after M1 (1 March), so in M2's pack.
    made = RecommendationFactory(committee=committee, made_on=dt.date(2022, 3, 1), made_on_precision="month")
    rated = ProgressUpdateFactory(
        priority=PriorityFactory(), action=None, date=dt.date(2022, 3, 1), date_precision="month"
    )

    assert packs_holding(f"recommendation:{made.pk}", meetings) == {M2: "recommendations"}
    assert packs_holding(f"rating:{rated.key}", meetings) == {M2: "ratings"}


def test_scrutiny_belongs_to_the_committee_and_its_groups_only(committee, meetings):
    elsewhere = MeetingFactory(committee=CommitteeFactory(), date=M2)
    theirs = ScrutinyActionFactory(meeting=elsewhere)
    their_recommendation = RecommendationFactory(committee=elsewhere.committee, made_on=M2, made_on_precision="day")

    MeetingFactory(committee=elsewhere.committee, date=M1)

    assert packs_holding(f"raised:{theirs.pk}", meetings) == {}
    assert packs_holding(f"recommendation:{their_recommendation.pk}", meetings) == {}
    assert packs_holding(f"raised:{theirs.pk}", [elsewhere]) == {M2: "scrutiny-raised"}
    assert packs_holding(f"recommendation:{their_recommendation.pk}", [elsewhere]) == {M2: "recommendations"}


def test_a_response_to_an_earlier_recommendation_is_in_the_pack_of_the_day_it_was_recorded(committee, meetings):
    made = RecommendationFactory.build(committee=committee, made_on=EARLY, made_on_precision="day")
    made._history_date = at_noon(EARLY)
    made.save()
    made.response = "Accepted: quarterly reports from June."
    made.status = Recommendation.Status.ACCEPTED
    made._history_date = at_noon(M2)
    made.save()

    history_id = made.history.latest().history_id
    assert packs_holding(f"response:{history_id}", meetings) == {M2: "recommendations"}
    item = next(
        item
        for section in briefing_pack_for(meetings[2])["sections"]
        for part in section["parts"]
        for item in part["items"]
        if item["key"] == f"response:{history_id}"
    )
    assert item["details"] == [["Response", "Accepted: quarterly reports from June."], ["Status", "Accepted"]]


class TestTheWindow:
    def test_without_a_previous_meeting_the_pack_says_so_and_lists_no_changes(self, meetings):
        rating(None, M0)

        pack = briefing_pack_for(meetings[0])

        assert pack["window"] == {"previous": None, "comparable": False, "history_begins": ""}
        assert pack["sections"] == []

    def test_a_previous_meeting_before_the_record_begins_lists_no_changes(self, committee):
        long_ago = MeetingFactory(committee=committee, date=dt.date(2010, 5, 4))
        meeting = MeetingFactory(committee=committee, date=M2)
        rating(committee, M1)

        pack = briefing_pack_for(meeting)

        assert pack["window"]["previous"]["url"] == long_ago.get_absolute_url()
        assert pack["window"]["comparable"] is False
        assert pack["window"]["history_begins"] == "1 March 2022"
        assert pack["sections"] == []

    def test_the_previous_meeting_is_the_same_committees(self, committee, meetings):
        MeetingFactory(committee=CommitteeFactory(), date=M2 - DAY)

        assert pack_window(meetings[2]).previous == meetings[1]


class TestWhatAnItemSays:
    def test_a_rating_says_what_it_changed_from_who_gave_it_and_what_it_answers(self, meetings):
        finding = FindingFactory()
        priority = PriorityFactory(findings=[finding])
        officer = UserFactory(first_name="Olivia", last_name="Officer")
        ProgressUpdateFactory(priority=priority, action=None, date=M1, rating=Rating.AMBER)
        ProgressUpdateFactory(
            priority=priority,
            action=None,
            date=M2,
            rating=Rating.RED,
            commentary="Caseloads rose.",
            recorded_by=officer,
        )

        (item,) = _part(meetings[2], "ratings")

        assert item["subject"] == str(priority)
        assert item["url"] == priority.get_absolute_url()
        assert (item["rating"], item["headline"], item["text"]) == (
            "red",
            "Changed from Amber to Red",
            "Caseloads rose.",
        )
        assert item["who"] == {"name": "Olivia Officer", "public": False}
        assert [f["url"] for f in item["findings"]] == [finding.get_absolute_url()]

    def test_a_rating_transcribed_from_a_public_paper_names_its_author_in_public(self, meetings):
        ProgressUpdateFactory(
            priority=PriorityFactory(),
            action=None,
            date=M2,
            author=PersonFactory(name="Lisa Bursill"),
            source=SourceDocumentFactory(),
        )

        (item,) = _part(meetings[2], "ratings")

        assert item["who"] == {"name": "Lisa Bursill", "public": True}

    def test_a_value_gives_its_direction_of_travel_and_why_it_is_rated_so(self, meetings):
        finding = FindingFactory()
        measure = MeasureFactory(priority=PriorityFactory(findings=[finding]))  # target 80, amber within 5
        MeasureValueFactory(measure=measure, period_end=M1, value=D("70"))
        MeasureValueFactory(measure=measure, period_end=M2, value=D("77"))

        (item,) = _part(meetings[2], "measure-values")

        assert (item["rating"], item["headline"], item["date"]) == ("amber", "77%", "1 April 2022")
        assert item["details"] == [
            ["Direction of travel", "Improving, from 70%"],
            [
                "Rating",
                "Misses the target of 80% by 3 percentage points, within the amber tolerance of 5 percentage points.",
            ],
        ]
        assert [f["url"] for f in item["findings"]] == [finding.get_absolute_url()]

    def test_a_re_baselined_action_gives_the_old_and_new_dates_and_the_reason(self, meetings):
        DueDateChangeFactory(
            recorded_at=at_noon(M2),
            previous_due_date=dt.date(2022, 6, 30),
            due_date=dt.date(2022, 9, 30),
            reason="The recruitment campaign starts later.",
        )

        (item,) = _part(meetings[2], "actions-rebaselined")

        assert item["headline"] == "Due date moved from 30 June 2022 to 30 September 2022"
        assert item["text"] == "The recruitment campaign starts later."

    def test_an_action_that_answers_no_finding_says_why(self, meetings):
        action = ActionFactory(start_date=EARLY, no_finding_reason="Raised by scrutiny.")
        ProgressUpdateFactory(action=action, date=M2)

        (item,) = _part(meetings[2], "ratings")

        assert (item["findings"], item["no_finding_reason"]) == ([], "Raised by scrutiny.")

    @pytest.mark.parametrize(
        ("named", "minuted", "public"),
        [(True, True, True), (True, False, False), (False, False, True)],
        ids=["owner named in the minutes", "owner added in the tracker", "owner is a role"],
    )
    def test_a_scrutiny_action_names_its_owner_in_public_only_as_the_minutes_do(
        self, committee, meetings, named, minuted, public
    ):
        meeting = MeetingFactory(
            committee=CommitteeFactory(parent=committee), date=M2, record=SourceDocumentFactory() if minuted else None
        )
        owner = PersonFactory(name="Charlie Fisher") if named else None
        ScrutinyActionFactory(meeting=meeting, owner=owner, owner_role="Scrutiny Officer")

        (item,) = _part(meetings[2], "scrutiny-raised")

        assert item["who"] == {"name": "Charlie Fisher" if named else "Scrutiny Officer", "public": public}

    def test_a_scrutiny_action_due_gives_its_status_at_the_meeting(self, committee, meetings):
        action = ScrutinyActionFactory(meeting=_group_meeting(committee, EARLY), due_date=M2 - DAY)
        ScrutinyActionUpdateFactory(action=action, date=M2 - 2 * DAY, status=ScrutinyAction.Status.IN_PROGRESS)
        ScrutinyActionUpdateFactory(action=action, date=M3, status=ScrutinyAction.Status.COMPLETE)

        (item,) = _part(meetings[2], "scrutiny-due")

        assert item["headline"] == "Due 31 March 2022: in progress"

    def test_a_later_finding_is_traced_to_the_finding_it_revisits(self, meetings):
        follow_up = FindingFollowUpFactory(
            earlier__inspection__visit_start=dt.date(2021, 5, 1),
            finding__inspection__visit_start=dt.date(2022, 2, 2),
            finding__inspection__letter_date=M2,
            progress="",
            evaluation="This practice continues.",
        )

        (item,) = _part(meetings[2], "findings-revisited")

        assert item["url"] == follow_up.finding.get_absolute_url()
        assert item["trace_label"] == "Revisits"
        assert [f["url"] for f in item["findings"]] == [follow_up.earlier.get_absolute_url()]
        assert item["details"] == [["Progress", "Not stated by the letter"], ["Evaluation", "This practice continues."]]


def _part(meeting, slug):
    pack = briefing_pack_for(meeting)
    return next(part["items"] for section in pack["sections"] for part in section["parts"] if part["slug"] == slug)


def test_the_agenda_says_what_each_item_considers(meetings):
    follow_up = FindingFollowUpFactory(
        earlier__inspection__visit_start=dt.date(2021, 5, 1), finding__inspection__visit_start=dt.date(2022, 2, 2)
    )
    inspection = follow_up.finding.inspection
    AgendaItemFactory(meeting=meetings[2], number=1, title="Apologies")
    AgendaItemFactory(
        meeting=meetings[2],
        number=2,
        title="Ofsted Monitoring Visit Letter",
        inspection=inspection,
        document=SourceDocumentFactory(title="The letter", location="https://files.ofsted.gov.uk/letter.pdf"),
    )

    apologies, letter = briefing_pack_for(meetings[2])["agenda"]

    assert (apologies["title"], apologies["considers"], apologies["findings_revisited"]) == ("Apologies", [], [])
    assert letter["considers"] == [
        {"what": "Inspection", "label": inspection.title, "url": inspection.get_absolute_url()},
        {
            "what": "Document",
            "label": "The letter (9 March 2022)",
            "url": "",
            "location": "https://files.ofsted.gov.uk/letter.pdf",
        },
    ]
    assert [item["url"] for item in letter["findings_revisited"]] == [follow_up.finding.get_absolute_url()]


def _history(committee, meetings, length):
    """`length` events of every kind, all before the meeting's window, and one of each in it."""
    days = [EARLY + DAY * n for n in range(length)]
    for maker in (
        rating,
        completion,
        due_date_move,
        measure_value,
        scrutiny_action_raised,
        scrutiny_action_due,
        scrutiny_action_done,
        recommendation,
        later_finding,
    ):
        for day in [*days, M2]:
            maker(committee, day)
        ActionFactory(start_date=EARLY, due_date=M2 - DAY, status=Action.Status.IN_PROGRESS)


def test_the_pack_runs_a_fixed_number_of_queries_however_long_the_history(committee, meetings):
    def queries():
        meeting = type(meetings[2]).objects.select_related("committee").get(pk=meetings[2].pk)
        with CaptureQueriesContext(connection) as captured:
            pack = briefing_pack_for(meeting)
        return len(captured), sum(len(part["items"]) for section in pack["sections"] for part in section["parts"])

    _history(committee, meetings, 1)
    short, listed = queries()
    _history(committee, meetings, 12)
    long, listed_after = queries()

    assert listed_after > listed  # more in the window too, so per-item queries would show
    assert long == short
    # The window (2); every part's count (1); each part's first items (9), but the
    # recommendations', worked out in Python (3: made, their findings, the history); the findings
    # the items answer, one query per kind of record (4: priorities, actions, measures, scrutiny
    # actions); the agenda (1).
    assert short == 20


def test_a_busy_part_lists_its_first_items_and_says_how_many_there_are(committee, meetings):
    days = [M1 + DAY * n for n in range(1, 28)]
    made = [rating(committee, day) for day in days]
    rating(committee, M1)  # the previous meeting's day: its pack's, not this one's

    pack = briefing_pack_for(meetings[2])

    part = next(part for section in pack["sections"] for part in section["parts"] if part["slug"] == "ratings")
    assert part["total"] == len(days) == PART_ITEMS + 2
    # In the pack's order (by date), the first PART_ITEMS of them.
    assert [item["key"] for item in part["items"]] == made[:PART_ITEMS]


def test_every_item_of_a_busy_part_is_on_its_pages(committee, meetings):
    made = [measure_value(committee, M1 + DAY * (1 + n % 30)) for n in range(PART_PAGE_ITEMS + 3)]

    first, page = pack_part(meetings[2], "measure-values", 1)
    second, _ = pack_part(meetings[2], "measure-values", 2)

    assert (first["part"]["total"], page.paginator.num_pages) == (len(made), 2)
    listed = [item["key"] for item in first["part"]["items"] + second["part"]["items"]]
    assert sorted(listed) == sorted(made)
    assert len(first["part"]["items"]) == PART_PAGE_ITEMS


@pytest.mark.parametrize("part, page", [("no-such-part", 1), ("ratings", 2), ("ratings", "last-but-one")])
def test_a_part_or_page_the_pack_does_not_have_is_not_found(meetings, part, page):
    with pytest.raises(Http404):
        pack_part(meetings[2], part, page)


def test_a_pack_that_cannot_say_what_changed_has_no_parts_to_page(meetings):
    with pytest.raises(Http404):
        pack_part(meetings[0], "ratings", 1)
