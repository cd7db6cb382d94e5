"""The audit trail (/audit/): every write path shows up with who, when, before and after;
Administrators only; read-only; a fixed number of queries however long the trail."""

import copy
import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from config.audit import Path
from improvement.models import BulkUpdate, Priority, Rating
from inspections.loading import FixtureFile, load_and_record, record_preview
from inspections.models import FixtureLoad
from scrutiny.models import ScrutinyAction
from tests.admin_forms import form_data
from tests.factories import (
    BulkUpdateFactory,
    CommitteeFactory,
    FindingFactory,
    FixtureLoadFactory,
    MeasureValueFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ScrutinyActionFactory,
    UserFactory,
)
from tests.inspections import fixture_samples as samples
from tests.officer_pages import text_of
from tests.pages import _bulk_update, confirm_load, count_queries, keep_permissions

pytestmark = pytest.mark.django_db

URL = "/audit/"


def entries(client, **filters):
    response = client.get(URL, filters)
    assert response.status_code == 200
    return [row.record for row in response.context["table"].page.object_list]


def changes(entry):
    return {change.name: (change.before, change.after) for change in entry.changes}


@pytest.fixture
def priority():
    priority = PriorityFactory(title="Voice of the child")
    ProgressUpdateFactory(priority=priority, action=None, rating=Rating.GREEN, commentary="On track.")
    return priority


def test_a_rating_on_an_officers_page_shows_who_when_before_and_after(client, officer, admin, priority):
    client.force_login(officer)
    rate = reverse("improvement:priority_rate", args=[priority.pk])
    response = client.post(rate, {"version": 1, "rating": "amber", "commentary": "Participation fell."})
    assert response.status_code == 302

    client.force_login(admin)
    [entry, *_] = entries(client)

    assert entry.who == "Olivia Officer" and entry.path == Path.PAGE
    assert entry.subject == str(priority) and entry.url == priority.get_absolute_url()
    assert changes(entry)["Rating"] == ("Green", "Amber")
    assert entry.text == "Participation fell."
    assert abs(entry.at - priority.updates.first().recorded_at) < dt.timedelta(seconds=1)
    page = text_of(client.get(URL))
    assert "Officer's page" in page and "Green → changed to Amber" in page


def test_an_admin_change_shows_each_field_before_and_after(client, admin, priority):
    client.force_login(admin)
    change_url = reverse("admin:improvement_priority_change", args=[priority.pk])
    data = form_data(client.get(change_url))
    response = client.post(change_url, {**data, "title": "Voice and influence of children"})
    assert response.status_code == 302, response.content.decode()[:2000]

    [entry, *_] = entries(client)

    assert entry.who == "Ada Administrator" and entry.path == Path.ADMIN and entry.what == "Changed"
    assert changes(entry) == {"Title": ("Voice of the child", "Voice and influence of children")}


def test_an_admin_change_to_a_record_without_history_names_the_fields(client, admin):
    committee = CommitteeFactory(name="Children's Scrutiny Committee")
    client.force_login(admin)
    change_url = reverse("admin:scrutiny_committee_change", args=[committee.pk])
    data = form_data(client.get(change_url))
    assert client.post(change_url, {**data, "purpose": "Scrutiny of children's services."}).status_code == 302

    [entry] = entries(client)

    assert entry.path == Path.ADMIN and entry.who == "Ada Administrator"
    assert entry.what == "Changed committee" and entry.subject == "Children's Scrutiny Committee"
    assert "Purpose" in entry.text
    assert changes(entry) == {"Purpose": (committee.purpose or "—", "Scrutiny of children's services.")}


def test_an_admin_change_to_a_finding_shows_its_values_before_and_after(client, admin):
    finding = FindingFactory(text="Assessments are not timely.")
    client.force_login(admin)
    change_url = reverse("admin:inspections_finding_change", args=[finding.pk])
    data = form_data(client.get(change_url))
    assert client.post(change_url, {**data, "text": "Assessments are timely."}).status_code == 302

    [entry] = entries(client)

    assert changes(entry) == {"Text": ("Assessments are not timely.", "Assessments are timely.")}


