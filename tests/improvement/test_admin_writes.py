"""The admin writes plan data only through the verbs, or not at all: regressions for the
faults of issue 17 (an inline completion that crashed, an inline delete that deleted
nothing, a measure value saved without who recorded it), and the rest of the lead's design."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from improvement.models import VIA_ADMIN, Action, MeasureValue, Priority, ProgressUpdate
from scrutiny.models import ScrutinyAction
from tests.admin_forms import form_data
from tests.factories import (
    ActionFactory,
    FindingFactory,
    MeasureFactory,
    MeasureValueFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ScrutinyActionFactory,
)

pytestmark = pytest.mark.django_db


def change_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def opened(client, record):
    """The record's admin change form, as the page was rendered."""
    response = client.get(change_url(record))
    assert response.status_code == 200
    return form_data(response)


@pytest.fixture
def priority_with_action():
    priority = PriorityFactory()
    action = ActionFactory(priority=priority, findings=[FindingFactory()])
    return priority, action


class TestActionsInlineOnAPriority:
    def test_marking_an_action_complete_inline_is_not_offered_and_gives_no_server_error(
        self, client, admin, priority_with_action
    ):
        priority, action = priority_with_action
        client.force_login(admin)
        data = opened(client, priority)
        assert "actions-0-status" not in data  # shown read-only, with the officers' pages linked

        response = client.post(
            change_url(priority), {**data, "actions-0-status": "complete", "actions-0-description": "Renamed."}
        )

        assert response.status_code == 302
        action.refresh_from_db()
        assert (action.status, action.completed_on, action.description) == ("not_started", None, "Renamed.")
        assert action.version == 2

    def test_deleting_an_action_inline_deletes_it(self, client, admin, priority_with_action):
        priority, action = priority_with_action
        client.force_login(admin)

        response = client.post(change_url(priority), {**opened(client, priority), "actions-0-DELETE": "on"})

        assert response.status_code == 302
        assert not Action.objects.filter(pk=action.pk).exists()

    def test_deleting_an_action_with_history_inline_is_refused_with_a_clear_message(
        self, client, admin, priority_with_action
    ):
        priority, action = priority_with_action
        ProgressUpdateFactory(action=action)
        client.force_login(admin)

        response = client.post(change_url(priority), {**opened(client, priority), "actions-0-DELETE": "on"})

        assert response.status_code == 200
        assert (
            f"Deleting action {action} would require deleting the following protected related objects: "
            f"progress update {action}: Amber on 30/06/2022" in response.content.decode()
        )
        assert Action.objects.filter(pk=action.pk).exists()

    def test_an_existing_actions_due_date_and_findings_are_not_edited_inline(self, client, admin, priority_with_action):
        priority, action = priority_with_action
        client.force_login(admin)
        data = opened(client, priority)

        client.post(change_url(priority), {**data, "actions-0-due_date": "2030-01-01", "actions-0-findings": []})

        action.refresh_from_db()
        assert action.due_date == dt.date(2022, 9, 30)
        assert action.findings.count() == 1


class TestMeasureValues:
    def test_a_value_added_on_the_measure_page_records_who_added_it(self, client, admin):
        measure = MeasureFactory()
        client.force_login(admin)
        data = opened(client, measure)
        data.update(
            {
                "values-TOTAL_FORMS": "1",
                "values-0-period_end": "2022-05-31",
                "values-0-period_precision": "month",
                "values-0-value": "72",
            }
        )

        assert client.post(change_url(measure), data).status_code == 302

        value = MeasureValue.objects.get(measure=measure)
        assert (value.value, value.period_precision) == (Decimal("72"), "month")
        assert (value.recorded_by, value.recorded_via) == (admin, VIA_ADMIN)
        assert value.history.get().history_user == admin

    def test_a_value_added_on_its_own_admin_page_records_who_added_it(self, client, admin):
        measure = MeasureFactory()
        client.force_login(admin)
        data = form_data(client.get(reverse("admin:improvement_measurevalue_add")))
        data.update({"measure": measure.pk, "period_end": "2022-05-31", "period_precision": "day", "value": "64"})

        response = client.post(reverse("admin:improvement_measurevalue_add"), data)

        assert response.status_code == 302
        value = MeasureValue.objects.get(measure=measure)
        assert (value.value, value.recorded_by, value.recorded_via) == (Decimal("64"), admin, VIA_ADMIN)

    @pytest.mark.parametrize(
        ("period_end", "value", "message"),
        [
            ("2022-05-31", "120", "A percentage must be between 0 and 100."),
            ("2099-05-31", "50", "The period cannot be in the future."),
        ],
    )
    def test_a_value_the_verb_would_refuse_is_refused_in_the_admin(self, client, admin, period_end, value, message):
        measure = MeasureFactory()
        client.force_login(admin)
        data = form_data(client.get(reverse("admin:improvement_measurevalue_add")))
        data.update({"measure": measure.pk, "period_end": period_end, "period_precision": "day", "value": value})

        response = client.post(reverse("admin:improvement_measurevalue_add"), data)

        assert response.status_code == 200
        assert message in response.content.decode()
        assert not MeasureValue.objects.exists()

    def test_a_recorded_value_is_read_only_and_points_to_the_correction_page(self, client, admin):
        value = MeasureValueFactory(value=Decimal("70"))
        client.force_login(admin)
        page = client.get(change_url(value)).content.decode()
        assert reverse("improvement:value_correct", args=[value.pk]) in page

        data = opened(client, value.measure)
        response = client.post(change_url(value.measure), {**data, "values-0-value": "99"})

        assert response.status_code == 302
        value.refresh_from_db()
        assert value.value == Decimal("70")
        assert client.post(change_url(value), {"value": "99"}).status_code == 403


