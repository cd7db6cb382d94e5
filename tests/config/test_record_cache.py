"""Caching that stays correct (config/record_cache.py): the database replaces the record's token
with every write, however it is made, and a cached page is worked out afresh on the next request."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config import record_cache
from config.models import RecordVersion
from config.roles import OFFICERS
from improvement.models import ImprovementPlan, Priority, Rating
from inspections.models import Theme
from tests.factories import (
    FindingFactory,
    ImprovementPlanFactory,
    MeasureFactory,
    MeasureValueFactory,
    MeetingFactory,
    PriorityFactory,
    ThemeFactory,
    UserFactory,
    home_authority,
)
from tests.pages import count_queries, text_by_id

pytestmark = pytest.mark.django_db


def triggered_tables():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
                [record_cache.TRIGGER],
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{record_cache.TRIGGER}_%"],
            )
        return {table for (table,) in cursor.fetchall()}


def test_every_table_of_the_record_and_the_accounts_have_the_trigger():
    tables = set(record_cache.record_tables())
    # Many-to-many and history tables are the record too.
    assert {"improvement_progressupdate", "improvement_action_findings", "scrutiny_historicalrecommendation"} <= tables
    # And who may do what: each user's permissions are kept in the cache too.
    assert {"auth_user_groups", "auth_group_permissions", "auth_user_user_permissions"} <= tables
    assert tables | {"auth_user"} <= triggered_tables()
    assert "django_session" not in triggered_tables()


def make_theme():
    ThemeFactory()


def update_a_queryset():
    Priority.objects.update(title="Renamed by QuerySet.update")


def bulk_create():
    Theme.objects.bulk_create([Theme(name="Bulk one", slug="bulk-one"), Theme(name="Bulk two", slug="bulk-two")])


def delete():
    Theme.objects.all().delete()


def link_a_finding():
    finding = FindingFactory()
    before = record_cache.current_token()
    Priority.objects.get().findings.add(finding)
    assert record_cache.current_token() != before


def raw_sql():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE inspections_theme SET name = name || ' (raw)'")


def rename_an_account():
    user = UserFactory()
    user.first_name = "Renamed"
    user.save(update_fields=["first_name"])


@pytest.fixture
def record():
    ThemeFactory()
    PriorityFactory()
    return UserFactory()


@pytest.mark.parametrize(
    "write", [make_theme, update_a_queryset, bulk_create, delete, link_a_finding, raw_sql, rename_an_account]
)
def test_every_kind_of_write_replaces_the_token(record, write):
    before, roles_before = record_cache.current_token(), record_cache.current_token(RecordVersion.ROLES)
    write()
    assert record_cache.current_token() not in {before, None}
    # Who may do what is unchanged: each user's permissions stay cached.
    assert record_cache.current_token(RecordVersion.ROLES) == roles_before


def give_a_role(user):
    Group.objects.get(name=OFFICERS).user_set.add(user)


def take_a_permission_from_a_role(user):
    Group.objects.get(name=OFFICERS).permissions.remove(Permission.objects.get(codename="add_progressupdate"))


def give_a_permission_of_ones_own(user):
    user.user_permissions.add(Permission.objects.get(codename="add_progressupdate"))


@pytest.mark.parametrize("write", [give_a_role, take_a_permission_from_a_role, give_a_permission_of_ones_own])
def test_a_change_of_who_may_do_what_replaces_both_tokens(record, roles, write):
    before, roles_before = record_cache.current_token(), record_cache.current_token(RecordVersion.ROLES)
    write(record)
    assert record_cache.current_token() not in {before, None}
    assert record_cache.current_token(RecordVersion.ROLES) not in {roles_before, None}


def test_a_role_given_or_taken_away_applies_from_the_next_request(client, record, roles):
    """Each user's permissions are kept in the record cache: never past a change of role."""
    client.force_login(record)
    assert client.get(reverse("my_work")).status_code == 403
    assert client.get(reverse("my_work")).status_code == 403

    officers = Group.objects.get(name=OFFICERS)
    officers.user_set.add(record)
    assert client.get(reverse("my_work")).status_code == 200

    officers.permissions.remove(Permission.objects.get(codename="add_progressupdate"))
    assert client.get(reverse("my_work")).status_code == 403


def test_signing_in_and_sessions_leave_the_token_alone(client, record):
    before = record_cache.current_token()
    record.last_login = timezone.now()
    record.save(update_fields=["last_login"])
    client.force_login(record)
    assert record_cache.current_token() == before