def test_a_bulk_update_shows_the_file_and_each_change_it_made(client, officer, admin):
    upload = _bulk_update(officer, apply=True)

    client.force_login(admin)
    listed = entries(client, path=Path.BULK)

    applied = [entry for entry in listed if entry.subject == f"Bulk update {upload.pk}"]
    assert applied and applied[0].what == f"Applied {upload.file_name}" and applied[0].who == "Olivia Officer"
    [rating] = [entry for entry in listed if "Rating" in changes(entry)]
    assert changes(rating)["Rating"] == ("Amber", "Green") and rating.who == "Olivia Officer"
    assert {entry.path for entry in listed} == {Path.BULK}


def test_a_fixture_load_shows_who_confirmed_it_and_each_field_it_changed(client, admin):
    load_and_record([FixtureFile("first.json", json.dumps(samples.valid_records()).encode())])
    records = copy.deepcopy(samples.valid_records())
    records[1]["fields"]["title"] = "Second monitoring visit to Testshire"
    preview = record_preview(FixtureFile("second.json", json.dumps(records).encode()), user=admin)

    client.force_login(admin)
    confirm_load(client, reverse("admin:inspections_fixtureload_confirm", args=[preview.pk]))
    [entry, command_load] = entries(client, path=Path.FIXTURE)

    assert entry.who == "Ada Administrator" and entry.what == "Loaded second.json"
    assert changes(entry) == {
        f"{records[1]['fields']['title']}: title": (
            "Monitoring visit to Testshire children's services",
            "Second monitoring visit to Testshire",
        )
    } or list(changes(entry).values()) == [
        ("Monitoring visit to Testshire children's services", "Second monitoring visit to Testshire")
    ]
    assert command_load.who.startswith("No user") and command_load.what == "Loaded first.json"


def test_a_letter_import_is_told_apart_from_other_fixture_loads(admin, client):
    preview = record_preview(
        FixtureFile("letter-testshire-2024-05-20.json", json.dumps(samples.valid_records()).encode()),
        user=admin,
        via=FixtureLoad.Via.LETTER,
    )
    load_and_record([FixtureFile.of_preview(preview)], preview=preview, user=admin)

    client.force_login(admin)
    [entry] = entries(client)

    assert entry.path == Path.LETTER and entry.who == "Ada Administrator"
    assert "Inspection: 1 created" in entry.text


def test_filters_narrow_by_who_kind_of_record_path_and_day(client, officer, admin, priority):
    priority.record_rating(by=officer, rating=Rating.RED, commentary="Slipped.")
    other = UserFactory()
    CommitteeFactory()
    client.force_login(admin)

    assert len(entries(client, user=officer.pk)) == 1
    assert entries(client, user=other.pk) == []
    # The priority's creation (by a factory: no user) and its rating.
    assert [entry.what for entry in entries(client, record="improvement.priority")] == ["Progress update", "Created"]
    assert entries(client, record="scrutiny.committee") == []
    assert len(entries(client, path=Path.PAGE)) == 1
    # The factories' plan and priority, made without a user.
    assert [entry.what for entry in entries(client, path=Path.OTHER)] == ["Created", "Created"]
    assert entries(client, path=Path.ADMIN) == []
    today = dt.date.today()
    assert len(entries(client, start=f"{today:%d/%m/%Y}", end=f"{today:%d/%m/%Y}")) == 3
    assert entries(client, end=f"{today - dt.timedelta(days=1):%d/%m/%Y}") == []


def test_a_bad_filter_is_shown_as_an_error_and_lists_nothing(client, admin, officer, priority):
    priority.record_rating(by=officer, rating=Rating.RED, commentary="Slipped.")
    client.force_login(admin)

    response = client.get(URL, {"start": "31/2/2022"})

    assert response.status_code == 200
    assert text_of(response).startswith("Error: Audit trail (0)")
    assert "From must be a real date" in text_of(response)
    assert list(response.context["table"].page.object_list) == []


