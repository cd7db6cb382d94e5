"""The improvement plan and measures pages, for every role, with flat query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from improvement.models import ImprovementPlan, Measure, Qualifier, Rating
from inspections.models import DatePrecision
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
    home_authority,
)
from tests.pages import count_queries, keep_permissions, table_rows, text_by_id

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


def test_the_measure_page_shows_each_value_with_its_qualifier_period_and_reported_rating(client, councillor):
    measure = MeasureFactory(unit=Measure.Unit.COUNT, polarity="", target=None, amber_tolerance=None)
    MeasureValueFactory(
        measure=measure,
        period_end=dt.date(2013, 9, 1),
        period_precision=DatePrecision.MONTH,
        dated_by_report=True,
        qualifier=Qualifier.APPROXIMATELY,
        value=Decimal("200"),
    )
    MeasureValueFactory(
        measure=measure,
        period_end=dt.date(2020, 1, 1),
        period_precision=DatePrecision.YEAR,
        period_label="In one quarter",
        dated_by_report=True,
        qualifier=Qualifier.INCREASE,
        value=Decimal("23"),
    )
    MeasureValueFactory(
        measure=measure,
        period_end=dt.date(2022, 2, 21),
        dated_by_report=True,
        value=Decimal("60"),
        reported_rating=Rating.GREEN,
        reported_rating_risk="Amber or Red",
    )
    MeasureValueFactory(measure=measure, period_end=dt.date(2013, 4, 1), period_precision=DatePrecision.MONTH)
    client.force_login(councillor)

    page = client.get(measure.get_absolute_url()).content.decode()

    # Each value with its period as the source gives it, the source's qualifier and its reported RAG.
    notes = text_by_id(page, "value-notes")
    for reading in [
        "As reported on 21 February 2022: 60 RAG as reported: Green, at risk of Amber or Red",
        "In one quarter, as reported in 2020: an increase of 23",  # not "2020"
        "As reported in September 2013: approximately 200",
        "April 2013: 75",
    ]:
        assert reading in notes
    # The chart's table reads the same.
    assert ["In one quarter, as reported in 2020", "an increase of 23"] in table_rows(page)
    # The rating is a word with a shape, not a colour alone.
    assert '<strong class="app-rag app-rag--green">Green</strong>' in page
    assert text_by_id(page, "polarity") == "Not set: the sources do not say whether higher or lower is better."


def test_the_loaded_record_reads_as_its_sources_word_it(client, councillor):
    call_command("load_letters", verbosity=0)
    client.force_login(councillor)
    carefirst = Measure.objects.get(reference="dcc-2013-carefirst-system-accessibility")

    detail = client.get(carefirst.get_absolute_url()).content.decode()
    listing = client.get(reverse("improvement:measure_list")).content.decode()
    earlier_plan = ImprovementPlan.objects.get(reference="2020-improvement-plan")
    listing += client.get(reverse("improvement:measure_list"), {"plan": earlier_plan.pk}).content.decode()

    # "over 99.6% over the last 12 months", in a report of September 2013 that gives no date.
    assert ["Over the last 12 months, as reported in September 2013", "more than 99.6%"] in table_rows(detail)
    # The list shows each latest value with its qualifier and its period too.
    latest = {row[0]: row[1:3] for row in table_rows(listing)}
    assert latest["CareFirst system accessibility"] == [
        "more than 99.6%",
        "Over the last 12 months, as reported in September 2013",
    ]
    assert latest["Newly Qualified Social Workers (NQSWs) appointed"] == [
        "an increase of 23",
        "As reported on 21 February 2022",
    ]
    assert latest["Assessments per week"] == ["approximately 200", "As reported in September 2013"]
    assert latest["Practice evaluations judged good"] == ["21%", "In one quarter, as reported in 2020"]


def test_query_counts_do_not_grow_with_the_data(client, councillor):
    client.force_login(councillor)
    keep_permissions(client)
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
