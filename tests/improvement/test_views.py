"""The improvement plan and measures pages, for every role, with flat query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from improvement.models import Rating
from tests.factories import (
    ActionFactory,
    ComparatorValueFactory,
    FindingFactory,
    ImprovementPlanFactory,
    MeasureFactory,
    MeasureValueFactory,
    PersonFactory,
    PlanPhaseFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    SourceDocumentFactory,
    ThemeFactory,
)
from tests.pages import count_queries

pytestmark = pytest.mark.django_db


def plan_with_priorities(n):
    plan = ImprovementPlanFactory()
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


def plan_with_everything(n):
    """A plan with n of each thing its pages show: phases and priorities; each priority with a
    lead, findings, themes, rated updates by authors, actions (owned, rated, answering findings)
    and measures with values."""
    plan = ImprovementPlanFactory(independent_chair=PersonFactory())
    for number in range(1, n + 1):
        PlanPhaseFactory(plan=plan, number=number)
        priority = PriorityFactory(plan=plan, lead=PersonFactory(), findings=[FindingFactory(), FindingFactory()])
        priority.themes.add(ThemeFactory())
        for rating in (Rating.RED, Rating.AMBER):
            ProgressUpdateFactory(priority=priority, action=None, rating=rating, author=PersonFactory())
        for _ in range(n):
            action = ActionFactory(priority=priority, owner=PersonFactory(), findings=[FindingFactory()])
            ProgressUpdateFactory(action=action, rating=Rating.GREEN, author=PersonFactory())
            measure_with_everything(n, priority=priority)
    return plan


def measure_with_everything(n, **fields):
    """A measure with n of each thing its pages show: values (with sources), comparator values
    of different groups, findings and themes."""
    measure = MeasureFactory(findings=[FindingFactory() for _ in range(n)], **fields)
    for day in range(1, n + 1):
        MeasureValueFactory(measure=measure, period_end=dt.date(2022, 1, day), source=SourceDocumentFactory())
        ComparatorValueFactory(measure=measure, period_end=dt.date(2022, 1, day))
        measure.themes.add(ThemeFactory())
    return measure


def test_query_counts_do_not_grow_with_the_data(client, councillor):
    client.force_login(councillor)
    small_plan, small_measure = plan_with_everything(1), measure_with_everything(1)
    pages = {
        "plan": lambda plan, measure: reverse("improvement:plan"),
        "priority": lambda plan, measure: plan.priorities.first().get_absolute_url(),
        "measures": lambda plan, measure: reverse("improvement:measure_list"),
        "measure": lambda plan, measure: measure.get_absolute_url(),
    }
    small = {name: count_queries(client, url(small_plan, small_measure)) for name, url in pages.items()}

    large_plan, large_measure = plan_with_everything(5), measure_with_everything(8)
    plan_with_everything(2)

    assert {name: count_queries(client, url(large_plan, large_measure)) for name, url in pages.items()} == small


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
