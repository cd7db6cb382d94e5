"""The improvement plan and measures pages, for every role, with flat query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from improvement.models import Rating
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    MeasureFactory,
    MeasureValueFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    home_authority,
)
from tests.pages import count_queries

pytestmark = pytest.mark.django_db


def plan_with_priorities(n):
    plan = ImprovementPlanFactory(authority=home_authority())
    for _ in range(n):
        priority = PriorityFactory(plan=plan, findings=[FindingFactory()])
        ProgressUpdateFactory(priority=priority, action=None, rating=Rating.AMBER)
        ProgressUpdateFactory(action=ActionFactory(priority=priority), rating=Rating.RED)
    return plan


def measure_with_values(values):
    measure = MeasureFactory()
    for day, value in enumerate(values, start=1):
        MeasureValueFactory(measure=measure, period_end=dt.date(2022, 1, day), value=Decimal(value))
    return measure


@pytest.mark.parametrize("persona", ["officer", "councillor", "admin"])
def test_every_role_reads_the_plan(client, request, persona):
    plan = plan_with_priorities(1)
    priority = plan.priorities.get()
    client.force_login(request.getfixturevalue(persona))

    page = client.get(reverse("improvement:plan")).content.decode()
    detail = client.get(priority.get_absolute_url()).content.decode()

    assert plan.title in page and priority.title in page
    # The rating is a word with a shape, not a colour alone.
    assert '<strong class="app-rag app-rag--amber">Amber</strong>' in page
    assert '<strong class="app-rag app-rag--red">Red</strong>' in detail


def test_the_measures_page_shows_latest_value_rating_and_direction(client, councillor):
    measure = measure_with_values(["70", "78"])
    client.force_login(councillor)

    page = client.get(reverse("improvement:measure_list")).content.decode()
    detail = client.get(measure.get_absolute_url()).content.decode()

    assert measure.title in page
    assert "78%" in page and "Improving" in page
    assert '<strong class="app-rag app-rag--amber">Amber</strong>' in page
    assert "70%" in detail and "78%" in detail


def test_query_counts_do_not_grow_with_the_data(client, councillor):
    client.force_login(councillor)
    plan_with_priorities(1)
    small_measure = measure_with_values(["1", "2"])
    small_priority = plan_with_priorities(1).priorities.get()
    counts = {
        "plan": count_queries(client, reverse("improvement:plan")),
        "measures": count_queries(client, reverse("improvement:measure_list")),
        "measure": count_queries(client, small_measure.get_absolute_url()),
        "priority": count_queries(client, small_priority.get_absolute_url()),
    }

    plan_with_priorities(6)
    large_measure = measure_with_values([str(n) for n in range(1, 20)])
    large_priority = plan_with_priorities(1).priorities.get()
    for _ in range(4):
        ActionFactory(priority=large_priority)
        MeasureFactory(priority=large_priority)

    assert count_queries(client, reverse("improvement:plan")) == counts["plan"]
    assert count_queries(client, reverse("improvement:measure_list")) == counts["measures"]
    assert count_queries(client, large_measure.get_absolute_url()) == counts["measure"]
    assert count_queries(client, large_priority.get_absolute_url()) == counts["priority"]


def test_the_admin_refuses_an_action_that_answers_nothing_without_a_reason(client, admin):
    priority = PriorityFactory()
    client.force_login(admin)
    form = {
        "priority": priority.pk,
        "number": 1,
        "description": "Review thresholds.",
        "status": "not_started",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }

    refused = client.post(reverse("admin:improvement_action_add"), form)

    assert refused.status_code == 200
    assert "Say why this action answers no Ofsted finding" in refused.content.decode()
    assert not priority.actions.exists()

    accepted = client.post(
        reverse("admin:improvement_action_add"), {**form, "no_finding_reason": "Raised by scrutiny."}
    )

    assert accepted.status_code == 302
    assert priority.actions.get().no_finding_reason == "Raised by scrutiny."
    # The change is attributable: who made it is in the action's history.
    assert priority.actions.get().history.get().history_user == admin
