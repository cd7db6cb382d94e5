"""The briefing pack's pages for signed-in users: the live pack, publishing, a published version
(rendered from what was stored), its content download, and approval for the public."""

import datetime as dt
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from scrutiny import briefing
from scrutiny.models import BriefingPackApproval, BriefingPackVersion
from tests.factories import (
    AgendaItemFactory,
    BriefingPackApprovalFactory,
    BriefingPackVersionFactory,
    MeasureValueFactory,
    MeetingFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ScrutinyActionFactory,
)
from tests.pages import count_queries, keep_permissions

pytestmark = pytest.mark.django_db

PREVIOUS, MEETING = dt.date(2022, 3, 1), dt.date(2022, 4, 1)


@pytest.fixture
def meeting():
    MeasureValueFactory(period_end=dt.date(2021, 6, 1))
    previous = MeetingFactory(date=PREVIOUS)
    return MeetingFactory(committee=previous.committee, date=MEETING)


def live_url(meeting):
    return reverse("scrutiny:briefing_pack", args=[meeting.pk])


def publish_url(meeting):
    return reverse("scrutiny:publish_briefing_pack", args=[meeting.pk])


def approve_url(version):
    return reverse("scrutiny:approve_briefing_pack", args=[version.meeting_id, version.number])


def rate(commentary="Recruitment is behind plan.", day=MEETING):
    return ProgressUpdateFactory(priority=PriorityFactory(), action=None, date=day, commentary=commentary)


@pytest.mark.parametrize("persona", ["officer", "councillor", "admin"])
def test_every_role_reads_the_live_pack(client, request, meeting, persona):
    rate("Caseloads are falling.")
    client.force_login(request.getfixturevalue(persona))

    page = client.get(live_url(meeting)).content.decode()

    assert "Caseloads are falling." in page
    assert "It has not been published." in page
    assert ("Publish this pack" in page) == (persona != "councillor")


def test_the_meeting_page_leads_to_its_pack(client, councillor, meeting):
    client.force_login(councillor)

    assert live_url(meeting) in client.get(meeting.get_absolute_url()).content.decode()


def test_signing_in_is_needed(client, meeting):
    version = BriefingPackVersionFactory(meeting=meeting)
    for url in (
        live_url(meeting),
        version.get_absolute_url(),
        reverse("scrutiny:briefing_pack_version_content", args=[meeting.pk, version.number]),
    ):
        response = client.get(url)
        assert (response.status_code, response.url.split("?")[0]) == (302, reverse("login"))


class TestPublishing:
    def test_an_officer_publishes_and_sees_the_version_and_its_checksum(self, client, officer, meeting):
        rate()
        client.force_login(officer)

        response = client.post(publish_url(meeting), follow=True)

        version = BriefingPackVersion.objects.get()
        assert response.redirect_chain == [(version.get_absolute_url(), 302)]
        page = response.content.decode()
        assert "Version 1 published." in page
        assert version.checksum in page
        published_by = re.search(r"Published by</dt>\s*<dd[^>]*>([^<]*)</dd>", page)
        assert published_by and published_by.group(1) == "Olivia Officer"

    def test_publishing_nothing_new_says_so_and_adds_nothing(self, client, officer, meeting):
        client.force_login(officer)
        client.post(publish_url(meeting))

        response = client.post(publish_url(meeting), follow=True)

        assert response.redirect_chain == [(live_url(meeting), 302)]
        assert "Nothing has changed since version 1 was published" in response.content.decode()
        assert BriefingPackVersion.objects.count() == 1

    def test_a_councillor_may_not_publish(self, client, councillor, meeting):
        client.force_login(councillor)

        assert client.post(publish_url(meeting)).status_code == 403
        assert not BriefingPackVersion.objects.exists()

    def test_publishing_is_a_post(self, client, officer, meeting):
        client.force_login(officer)

        assert client.get(publish_url(meeting)).status_code == 405


class TestAPublishedVersion:
    def test_it_renders_what_was_stored_without_recomputing_the_pack(self, client, councillor, meeting, monkeypatch):
        rate("As it stood when published.")
        version = BriefingPackVersionFactory(meeting=meeting)

        def recompute(*args, **kwargs):
            raise AssertionError("a published version must not be recomputed")

        monkeypatch.setattr(briefing, "briefing_pack_for", recompute)
        client.force_login(councillor)
        page = client.get(version.get_absolute_url()).content.decode()

        assert "As it stood when published." in page
        assert version.checksum in page

    def test_its_content_download_is_exactly_what_the_checksum_covers(self, client, councillor, meeting):
        rate()
        version = BriefingPackVersionFactory(meeting=meeting)
        client.force_login(councillor)

        response = client.get(reverse("scrutiny:briefing_pack_version_content", args=[meeting.pk, version.number]))

        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Content-Disposition"].startswith("attachment;")
        assert hashlib.sha256(response.content).hexdigest() == version.checksum

    def test_it_points_to_a_later_version(self, client, councillor, meeting):
        first = BriefingPackVersionFactory(meeting=meeting, number=1)
        rate()
        BriefingPackVersionFactory(meeting=meeting, number=2)
        client.force_login(councillor)

        page = client.get(first.get_absolute_url()).content.decode()

        assert "A later version has been published" in page
        assert reverse("scrutiny:briefing_pack_version", args=[meeting.pk, 2]) in page

    def test_an_unknown_version_is_not_found(self, client, councillor, meeting):
        BriefingPackVersionFactory(meeting=meeting, number=1)
        client.force_login(councillor)

        assert client.get(reverse("scrutiny:briefing_pack_version", args=[meeting.pk, 2])).status_code == 404
        assert client.get(reverse("scrutiny:briefing_pack_version", args=[MeetingFactory().pk, 1])).status_code == 404


