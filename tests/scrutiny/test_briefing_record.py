"""The briefing pack on the loaded record: the Children's Scrutiny Committee of 6 April 2022, its
pack published, then a rating changed."""

import datetime as dt
import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from improvement.models import Priority
from scrutiny.briefing import briefing_pack_changes, briefing_pack_for, briefing_pack_publish
from scrutiny.models import Meeting

pytestmark = pytest.mark.django_db

COMMITTEE = "Children's Scrutiny Committee"
CSOG = "Children's Standing Overview Group"


@pytest.fixture
def record(db):
    call_command("load_letters", verbosity=0)


def meeting(committee, day):
    return Meeting.objects.select_related("committee").get(committee__name=committee, date=day)


@pytest.fixture
def april(record):
    return meeting(COMMITTEE, dt.date(2022, 4, 6))


def items(pack):
    return {part["slug"]: part["items"] for section in pack["sections"] for part in section["parts"]}


def test_the_april_pack_counts_from_the_committees_meeting_of_15_march(april):
    window = briefing_pack_for(april)["window"]

    assert window["previous"]["title"] == "Children's Scrutiny Committee, 15 March 2022"
    assert window["comparable"] is True


def test_what_was_reported_before_15_march_belongs_to_earlier_packs(april):
    # The CSOG's ratings and values of 21 February, the letter of 9 March and the CSOG's action
    # due on 15 March all came before the committee's meeting of 15 March.
    assert {slug: found for slug, found in items(briefing_pack_for(april)).items() if found} == {}

    csog = items(briefing_pack_for(meeting(CSOG, dt.date(2022, 4, 4))))
    assert [(item["subject"], item["headline"]) for item in csog["scrutiny-due"]] == [
        ("Action 5 from Children's Standing Overview Group, 21 February 2022", "Due 15 March 2022: open")
    ]
    assert [(item["subject"], item["headline"]) for item in csog["findings-revisited"]] == [
        (
            "Finding 4, Monitoring visit, 2 February 2022 to 3 February 2022",
            "Revisits Concern 1, Focused visit, May 2021",
        ),
        (
            "Finding 9, Monitoring visit, 2 February 2022 to 3 February 2022",
            "Revisits Concern 2, Focused visit, May 2021",
        ),
    ]


def test_the_april_agenda_considers_the_letter_and_its_findings_that_revisit_earlier_ones(april):
    agenda = briefing_pack_for(april)["agenda"]

    assert [item["title"] for item in agenda] == [
        "Apologies",
        "Minutes",
        "Items Requiring Urgent Attention",
        "Public Participation",
        "Ofsted Monitoring Visit Letter",
    ]
    letter = agenda[4]
    assert [(thing["what"], thing["label"]) for thing in letter["considers"]] == [
        ("Inspection", "Monitoring visit to Devon children's services"),
        ("Document", "Monitoring visit to Devon children's services (9 March 2022)"),
    ]
    assert [(item["subject"], item["findings"][0]["label"]) for item in letter["findings_revisited"]] == [
        ("Finding 4, Monitoring visit, 2 February 2022 to 3 February 2022", "Concern 1"),
        ("Finding 9, Monitoring visit, 2 February 2022 to 3 February 2022", "Concern 2"),
    ]


def test_the_committees_first_meeting_in_the_record_says_it_cannot_say_what_changed(record, client, councillor):
    march = meeting(COMMITTEE, dt.date(2022, 3, 15))

    pack = briefing_pack_for(march)
    client.force_login(councillor)
    page = client.get(reverse("scrutiny:briefing_pack", args=[march.pk])).content.decode()

    assert (pack["window"]["previous"], pack["window"]["comparable"], pack["sections"]) == (None, False, [])
    assert "The record holds no earlier meeting of the Children&#x27;s Scrutiny Committee" in page


def test_a_rating_changed_after_publishing_is_new_in_the_live_pack_and_not_in_the_snapshot(april, client, officer):
    version = briefing_pack_publish(meeting=april, by=officer)
    content, checksum = version.content, version.checksum
    priority = Priority.objects.get(reference="amber-priority-not-named-a")

    update = priority.record_rating(
        by=officer, rating="red", commentary="Caseloads rose again in March.", as_of=dt.date(2022, 4, 1)
    )

    live = briefing_pack_for(april)
    changes = briefing_pack_changes(live=live, published=version.pack)
    assert changes == [
        {
            "change": "New",
            "part": "Ratings given",
            "subject": "Priority (not named in the source)",
            "url": priority.get_absolute_url(),
            "headline": "Changed from Amber to Red",
            "date": "1 April 2022",
            "rating": "red",
        }
    ]

    version.refresh_from_db()
    assert (version.content, version.checksum) == (content, checksum)
    assert hashlib.sha256(version.content.encode()).hexdigest() == checksum
    assert f"rating:{update.key}" not in version.content
    assert items(version.pack)["ratings"] == []

    client.force_login(officer)
    live_page = client.get(reverse("scrutiny:briefing_pack", args=[april.pk])).content.decode()
    snapshot_page = client.get(version.get_absolute_url()).content.decode()
    since_published = live_page.split('id="since-published"')[1].split("</section>")[0]
    assert "Changed from Amber to Red" in since_published
    assert "Caseloads rose again in March." in live_page
    assert "Caseloads rose again in March." not in snapshot_page
    assert checksum in snapshot_page
