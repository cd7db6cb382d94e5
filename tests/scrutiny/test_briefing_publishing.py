"""Publishing a briefing pack freezes it as canonical JSON with its checksum, append-only and
versioned; approving makes a published version public; the public copy names only whom the
source documents name, and links into nothing behind sign-in."""

import datetime as dt
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from improvement.models import Rating
from scrutiny.briefing import (
    briefing_pack_approve,
    briefing_pack_changes,
    briefing_pack_for,
    briefing_pack_publish,
    canonical_json,
    public_copy,
)
from scrutiny.models import BriefingPackApproval, BriefingPackVersion
from tests.constraints import violates
from tests.factories import (
    AgendaItemFactory,
    BriefingPackApprovalFactory,
    BriefingPackVersionFactory,
    FindingFactory,
    InspectionFactory,
    MeasureValueFactory,
    MeetingFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ScrutinyActionFactory,
    SourceDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PREVIOUS, MEETING = dt.date(2022, 3, 1), dt.date(2022, 4, 1)


@pytest.fixture
def meeting():
    MeasureValueFactory(period_end=dt.date(2021, 6, 1))  # the record begins before both meetings
    previous = MeetingFactory(date=PREVIOUS)
    return MeetingFactory(committee=previous.committee, date=MEETING)


def rate(day=MEETING, priority=None, **kwargs):
    return ProgressUpdateFactory(priority=priority or PriorityFactory(), action=None, date=day, **kwargs)


class TestPublishing:
    def test_it_stores_the_pack_as_canonical_json_with_its_checksum(self, meeting, officer):
        rate()

        version = briefing_pack_publish(meeting=meeting, by=officer)

        assert (version.meeting, version.number, version.published_by) == (meeting, 1, officer)
        assert version.content == canonical_json(briefing_pack_for(meeting))
        assert version.content == json.dumps(json.loads(version.content), sort_keys=True, separators=(",", ":"))
        assert version.checksum == hashlib.sha256(version.content.encode("utf-8")).hexdigest()

    def test_publishing_again_adds_a_version_and_leaves_the_first_as_it_was(self, meeting, officer):
        first = briefing_pack_publish(meeting=meeting, by=officer)
        content, checksum = first.content, first.checksum
        rate()

        second = briefing_pack_publish(meeting=meeting, by=officer)

        first.refresh_from_db()
        assert (first.number, second.number) == (1, 2)
        assert (first.content, first.checksum) == (content, checksum)
        assert second.checksum != checksum

    def test_publishing_what_is_already_published_is_refused(self, meeting, officer):
        briefing_pack_publish(meeting=meeting, by=officer)

        with pytest.raises(ValidationError, match="Nothing has changed since version 1 was published"):
            briefing_pack_publish(meeting=meeting, by=officer)
        assert BriefingPackVersion.objects.count() == 1

    def test_each_meeting_numbers_its_own_versions(self, meeting, officer):
        briefing_pack_publish(meeting=meeting, by=officer)

        assert briefing_pack_publish(meeting=MeetingFactory(), by=officer).number == 1

    def test_a_councillor_cannot_publish(self, meeting, councillor):
        with pytest.raises(PermissionDenied, match="Only officers and administrators can publish"):
            briefing_pack_publish(meeting=meeting, by=councillor)
        assert not BriefingPackVersion.objects.exists()

    def test_a_version_is_never_changed_or_deleted(self, meeting, officer):
        version = briefing_pack_publish(meeting=meeting, by=officer)

        version.content = canonical_json({"forged": True})
        with pytest.raises(ValidationError, match="cannot be changed once recorded"):
            version.save()
        with pytest.raises(ValidationError, match="cannot be deleted"):
            version.delete()
        with pytest.raises(ValidationError, match="cannot be changed"):
            BriefingPackVersion.objects.filter(pk=version.pk).update(content="{}")

    def test_the_database_refuses_a_checksum_that_does_not_match_the_content(self, meeting):
        with violates("briefing_pack_checksum_matches_content"):
            BriefingPackVersionFactory(meeting=meeting, checksum=hashlib.sha256(b"something else").hexdigest())

    def test_the_database_refuses_a_second_version_with_the_same_number(self, meeting):
        BriefingPackVersionFactory(meeting=meeting, number=1)
        with violates("briefing_pack_version_unique_number"):
            BriefingPackVersionFactory(meeting=meeting, number=1)

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
    def test_postgresql_refuses_changes_whoever_runs_them(self, meeting, officer, admin):
        version = briefing_pack_publish(meeting=meeting, by=officer)
        approval = briefing_pack_approve(version=version, by=admin)
        for model, pk in [(BriefingPackVersion, version.pk), (BriefingPackApproval, approval.pk)]:
            table = model._meta.db_table
            for sql in (f'UPDATE "{table}" SET id = id WHERE id = %s', f'DELETE FROM "{table}" WHERE id = %s'):
                with (
                    pytest.raises(DatabaseError, match="append-only"),
                    transaction.atomic(),
                    connection.cursor() as cursor,
                ):
                    cursor.execute(sql, [pk])


class TestApproving:
    def test_an_administrator_approves_a_version_for_the_public(self, meeting, officer, admin):
        version = briefing_pack_publish(meeting=meeting, by=officer)

        approval = briefing_pack_approve(version=version, by=admin)

        assert (approval.version, approval.approved_by) == (version, admin)
        assert list(BriefingPackVersion.objects.approved()) == [version]

    def test_an_officer_cannot_approve(self, meeting, officer):
        version = briefing_pack_publish(meeting=meeting, by=officer)

        with pytest.raises(PermissionDenied, match="Only administrators can approve"):
            briefing_pack_approve(version=version, by=officer)
        assert not BriefingPackVersion.objects.approved().exists()

    def test_approving_twice_is_refused(self, admin):
        approval = BriefingPackApprovalFactory()

        with pytest.raises(ValidationError, match=f"Version {approval.version.number} is already approved"):
            briefing_pack_approve(version=approval.version, by=admin)
        assert BriefingPackApproval.objects.count() == 1


class TestSincePublished:
    def test_it_lists_what_is_new_changed_and_gone(self, meeting, officer):
        rate(rating=Rating.AMBER)  # published, and unchanged since: not listed
        gone = MeasureValueFactory(period_end=MEETING)
        version = briefing_pack_publish(meeting=meeting, by=officer)
        new = rate(rating=Rating.GREEN)
        gone.period_end = dt.date(2022, 6, 1)  # corrected to a later period: no longer in this window
        gone.save()

        changes = briefing_pack_changes(live=briefing_pack_for(meeting), published=version.pack)

        assert [(change["change"], change["part"], change["subject"]) for change in changes] == [
            ("New", "Ratings given", str(new.priority)),
            ("No longer in the pack", "New measure values", gone.measure.title),
        ]

    def test_it_says_when_the_pack_counts_from_another_meeting(self, meeting, officer):
        version = briefing_pack_publish(meeting=meeting, by=officer)
        MeetingFactory(committee=meeting.committee, date=MEETING - dt.timedelta(days=7))

        changes = briefing_pack_changes(live=briefing_pack_for(meeting), published=version.pack)

        assert [(change["change"], change["part"]) for change in changes] == [("Changed", "What the pack covers")]


class TestThePublicCopy:
    def test_it_links_to_nothing_behind_sign_in(self, meeting):
        rate(priority=PriorityFactory(findings=[FindingFactory()]))
        AgendaItemFactory(meeting=meeting, inspection=InspectionFactory())

        pack = briefing_pack_for(meeting)
        copy = public_copy(pack)

        assert '"url"' in canonical_json(pack)
        assert '"url"' not in canonical_json(copy)
        assert '"/' not in canonical_json(copy)

    def test_it_names_only_whom_the_source_documents_name(self, meeting):
        officer = UserFactory(first_name="Olivia", last_name="Officer")
        rate(recorded_by=officer, author=PersonFactory(name="Olivia Officer", user=officer))
        rate(author=PersonFactory(name="Lisa Bursill"), source=SourceDocumentFactory())
        group = MeetingFactory(committee__parent=meeting.committee, date=MEETING, record=SourceDocumentFactory())
        ScrutinyActionFactory(meeting=group, owner=PersonFactory(name="Charlie Fisher"))

        pack = briefing_pack_for(meeting)
        copy = canonical_json(public_copy(pack))

        assert "Olivia Officer" in canonical_json(pack)
        assert "Olivia Officer" not in copy
        assert "Lisa Bursill" in copy
        assert "Charlie Fisher" in copy
