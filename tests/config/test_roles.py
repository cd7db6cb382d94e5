"""The three roles: the groups the data migration makes, their permissions, and the personas."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from config.demo import ensure_roles
from config.roles import ADMINISTRATORS, COUNCILLORS, OFFICERS, role_of
from tests.factories import PriorityFactory, UserFactory

pytestmark = pytest.mark.django_db

APPEND_ONLY = {"progressupdate", "scrutinyactionupdate", "duedatechange", "fixtureload"}
# Published briefing packs and their approvals: only viewed as models; published and approved by
# verbs of their own, with permissions of their own.
PUBLISHED = {"briefingpackversion", "briefingpackapproval"}


def permissions_of(group_name):
    """(app_label, codename) pairs the group holds."""
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def domain_models(app_label):
    """Model names of an app, without django-simple-history's historical models."""
    return {
        model._meta.model_name
        for model in apps.get_app_config(app_label).get_models()
        if not model._meta.model_name.startswith("historical")
    }


class TestGroups:
    def test_the_migrations_create_the_three_groups(self):
        assert set(Group.objects.values_list("name", flat=True)) >= {OFFICERS, COUNCILLORS, ADMINISTRATORS}

    def test_the_migrations_and_the_code_agree(self):
        made_by_migrations = {name: permissions_of(name) for name in (OFFICERS, COUNCILLORS, ADMINISTRATORS)}
        ensure_roles()
        assert {name: permissions_of(name) for name in made_by_migrations} == made_by_migrations


class TestCouncillors:
    def test_they_may_only_view(self):
        permissions = permissions_of(COUNCILLORS)
        assert permissions
        assert {codename.split("_", 1)[0] for _, codename in permissions} == {"view"}

    def test_they_may_view_every_domain_model(self):
        permissions = permissions_of(COUNCILLORS)
        for app_label in ("inspections", "improvement", "scrutiny"):
            for model in domain_models(app_label):
                assert (app_label, f"view_{model}") in permissions

    def test_they_may_not_read_the_audit_history(self):
        assert not {codename for _, codename in permissions_of(COUNCILLORS) if "historical" in codename}


class TestOfficers:
    @pytest.mark.parametrize("app_label", ["improvement", "scrutiny"])
    def test_they_add_and_change_the_plan_and_scrutiny(self, app_label):
        permissions = permissions_of(OFFICERS)
        for model in domain_models(app_label) - PUBLISHED:
            assert (app_label, f"view_{model}") in permissions
            assert (app_label, f"add_{model}") in permissions
            if model not in APPEND_ONLY:
                assert (app_label, f"change_{model}") in permissions, model

    def test_they_only_view_inspections(self):
        inspections = {codename for app, codename in permissions_of(OFFICERS) if app == "inspections"}
        assert inspections == {f"view_{model}" for model in domain_models("inspections")}

    def test_they_cannot_change_or_delete_progress_updates(self):
        permissions = permissions_of(OFFICERS)
        for app_label, model in [("improvement", "progressupdate"), ("scrutiny", "scrutinyactionupdate")]:
            assert (app_label, f"add_{model}") in permissions
            assert (app_label, f"change_{model}") not in permissions
            assert (app_label, f"delete_{model}") not in permissions

    def test_they_delete_nothing(self):
        assert not {codename for _, codename in permissions_of(OFFICERS) if codename.startswith("delete_")}

    def test_they_cannot_load_fixtures_or_manage_users(self):
        permissions = permissions_of(OFFICERS)
        assert ("inspections", "load_fixtures") not in permissions
        assert not {app for app, _ in permissions} & {"auth", "admin", "sessions", "contenttypes"}


class TestBriefingPacks:
    def test_officers_and_administrators_publish_and_only_administrators_approve(self):
        assert ("scrutiny", "publish_briefingpack") in permissions_of(OFFICERS)
        assert ("scrutiny", "approve_briefingpack") not in permissions_of(OFFICERS)
        assert {("scrutiny", "publish_briefingpack"), ("scrutiny", "approve_briefingpack")} <= permissions_of(
            ADMINISTRATORS
        )
        assert not {codename for _, codename in permissions_of(COUNCILLORS) if "briefingpack" in codename} - {
            "view_briefingpackversion",
            "view_briefingpackapproval",
        }

    @pytest.mark.parametrize("group_name", [OFFICERS, COUNCILLORS, ADMINISTRATORS])
    def test_nobody_adds_changes_or_deletes_a_published_pack_as_a_model(self, group_name):
        for model in PUBLISHED:
            for action in ("add", "change", "delete"):
                assert ("scrutiny", f"{action}_{model}") not in permissions_of(group_name)