def test_progress_updates_are_shown_but_not_added_in_the_admin(client, admin):
    priority = PriorityFactory()
    ProgressUpdateFactory(priority=priority, action=None, commentary="As reported.")
    client.force_login(admin)
    data = opened(client, priority)
    page = client.get(change_url(priority)).content.decode()
    assert "As reported." in page
    assert reverse("improvement:priority_rate", args=[priority.pk]) in page

    data.update({"updates-TOTAL_FORMS": "2", "updates-1-rating": "red", "updates-1-commentary": "Sneaked in."})
    client.post(change_url(priority), data)

    assert list(ProgressUpdate.objects.values_list("commentary", flat=True)) == ["As reported."]


def test_an_admin_save_moves_the_version_on_and_is_attributed(client, admin):
    priority = PriorityFactory(title="Early help")
    client.force_login(admin)

    client.post(change_url(priority), {**opened(client, priority), "title": "Early help and prevention"})

    priority.refresh_from_db()
    assert (priority.title, priority.version) == ("Early help and prevention", 2)
    assert priority.history.latest().history_user == admin


def test_an_admin_form_opened_before_an_officer_saved_is_refused(client, admin, officer):
    priority = PriorityFactory(title="Early help")
    client.force_login(admin)
    data = opened(client, priority)
    Priority.objects.get(pk=priority.pk).record_rating(by=officer, rating="amber", commentary="Slipping.")

    response = client.post(change_url(priority), {**data, "title": "Renamed"})

    assert response.status_code == 200
    assert "was changed by Olivia Officer after you opened this page" in response.content.decode()
    priority.refresh_from_db()
    assert (priority.title, priority.version) == ("Early help", 2)


def test_a_measures_target_is_read_only_and_its_owner_is_set_in_the_admin(client, admin):
    from tests.factories import PersonFactory

    measure = MeasureFactory(target=Decimal("80"))
    owner = PersonFactory()
    client.force_login(admin)
    data = opened(client, measure)
    assert "target" not in data and "findings" not in data

    client.post(change_url(measure), {**data, "target": "10", "owner": owner.pk})

    measure.refresh_from_db()
    assert (measure.target, measure.owner) == (Decimal("80"), owner)


def test_an_actions_status_due_date_and_findings_are_read_only_on_its_page(client, admin):
    action = ActionFactory(findings=[FindingFactory()])
    client.force_login(admin)
    data = opened(client, action)
    assert not {"status", "completed_on", "due_date", "findings"} & set(data)
    page = client.get(change_url(action)).content.decode()
    assert reverse("improvement:action_due_date", args=[action.pk]) in page

    client.post(change_url(action), {**data, "status": "complete", "completed_on": "2022-06-01"})

    action.refresh_from_db()
    assert action.status == "not_started"


def test_a_scrutiny_actions_status_follows_its_updates_not_the_admin(client, admin):
    action = ScrutinyActionFactory()
    client.force_login(admin)
    data = opened(client, action)
    assert "status" not in data

    response = client.post(change_url(action), {**data, "status": "complete", "text": "Report caseloads monthly."})

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.text, action.version) == (ScrutinyAction.Status.OPEN, "Report caseloads monthly.", 2)
