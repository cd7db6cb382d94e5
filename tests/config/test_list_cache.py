"""List pages from the record cache (config/lists.py, `ListPage.get`): served again without
being built while the record is unchanged, and never stale: a change shows at once, and every
address (filter, sort, page, export format) is its own entry; an export too large for the
cache is made afresh each time. And the other pages served from it since: My work (each
officer's own), the inspections timeline, an inspection's coverage, the meetings and a meeting."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from config import lists
from config.demo import user_in_role
from config.roles import OFFICERS
from improvement.models import ImprovementPlan, Rating
from tests.conftest import PASSWORD
from tests.factories import (
    ActionFactory,
    AuthorityFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    MeetingFactory,
    PersonFactory,
    PriorityFactory,
    ScrutinyActionFactory,
    UserFactory,
)
from tests.lists import exported, queries_to_build
from tests.pages import count_queries, table_rows

pytestmark = pytest.mark.django_db

PRIORITIES = reverse("improvement:priority_list")
ACTIONS = reverse("improvement:action_list")


@pytest.fixture
def plan(settings):
    home = AuthorityFactory(short_name=settings.HOME_AUTHORITY)
    return ImprovementPlanFactory(authority=home, status=ImprovementPlan.Status.CURRENT)


@pytest.fixture
def signed_in(client, councillor):
    client.force_login(councillor)
    return client


def rate(priority, rating, day):
    priority.record_rating(by=UserFactory(), rating=rating, commentary="Reviewed.", as_of=day)


def main_of(response):
    return re.search(r"<main.*?</main>", response.content.decode(), re.S).group()


def rows(client, url):
    return table_rows(client.get(url).content.decode())


def test_a_list_read_again_is_served_without_being_built_and_is_the_same(signed_in, plan):
    for number in range(1, 4):
        PriorityFactory(plan=plan, number=number)
    built = signed_in.get(PRIORITIES)
    to_build = queries_to_build(signed_in, PRIORITIES)

    with_cache = count_queries(signed_in, PRIORITIES)
    again = signed_in.get(PRIORITIES)

    # The session, the user, the roles' token (the reader's permissions) and the record's (the
    # page), both kept in the cache.
    assert with_cache == 4 < to_build
    # The layout differs by request (its script nonce); the list itself is the same.
    assert main_of(again) == main_of(built)
    assert "<title>Priorities (3) –" in again.content.decode()


def test_a_rating_shows_on_the_list_and_its_filter_at_once(signed_in, plan):
    priority = PriorityFactory(plan=plan, number=1, title="Stable workforce")
    rate(priority, Rating.GREEN, dt.date(2024, 5, 31))
    assert "Green" in rows(signed_in, PRIORITIES)[1]
    assert len(rows(signed_in, f"{PRIORITIES}?rating=red")) == 0

    rate(priority, Rating.RED, dt.date(2024, 6, 30))

    assert "Red" in rows(signed_in, PRIORITIES)[1]
    [_, row] = rows(signed_in, f"{PRIORITIES}?rating=red")
    assert "Stable workforce" in " ".join(row)


def test_each_filter_sort_and_page_is_its_own_entry(signed_in, plan):
    priority = PriorityFactory(plan=plan, number=1)
    for number in range(1, 31):
        ActionFactory(priority=priority, number=number, description=f"Action number {number}")
    first, second = rows(signed_in, ACTIONS), rows(signed_in, f"{ACTIONS}?page=2")
    newest_first = rows(signed_in, f"{ACTIONS}?sort=-action")

    assert (len(first), len(second)) == (26, 6)  # with the header row
    assert "Action number 1" in " ".join(first[1])
    assert "Action number 26" in " ".join(second[1])
    assert "Action number 30" in " ".join(newest_first[1])


def export_descriptions(client, url, export_format="csv"):
    return [row[0].split(": ", 1)[1] for row in exported(client, url, export_format)[1:]]


def test_an_export_holds_a_change_made_after_the_page_was_cached(signed_in, plan):
    priority = PriorityFactory(plan=plan, number=1)
    ActionFactory(priority=priority, number=1, description="The first")
    signed_in.get(ACTIONS)
    ActionFactory(priority=priority, number=2, description="The second")

    assert export_descriptions(signed_in, ACTIONS) == ["The first", "The second"]
    assert len(rows(signed_in, ACTIONS)) == 3


def test_an_export_is_kept_until_the_record_changes(signed_in, plan):
    priority = PriorityFactory(plan=plan, number=1)
    ActionFactory(priority=priority, number=1, description="The first")
    csv_url, excel_url = f"{ACTIONS}?_export=csv", f"{ACTIONS}?_export=xlsx"
    to_build = queries_to_build(signed_in, csv_url)

    # The session, the user and the record's token: an export needs no permissions.
    assert count_queries(signed_in, csv_url) == 3 < to_build
    assert export_descriptions(signed_in, ACTIONS) == ["The first"]
    # Each format is its own entry.
    assert export_descriptions(signed_in, ACTIONS, "xlsx") == ["The first"]
    assert count_queries(signed_in, excel_url) == 3

    ActionFactory(priority=priority, number=2, description="The second")

    assert count_queries(signed_in, csv_url) == to_build
    assert export_descriptions(signed_in, ACTIONS) == ["The first", "The second"]
    assert export_descriptions(signed_in, ACTIONS, "xlsx") == ["The first", "The second"]


def test_an_export_too_large_for_the_cache_is_made_afresh_each_time(signed_in, plan, monkeypatch):
    monkeypatch.setattr(lists, "KEPT_EXPORT_BYTES", 10)
    ActionFactory(priority=PriorityFactory(plan=plan, number=1), number=1, description="The first")
    url = f"{ACTIONS}?_export=csv"
    signed_in.get(url)

    # Built again each time: more than the 3 queries of one kept (the current plan is kept).
    assert count_queries(signed_in, url) == count_queries(signed_in, url) > 3
    assert export_descriptions(signed_in, ACTIONS) == ["The first"]


def test_an_export_behind_a_wrong_filter_shows_the_error_every_time(signed_in, plan):
    ActionFactory(priority=PriorityFactory(plan=plan, number=1), number=1, description="The first")
    url = f"{ACTIONS}?due_after=31/02/2024&_export=csv"
    for _ in range(2):
        response = signed_in.get(url)
        assert "Content-Disposition" not in response
        page = response.content.decode()
        # The whole page, laid out, not its content alone.
        assert "<title>Error: Actions (0) –" in page
        assert "Correct the filters above to see the actions." in page


def test_a_wrong_filter_is_still_refused_with_its_error_from_the_cache(signed_in, plan):
    url = f"{ACTIONS}?due_after=31/02/2024"
    for _ in range(2):
        page = signed_in.get(url).content.decode()
        assert "<title>Error: Actions (0) –" in page
        assert "Correct the filters above to see the actions." in page


# --- the other pages the record cache serves ------------------------------------------------


def test_my_work_is_each_officers_own_and_changes_at_once(client, officer):
    """Keyed by the officer: one officer's work is never served to another with the same
    permissions."""
    other_officer = user_in_role("officer2", OFFICERS, PASSWORD, "Otto", "Officer")[0]
    mine, theirs = PersonFactory(user=officer), PersonFactory(user=other_officer)
    ActionFactory(owner=mine, description="Mine to do.")
    ActionFactory(owner=theirs, description="Theirs to do.")
    client.force_login(officer)
    assert "Mine to do." in client.get(reverse("my_work")).content.decode()

    client.force_login(other_officer)
    page = client.get(reverse("my_work")).content.decode()
    assert "Theirs to do." in page and "Mine to do." not in page

    ActionFactory(owner=theirs, description="Theirs, new.")
    assert "Theirs, new." in client.get(reverse("my_work")).content.decode()


@pytest.mark.parametrize("page", ["timeline", "coverage", "meetings", "meeting"])
def test_each_page_shows_a_change_at_once(signed_in, settings, page):
    home = AuthorityFactory(short_name=settings.HOME_AUTHORITY)
    inspection = InspectionFactory(authority=home, title="Monitoring visit to children's services")
    meeting = MeetingFactory(date=dt.date(2024, 6, 3))
    url, change, shown = {
        "timeline": (
            reverse("inspections:inspection_list"),
            lambda: InspectionFactory(authority=home, title="A later monitoring visit"),
            "A later monitoring visit",
        ),
        "coverage": (
            reverse("inspections:coverage", args=[inspection.pk]),
            lambda: FindingFactory(inspection=inspection, text="Supervision is not regular enough."),
            "Supervision is not regular enough.",
        ),
        "meetings": (
            reverse("scrutiny:meeting_list"),
            lambda: MeetingFactory(title="An extraordinary meeting", date=dt.date(2024, 7, 1)),
            "An extraordinary meeting",
        ),
        "meeting": (
            meeting.get_absolute_url(),
            lambda: ScrutinyActionFactory(meeting=meeting, text="Report on caseloads in July."),
            "Report on caseloads in July.",
        ),
    }[page]
    assert shown not in signed_in.get(url).content.decode()
    assert count_queries(signed_in, url) == 4  # from the cache

    change()

    assert shown in signed_in.get(url).content.decode()