class TestAdministrators:
    def test_they_load_fixtures(self):
        assert ("inspections", "load_fixtures") in permissions_of(ADMINISTRATORS)

    def test_they_change_and_delete_inspections(self):
        permissions = permissions_of(ADMINISTRATORS)
        for model in domain_models("inspections") - APPEND_ONLY:
            for action in ("view", "add", "change", "delete"):
                assert ("inspections", f"{action}_{model}") in permissions

    def test_they_cannot_change_or_delete_history(self):
        permissions = permissions_of(ADMINISTRATORS)
        for app_label, model in [
            ("improvement", "progressupdate"),
            ("scrutiny", "scrutinyactionupdate"),
            ("inspections", "fixtureload"),
        ]:
            assert (app_label, f"view_{model}") in permissions
            assert (app_label, f"change_{model}") not in permissions
            assert (app_label, f"delete_{model}") not in permissions

    def test_they_read_the_audit_history_and_the_users(self):
        permissions = permissions_of(ADMINISTRATORS)
        assert ("improvement", "view_historicalaction") in permissions
        assert ("improvement", "change_historicalaction") not in permissions
        assert {("auth", "view_user"), ("auth", "view_group")} <= permissions
        assert ("auth", "change_user") not in permissions


class TestPersonas:
    def test_an_officer_changes_actions(self, officer):
        assert officer.has_perm("improvement.change_action")
        assert officer.has_perm("scrutiny.add_scrutinyaction")
        assert officer.has_perm("improvement.add_progressupdate")
        assert not officer.has_perm("improvement.change_progressupdate")
        assert not officer.has_perm("inspections.change_finding")
        assert officer.has_perm("inspections.view_finding")
        assert not officer.has_perm("inspections.load_fixtures")

    def test_a_councillor_only_views(self, councillor):
        assert not councillor.has_perm("improvement.change_action")
        assert not councillor.has_perm("improvement.add_progressupdate")
        assert councillor.has_perm("improvement.view_action")
        assert councillor.has_perm("scrutiny.view_meeting")

    def test_an_administrator_loads_and_corrects_the_record(self, admin):
        assert admin.has_perm("inspections.load_fixtures")
        assert admin.has_perm("inspections.change_inspection")
        assert admin.has_perm("improvement.change_action")
        assert not admin.has_perm("improvement.change_progressupdate")
        assert not admin.has_perm("improvement.delete_progressupdate")
        assert not admin.is_superuser

    def test_only_the_administrator_is_staff(self, officer, councillor, admin):
        assert admin.is_staff
        assert not officer.is_staff
        assert not councillor.is_staff


class TestRoleOf:
    def test_each_persona_has_its_label(self, officer, councillor, admin):
        assert role_of(officer) == "Officer"
        assert role_of(councillor) == "Councillor"
        assert role_of(admin) == "Administrator"

    def test_a_user_without_a_group_has_no_role(self):
        assert role_of(UserFactory()) is None

    def test_a_superuser_without_a_group_is_an_administrator(self):
        assert role_of(UserFactory(is_superuser=True)) == "Administrator"

    def test_the_most_privileged_role_wins(self, roles):
        user = UserFactory()
        user.groups.set(Group.objects.filter(name__in=[COUNCILLORS, OFFICERS]))
        assert role_of(user) == "Officer"
        user.groups.add(Group.objects.get(name=ADMINISTRATORS))
        # The role is read with the permissions, which Django keeps on the user object for the
        # request: a user read afresh (the next request) has the new role.
        assert role_of(type(user).objects.get(pk=user.pk)) == "Administrator"


def test_only_administrators_may_read_the_audit_trail():
    holding = {
        name
        for name in (OFFICERS, COUNCILLORS, ADMINISTRATORS)
        if ("inspections", "read_audit_trail") in permissions_of(name)
    }
    assert holding == {ADMINISTRATORS}


class TestRoleBackend:
    """Permissions and role come from one query, and mean what ModelBackend's do."""

    def test_role_and_permissions_in_one_query_kept_while_roles_are_unchanged(self, officer, django_assert_num_queries):
        # The roles' token, then the role and permissions in one query.
        with django_assert_num_queries(2):
            assert role_of(officer) == "Officer"
            assert officer.has_perm("improvement.change_action")
            assert not officer.has_perm("inspections.change_inspection")
        # The next request's copy of the user: the token only, the rest from the record cache,
        # even after a write to the record (which replaces the record's token, not the roles').
        PriorityFactory()
        again = type(officer).objects.get(pk=officer.pk)
        with django_assert_num_queries(1):
            assert role_of(again) == "Officer"
            assert again.has_perm("improvement.change_action")
            assert not again.has_perm("inspections.change_inspection")

    def test_a_users_own_permission_counts_beside_the_groups(self, councillor):
        councillor.user_permissions.add(Permission.objects.get(codename="change_action"))
        councillor = type(councillor).objects.get(pk=councillor.pk)
        assert councillor.has_perm("improvement.change_action")
        assert councillor.has_perm("improvement.view_action")
        assert role_of(councillor) == "Councillor"

    def test_a_superuser_holds_every_permission(self):
        user = UserFactory(is_superuser=True)
        assert user.get_all_permissions() == {
            f"{app}.{code}" for app, code in Permission.objects.values_list("content_type__app_label", "codename")
        }

    def test_an_inactive_user_holds_none(self, officer):
        officer.is_active = False
        assert not officer.has_perm("improvement.change_action")
        assert officer.get_all_permissions() == set()