class TestCached:
    def compute(self):
        self.calls += 1
        return f"worked out {self.calls} times"

    @pytest.fixture(autouse=True)
    def calls(self, record):
        self.calls = 0

    def test_worked_out_once_while_the_record_is_unchanged(self):
        assert record_cache.cached("page", self.compute) == "worked out 1 times"
        assert record_cache.cached("page", self.compute) == "worked out 1 times"
        assert record_cache.cached("another-page", self.compute) == "worked out 2 times"

    def test_worked_out_again_after_a_write(self):
        record_cache.cached("page", self.compute)
        ThemeFactory()
        assert record_cache.cached("page", self.compute) == "worked out 2 times"

    def test_worked_out_again_the_next_day(self, monkeypatch):
        record_cache.cached("page", self.compute)
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        monkeypatch.setattr(record_cache.timezone, "localdate", lambda: tomorrow)
        assert record_cache.cached("page", self.compute) == "worked out 2 times"

    def test_nothing_is_cached_without_a_token(self):
        RecordVersion.objects.all().delete()
        record_cache.cached("page", self.compute)
        assert record_cache.cached("page", self.compute) == "worked out 2 times"


@pytest.fixture
def plan():
    plan = ImprovementPlanFactory(authority=home_authority(), status=ImprovementPlan.Status.CURRENT)
    PriorityFactory(plan=plan, title="Recruitment")
    return plan


def test_a_rating_shows_on_the_overview_at_once(client, councillor, officer, plan):
    client.force_login(councillor)
    assert "Not rated 1" in text_by_id(client.get(reverse("home")).content.decode(), "rating-counts")

    plan.priorities.get().record_rating(by=officer, rating=Rating.RED, commentary="Behind plan.")

    assert "Red 1" in text_by_id(client.get(reverse("home")).content.decode(), "rating-counts")


def test_the_overview_is_worked_out_once_and_names_whoever_reads_it(client, councillor, officer, plan):
    client.force_login(officer)
    first = count_queries(client, reverse("home"))
    again = count_queries(client, reverse("home"))
    assert again < first and again <= 6

    client.force_login(councillor)
    page = client.get(reverse("home")).content.decode()
    assert councillor.get_full_name() in text_by_id(page, "signed-in-as")
    assert officer.get_full_name() not in page


def test_a_rating_shows_in_the_briefing_pack_at_once(client, councillor, officer, plan):
    # The record holds something from before the window: the pack can say what changed since.
    MeasureValueFactory(period_end=timezone.localdate() - dt.timedelta(days=365))
    previous = MeetingFactory(date=timezone.localdate() - dt.timedelta(days=30))
    meeting = MeetingFactory(committee=previous.committee, date=timezone.localdate())
    url = reverse("scrutiny:briefing_pack", args=[meeting.pk])
    client.force_login(councillor)
    assert "Behind plan." not in client.get(url).content.decode()

    plan.priorities.get().record_rating(by=officer, rating=Rating.RED, commentary="Behind plan.")

    assert "Behind plan." in client.get(url).content.decode()


class TestCachedPages:
    """Pages whose content the cache holds: a priority's, a measure's and a finding's."""

    def test_a_rating_shows_on_the_prioritys_page_at_once(self, client, councillor, officer, plan):
        priority = plan.priorities.get()
        client.force_login(councillor)
        assert "Behind plan." not in client.get(priority.get_absolute_url()).content.decode()

        priority.record_rating(by=officer, rating=Rating.RED, commentary="Behind plan.")

        assert "Behind plan." in client.get(priority.get_absolute_url()).content.decode()

    def test_a_value_shows_on_the_measures_page_at_once(self, client, councillor, officer):
        measure = MeasureFactory()
        client.force_login(councillor)
        assert "61.5" not in text_by_id(client.get(measure.get_absolute_url()).content.decode(), "main-content")

        measure.record_value(by=officer, period_end=timezone.localdate(), value=Decimal("61.5"))

        assert "61.5" in text_by_id(client.get(measure.get_absolute_url()).content.decode(), "main-content")

    def test_what_one_role_may_do_is_never_shown_to_another(self, client, councillor, officer):
        urls = [record.get_absolute_url() for record in (PriorityFactory(), MeasureFactory(), FindingFactory())]
        client.force_login(officer)
        for url in urls:
            assert 'id="edit-controls"' in client.get(url).content.decode()
        client.force_login(councillor)
        for url in urls:
            page = client.get(url).content.decode()
            assert 'id="edit-controls"' not in page
            assert councillor.get_full_name() in page

    def test_the_content_is_worked_out_once(self, client, councillor):
        finding = FindingFactory()
        client.force_login(councillor)
        first = count_queries(client, finding.get_absolute_url())
        assert count_queries(client, finding.get_absolute_url()) < first

    def test_an_unknown_record_is_not_found(self, client, councillor):
        client.force_login(councillor)
        assert client.get(reverse("improvement:priority_detail", args=[999999])).status_code == 404
        assert client.get(reverse("improvement:measure_detail", args=[999999])).status_code == 404
        assert client.get(reverse("inspections:finding_detail", args=[999999])).status_code == 404

    def test_a_page_holding_a_csrf_token_is_refused(self, rf, councillor):
        request = rf.get("/")
        request.user = councillor

        def work_out():
            return "A form", [], "registration/account.html", {"person": None}

        with pytest.raises(ValueError, match="CSRF"):
            record_cache.cached_page(request, "form", work_out)