class TestApproving:
    def test_an_administrator_approves_a_version_for_the_public(self, client, admin, meeting):
        version = BriefingPackVersionFactory(meeting=meeting)
        client.force_login(admin)
        assert "Approve version" in client.get(version.get_absolute_url()).content.decode()

        response = client.post(approve_url(version), follow=True)

        assert BriefingPackApproval.objects.get().version == version
        page = response.content.decode()
        assert "the public can now read it" in page
        assert reverse("public:pack", args=[version.pk]) in page
        assert "Approve version" not in page

    @pytest.mark.parametrize("persona", ["officer", "councillor"])
    def test_only_an_administrator_may_approve(self, client, request, meeting, persona):
        version = BriefingPackVersionFactory(meeting=meeting)
        client.force_login(request.getfixturevalue(persona))

        assert "Approve version" not in client.get(version.get_absolute_url()).content.decode()
        assert client.post(approve_url(version)).status_code == 403
        assert not BriefingPackApproval.objects.exists()

    def test_approving_again_says_it_is_already_approved(self, client, admin):
        approval = BriefingPackApprovalFactory()
        client.force_login(admin)

        page = client.post(approve_url(approval.version), follow=True).content.decode()

        assert escape(f"Version {approval.version.number} is already approved for the public.") in page
        assert BriefingPackApproval.objects.count() == 1


def history(meeting, length):
    """`length` ratings, values and scrutiny actions before the window, one of each in it."""
    for n in range(length):
        rate(day=dt.date(2021, 7, 1) + dt.timedelta(days=n))
        MeasureValueFactory(period_end=dt.date(2021, 7, 1) + dt.timedelta(days=n))
    rate()
    MeasureValueFactory(period_end=MEETING)
    ScrutinyActionFactory(meeting=MeetingFactory(committee__parent=meeting.committee, date=MEETING))
    AgendaItemFactory(meeting=meeting)


def test_query_counts_do_not_grow_with_the_history(client, officer, meeting):
    client.force_login(officer)
    history(meeting, 1)
    client.post(publish_url(meeting))
    version = BriefingPackVersion.objects.get()
    live, published = count_queries(client, live_url(meeting)), count_queries(client, version.get_absolute_url())

    history(meeting, 10)
    client.post(publish_url(meeting))

    assert count_queries(client, live_url(meeting)) == live
    assert count_queries(client, version.get_absolute_url()) == published


class TestABusyPart:
    """A part with more than the pack lists: the pack says how many and links to every one."""

    def part_url(self, meeting, page=None):
        url = reverse("scrutiny:briefing_pack_part", args=[meeting.pk, "ratings"])
        return f"{url}?page={page}" if page else url

    def rate_many(self, count):
        return [rate(f"Note {n:03}.", day=PREVIOUS + dt.timedelta(days=1 + n % 28)) for n in range(count)]

    def test_the_pack_lists_the_first_and_links_to_all(self, client, councillor, meeting):
        self.rate_many(briefing.PART_ITEMS + 4)
        client.force_login(councillor)

        page = client.get(live_url(meeting)).content.decode()

        total = briefing.PART_ITEMS + 4
        assert f"This pack lists the first {briefing.PART_ITEMS} of {total}." in page
        assert f'href="{self.part_url(meeting)}"' in page
        assert page.count('class="app-pack__item"') == briefing.PART_ITEMS

    def test_a_quiet_part_lists_everything_and_links_nowhere(self, client, councillor, meeting):
        self.rate_many(3)
        client.force_login(councillor)

        page = client.get(live_url(meeting)).content.decode()

        assert "This pack lists the first" not in page
        assert self.part_url(meeting) not in page

    def test_its_pages_hold_every_item(self, client, councillor, meeting):
        updates = self.rate_many(briefing.PART_PAGE_ITEMS + 2)
        client.force_login(councillor)

        first = client.get(self.part_url(meeting)).content.decode()
        second = client.get(self.part_url(meeting, 2)).content.decode()

        assert f"Ratings given: all {len(updates)}" in first
        assert "Page 1 of 2: items 1 to 50." in first and "Page 2 of 2: items 51 to 52." in second
        for update in updates:
            assert (update.commentary in first) != (update.commentary in second)

    @pytest.mark.parametrize("suffix", ["?page=3", "?page=x"])
    def test_a_page_past_the_end_is_not_found(self, client, councillor, meeting, suffix):
        self.rate_many(2)
        client.force_login(councillor)

        assert client.get(self.part_url(meeting) + suffix).status_code == 404

    def test_an_unknown_part_is_not_found(self, client, councillor, meeting):
        client.force_login(councillor)

        url = reverse("scrutiny:briefing_pack_part", args=[meeting.pk, "gossip"])
        assert client.get(url).status_code == 404

    def test_its_query_count_does_not_grow_with_the_part(self, client, councillor, meeting):
        self.rate_many(3)
        client.force_login(councillor)
        keep_permissions(client)
        few = count_queries(client, self.part_url(meeting))

        self.rate_many(briefing.PART_PAGE_ITEMS + 5)

        assert count_queries(client, self.part_url(meeting)) == few
