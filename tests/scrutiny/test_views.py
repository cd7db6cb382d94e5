"""The scrutiny pages: meetings and a meeting, for every role, with flat query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DiscussionPointFactory,
    FindingFactory,
    InspectionFactory,
    MeetingFactory,
    PersonFactory,
    ScrutinyActionFactory,
    ScrutinyActionUpdateFactory,
    SourceDocumentFactory,
)
from tests.pages import count_queries, keep_permissions

pytestmark = pytest.mark.django_db


def meeting_with(n):
    """A meeting with n of each thing its pages show: agenda items (about an inspection, with
    their papers), attendances, discussion points and scrutiny actions (owned, answering
    findings, with updates)."""
    meeting = MeetingFactory(agenda=SourceDocumentFactory(), record=SourceDocumentFactory())
    for number in range(1, n + 1):
        AgendaItemFactory(
            meeting=meeting, number=number, inspection=InspectionFactory(), document=SourceDocumentFactory()
        )
        AttendanceFactory(meeting=meeting)
        DiscussionPointFactory(meeting=meeting, number=number, findings=[FindingFactory()])
        action = ScrutinyActionFactory(
            meeting=meeting, number=number, owner=PersonFactory(), findings=[FindingFactory(), FindingFactory()]
        )
        ScrutinyActionUpdateFactory(action=action)
    return meeting


@pytest.mark.parametrize("persona", ["officer", "councillor", "admin"])
def test_every_role_reads_the_meetings(client, request, persona):
    meeting = meeting_with(1)
    action = meeting.scrutiny_actions.get()
    client.force_login(request.getfixturevalue(persona))

    listing = client.get(reverse("scrutiny:meeting_list")).content.decode()
    detail = client.get(meeting.get_absolute_url()).content.decode()

    assert escape(meeting.committee.name) in listing
    assert escape(action.text) in detail


def test_query_counts_do_not_grow_with_the_data(client, councillor):
    client.force_login(councillor)
    keep_permissions(client)
    small = meeting_with(1)
    list_small = count_queries(client, reverse("scrutiny:meeting_list"))
    detail_small = count_queries(client, small.get_absolute_url())

    large = meeting_with(8)
    meeting_with(3)

    assert count_queries(client, reverse("scrutiny:meeting_list")) == list_small
    assert count_queries(client, large.get_absolute_url()) == detail_small


def test_the_overview_has_a_fixed_number_of_queries(client, councillor):
    client.force_login(councillor)
    keep_permissions(client)
    meeting_with(1)
    small = count_queries(client, reverse("home"))

    meeting_with(5)

    assert count_queries(client, reverse("home")) == small


def test_the_meetings_are_listed_a_page_at_a_time_newest_first(client, councillor):
    client.force_login(councillor)
    committee = MeetingFactory().committee
    for day in range(1, 30):
        MeetingFactory(committee=committee, date=dt.date(2022, 1, day))
    url = reverse("scrutiny:meeting_list")

    first, second = client.get(url).content.decode(), client.get(url + "?page=2").content.decode()

    assert first.count('class="govuk-table__row"') - 1 == 25
    assert ">29 January 2022<" in first and ">4 January 2022<" not in first
    assert ">4 January 2022<" in second and 'aria-label="Pagination"' in first
    assert count_queries(client, url + "?page=2") == count_queries(client, url)