def test_only_administrators_may_read_it(client, officer, councillor, admin):
    assert client.get(URL).status_code == 302
    assert client.get(URL).url.startswith(reverse("login"))
    for user in (officer, councillor):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert URL not in client.get("/").content.decode()
    client.force_login(admin)
    assert client.get(URL).status_code == 200
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_it_cannot_be_written_to(client, admin, officer, priority):
    priority.record_rating(by=officer, rating=Rating.RED, commentary="Slipped.")
    client.force_login(admin)

    assert client.post(URL, {"user": admin.pk}).status_code == 405
    # The filters are a GET form; the only form that posts is the header's sign-out.
    html = client.get(URL).content.decode()
    assert re.findall(r'<form[^>]*method="(\w+)"[^>]*action="([^"]*)"', html) == [("post", "/sign-out/"), ("get", URL)]


def changes_of_every_kind(officer, admin, rounds):
    """`rounds` times one change from each source the trail reads, to records made for the
    round (so that each round has the records' creation too): a rating, a history row with a
    changed reference, a measure value recorded and corrected, a scrutiny action's update, a
    fixture load, a bulk update and an admin change to a record without history."""
    for turn in range(rounds):
        priority, value, scrutiny_action, committee = (
            PriorityFactory(),
            MeasureValueFactory(value=Decimal("60")),
            ScrutinyActionFactory(),
            CommitteeFactory(),
        )
        priority.record_rating(by=officer, rating=[Rating.RED, Rating.AMBER][turn % 2], commentary=f"Turn {turn}.")
        priority.refresh_from_db()
        priority.lead = PersonFactory()
        priority._change_reason, priority._history_user = "Lead changed (via admin)", admin
        priority.save()
        value.correct(by=officer, value=Decimal("61"), reason="Late returns.")
        scrutiny_action.record_progress(
            by=officer, commentary=f"Turn {turn}.", status=ScrutinyAction.Status.IN_PROGRESS
        )
        FixtureLoadFactory(
            status=FixtureLoad.Status.LOADED,
            loaded_at=timezone.now(),
            confirmed_by=admin,
            changes=[
                {
                    "model": "inspections.inspection",
                    "key": [],
                    "object": "A visit",
                    "fields": {"title": {"old": "a", "new": "b"}},
                }
            ],
        )
        BulkUpdateFactory(
            uploaded_by=officer, status=BulkUpdate.Status.APPLIED, applied_at=timezone.now(), counts={"changed": 1}
        )
        LogEntry.objects.create(
            user=admin,
            content_type=ContentType.objects.get_for_model(committee),
            object_id=str(committee.pk),
            object_repr=str(committee),
            action_flag=CHANGE,
            change_message=json.dumps([{"changed": {"fields": ["Purpose"]}}]),
        )


def test_the_number_of_queries_does_not_grow_with_the_trail(client, officer, admin):
    client.force_login(admin)
    keep_permissions(client)
    changes_of_every_kind(officer, admin, 1)
    few = count_queries(client, URL)
    kinds = {entry.what for entry in entries(client)}

    changes_of_every_kind(officer, admin, 10)
    more = count_queries(client, URL)

    listed = entries(client)
    assert len(listed) == 25 and set(Path) - {entry.path for entry in listed} == {Path.LETTER}
    assert {entry.what for entry in listed} == kinds
    assert more == few


def test_the_first_change_to_a_loaded_record_says_why_it_has_no_before(client, admin):
    records = [samples.AUTHORITY, samples.PLAN, samples.PRIORITY]
    load_and_record([FixtureFile("plan.json", json.dumps(records).encode())])
    priority = Priority.objects.get(reference="voice")
    priority.lead_role = "Head of participation"
    priority._history_user = admin
    priority.save()

    client.force_login(admin)
    [entry, _load] = entries(client)

    assert entry.subject == str(priority) and entry.changes == []
    assert entry.text == "Its earlier values were not kept: the record came from a fixture load."
