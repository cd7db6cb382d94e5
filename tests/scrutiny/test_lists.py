"""The scrutiny list pages: scrutiny actions and recommendations. Each filter, sorting,
exports, query counts, and the loaded record."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from inspections.models import DatePrecision
from inspections.themes import sync_themes
from scrutiny.models import Recommendation, ScrutinyAction
from tests.factories import (
    CommitteeFactory,
    MeetingFactory,
    PersonFactory,
    RecommendationFactory,
    ScrutinyActionFactory,
)
from tests.lists import exported, headers, listed, queries_to_build

pytestmark = pytest.mark.django_db

SCRUTINY_ACTIONS = reverse("scrutiny:scrutiny_action_list")
RECOMMENDATIONS = reverse("scrutiny:recommendation_list")


@pytest.fixture
def signed_in(client, councillor):
    client.force_login(councillor)
    return client


class TestScrutinyActionList:
    def test_the_committee_status_and_owner_filters(self, signed_in):
        committee, owner = CommitteeFactory(), PersonFactory()
        chosen = ScrutinyActionFactory(
            meeting=MeetingFactory(committee=committee), owner=owner, status=ScrutinyAction.Status.IN_PROGRESS
        )
        other = ScrutinyActionFactory(owner=PersonFactory())

        assert listed(signed_in, f"{SCRUTINY_ACTIONS}?committee={committee.pk}") == [chosen]
        assert listed(signed_in, f"{SCRUTINY_ACTIONS}?status=in_progress") == [chosen]
        assert listed(signed_in, f"{SCRUTINY_ACTIONS}?status=open") == [other]
        assert listed(signed_in, f"{SCRUTINY_ACTIONS}?owner={owner.name}") == [chosen]
        assert set(listed(signed_in, SCRUTINY_ACTIONS)) == {chosen, other}

    def test_overdue_lists_open_actions_past_their_due_date(self, signed_in):
        today = timezone.localdate()
        meeting = MeetingFactory(date=today - dt.timedelta(days=60))
        overdue = ScrutinyActionFactory(meeting=meeting, due_date=today - dt.timedelta(days=1))
        ScrutinyActionFactory(
            meeting=meeting, due_date=today - dt.timedelta(days=1), status=ScrutinyAction.Status.COMPLETE
        )
        ScrutinyActionFactory(meeting=meeting, due_date=today)
        ScrutinyActionFactory(meeting=meeting, due_date=None)

        assert listed(signed_in, f"{SCRUTINY_ACTIONS}?overdue=yes") == [overdue]
        page = signed_in.get(SCRUTINY_ACTIONS).content.decode()
        assert page.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 1

    def test_the_due_date_range_includes_its_ends(self, signed_in):
        meeting = MeetingFactory(date=dt.date(2022, 2, 1))
        before, first, last = (
            ScrutinyActionFactory(meeting=meeting, due_date=dt.date(2022, 3, day)) for day in (14, 15, 31)
        )
        after = ScrutinyActionFactory(meeting=meeting, due_date=dt.date(2022, 4, 1))

        assert set(listed(signed_in, f"{SCRUTINY_ACTIONS}?due_after=15/3/2022&due_before=31/3/2022")) == {first, last}
        assert listed(signed_in, f"{SCRUTINY_ACTIONS}?due_after=2022-04-01") == [after]
        assert listed(signed_in, f"{SCRUTINY_ACTIONS}?due_before=14/03/2022") == [before]

    def test_sorting_by_due_date(self, signed_in):
        meeting = MeetingFactory(date=dt.date(2022, 2, 1))
        late = ScrutinyActionFactory(meeting=meeting, due_date=dt.date(2022, 6, 1))
        early = ScrutinyActionFactory(meeting=meeting, due_date=dt.date(2022, 3, 1))

        assert listed(signed_in, f"{SCRUTINY_ACTIONS}?sort=due") == [early, late]
        assert listed(signed_in, f"{SCRUTINY_ACTIONS}?sort=-due") == [late, early]


class TestRecommendationList:
    def test_the_committee_status_and_date_filters(self, signed_in):
        task_group = CommitteeFactory()
        september = RecommendationFactory(committee=task_group, made_on=dt.date(2013, 9, 1))
        accepted = RecommendationFactory(
            made_on=dt.date(2022, 2, 21),
            made_on_precision=DatePrecision.DAY,
            status=Recommendation.Status.ACCEPTED,
        )

        assert listed(signed_in, f"{RECOMMENDATIONS}?committee={task_group.pk}") == [september]
        assert listed(signed_in, f"{RECOMMENDATIONS}?status=accepted") == [accepted]
        assert listed(signed_in, f"{RECOMMENDATIONS}?status=made") == [september]
        assert listed(signed_in, f"{RECOMMENDATIONS}?made_after=21/2/2022") == [accepted]
        assert listed(signed_in, f"{RECOMMENDATIONS}?made_after=22/2/2022") == []
        assert listed(signed_in, f"{RECOMMENDATIONS}?made_before=20/2/2022") == [september]
        assert listed(signed_in, f"{RECOMMENDATIONS}?made_before=21/2/2022&made_after=1/9/2013") == [
            september,
            accepted,
        ]

    def test_a_recommendation_links_to_the_meeting_that_made_it(self, signed_in):
        meeting = MeetingFactory()
        RecommendationFactory(meeting=meeting, made_on=meeting.date, made_on_precision=DatePrecision.DAY)

        page = signed_in.get(RECOMMENDATIONS).content.decode()

        assert f'<a class="govuk-link" href="{meeting.get_absolute_url()}">' in page


def test_the_export_holds_exactly_the_filtered_rows(signed_in):
    committee = CommitteeFactory()
    meeting = MeetingFactory(committee=committee)
    chosen = [ScrutinyActionFactory(meeting=meeting, text=f"Chosen {n}") for n in range(1, 31)]
    ScrutinyActionFactory(text="Another committee's")
    url = f"{SCRUTINY_ACTIONS}?committee={committee.pk}"

    for export_format in ("csv", "xlsx"):
        rows = exported(signed_in, url, export_format)
        assert rows[0] == headers(signed_in, url)
        assert sorted(row[0] for row in rows[1:]) == sorted(f"{action.number}. {action.text}" for action in chosen)


def test_recommendation_text_that_a_spreadsheet_would_run_is_escaped(signed_in):
    RecommendationFactory(response='=HYPERLINK("http://evil.example")', addressed_to="@SUM(A1:A2)")

    [header, row] = exported(signed_in, RECOMMENDATIONS, "xlsx")

    assert (header[3], row[3]) == ("Addressed to", "'@SUM(A1:A2)")
    assert (header[5], row[5]) == ("Response", '\'=HYPERLINK("http://evil.example")')


def scrutiny_actions_for_counts(n):
    committee, owner = CommitteeFactory(), PersonFactory()
    meeting = MeetingFactory(committee=committee, date=dt.date(2022, 2, 1))
    for _ in range(n):
        ScrutinyActionFactory(meeting=meeting, owner=owner, due_date=dt.date(2022, 3, 15))
    return (
        f"?committee={committee.pk}&status=open&overdue=yes&owner={owner.name}&due_after=1/3/2022&due_before=31/3/2022"
    )


def recommendations_for_counts(n):
    committee = CommitteeFactory()
    for _ in range(n):
        RecommendationFactory(committee=committee, meeting=MeetingFactory(committee=committee))
    return f"?committee={committee.pk}&status=made&made_after=1/1/2014&made_before=31/12/2014"


# The loaded record has 5 scrutiny actions and 6 recommendations: the larger set is ten times that.
@pytest.mark.parametrize(
    "url, build, large",
    [(SCRUTINY_ACTIONS, scrutiny_actions_for_counts, 50), (RECOMMENDATIONS, recommendations_for_counts, 60)],
)
def test_query_counts_do_not_grow_with_the_data(signed_in, url, build, large):
    filters = build(2)
    counts = {
        "page": queries_to_build(signed_in, url),
        "filtered": queries_to_build(signed_in, url + filters),
        "export": queries_to_build(signed_in, f"{url}{filters}&_export=csv"),
    }
    assert len(listed(signed_in, url + filters)) == 2

    larger_filters = build(large)

    assert len(listed(signed_in, url + larger_filters)) == 25
    assert queries_to_build(signed_in, url) == counts["page"]
    assert queries_to_build(signed_in, url + larger_filters) == counts["filtered"]
    assert queries_to_build(signed_in, f"{url}{larger_filters}&_export=csv") == counts["export"]


@pytest.fixture
def record(db):
    sync_themes(apps)
    call_command("load_letters", verbosity=0)


def test_the_loaded_record_shows_the_action_due_on_15_march_2022_as_overdue(signed_in, record):
    page = signed_in.get(SCRUTINY_ACTIONS).content.decode()
    overdue = listed(signed_in, f"{SCRUTINY_ACTIONS}?overdue=yes")

    assert "Scrutiny actions (5)" in page
    assert [action.due_date for action in overdue] == [dt.date(2022, 3, 15)]
    assert "affordable housing" in overdue[0].text
    row = next(row for row in exported(signed_in, SCRUTINY_ACTIONS) if "affordable housing" in row[0])
    assert row[3:] == ["15 March 2022", "Overdue"]


def test_the_loaded_record_lists_every_recommendation(signed_in, record):
    page = signed_in.get(RECOMMENDATIONS).content.decode()
    task_group = listed(signed_in, f"{RECOMMENDATIONS}?made_before=30/9/2013")

    assert "Recommendations (6)" in page
    assert [recommendation.number for recommendation in task_group] == [1, 2, 3, 4, 5]
    assert "That a project manager be appointed to drive the day-to-day delivery of the Action Plan." in page
