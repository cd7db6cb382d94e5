"""The plan's list pages: priorities, actions and measures. Each filter, the default plan,
sorting, pagination, exports and query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from improvement.models import Action, ImprovementPlan, Measure, Rating
from inspections.models import DatePrecision
from inspections.themes import sync_themes
from tests.factories import (
    ActionFactory,
    AuthorityFactory,
    ImprovementPlanFactory,
    MeasureFactory,
    MeasureValueFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ThemeFactory,
)
from tests.lists import exported, headers, listed, queries_to_build

pytestmark = pytest.mark.django_db

PRIORITIES = reverse("improvement:priority_list")
ACTIONS = reverse("improvement:action_list")
MEASURES = reverse("improvement:measure_list")


@pytest.fixture
def home(settings):
    return AuthorityFactory(short_name=settings.HOME_AUTHORITY)


@pytest.fixture
def plan(home):
    return ImprovementPlanFactory(authority=home, status=ImprovementPlan.Status.CURRENT)


@pytest.fixture
def earlier_plan(home):
    return ImprovementPlanFactory(
        authority=home,
        status=ImprovementPlan.Status.EARLIER,
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2021, 3, 31),
    )


@pytest.fixture
def signed_in(client, councillor):
    client.force_login(councillor)
    return client


def rate(record, *ratings):
    """Rate a priority or an action, one update a month from January 2022, the last current."""
    owner = {"priority": record, "action": None} if record._meta.model_name == "priority" else {"action": record}
    for month, rating in enumerate(ratings, start=1):
        ProgressUpdateFactory(**owner, rating=rating, date=dt.date(2022, month, 10))
    return record


def measure_with(values, **fields):
    measure = MeasureFactory(**fields)
    for day, value in enumerate(values, start=1):
        MeasureValueFactory(measure=measure, period_end=dt.date(2022, 1, day), value=Decimal(value))
    return measure


# --- priorities --------------------------------------------------------------------------


class TestPriorityList:
    def test_it_lists_the_current_plans_priorities_and_earlier_plans_only_when_chosen(
        self, signed_in, plan, earlier_plan
    ):
        current = PriorityFactory(plan=plan)
        earlier = PriorityFactory(plan=earlier_plan)
        PriorityFactory()  # another authority's plan

        assert listed(signed_in, PRIORITIES) == [current]
        assert listed(signed_in, f"{PRIORITIES}?plan={earlier_plan.pk}") == [earlier]

    def test_without_a_current_plan_it_lists_only_what_belongs_to_no_plan(self, signed_in):
        other_authoritys = PriorityFactory()  # never mixed in
        ActionFactory(priority=other_authoritys)
        MeasureFactory(priority=other_authoritys)
        of_no_plan = MeasureFactory(priority=None)

        response = signed_in.get(PRIORITIES)

        assert listed(signed_in, PRIORITIES) == []
        assert "No priorities match these filters." in response.content.decode()
        assert listed(signed_in, ACTIONS) == []
        assert listed(signed_in, MEASURES) == [of_no_plan]

    def test_the_rating_filter_reads_the_current_rating(self, signed_in, plan):
        red_now = rate(PriorityFactory(plan=plan), Rating.AMBER, Rating.RED)
        amber_now = rate(PriorityFactory(plan=plan), Rating.RED, Rating.AMBER)
        noted = PriorityFactory(plan=plan)
        ProgressUpdateFactory(priority=noted, action=None, rating=None, commentary="A note, no rating.")
        never_updated = PriorityFactory(plan=plan)

        assert listed(signed_in, f"{PRIORITIES}?rating=red") == [red_now]
        assert listed(signed_in, f"{PRIORITIES}?rating=amber") == [amber_now]
        assert listed(signed_in, f"{PRIORITIES}?rating=green") == []
        assert set(listed(signed_in, f"{PRIORITIES}?rating=none")) == {noted, never_updated}

    def test_the_lead_and_theme_filters(self, signed_in, plan):
        lead, other_lead = PersonFactory(), PersonFactory()
        theme, other_theme = ThemeFactory(), ThemeFactory()
        led = PriorityFactory(plan=plan, lead=lead, themes=[theme])
        PriorityFactory(plan=plan, lead=other_lead, themes=[other_theme])

        assert listed(signed_in, f"{PRIORITIES}?lead={lead.name.lower()}") == [led]
        assert listed(signed_in, f"{PRIORITIES}?theme={theme.slug}") == [led]
        assert listed(signed_in, f"{PRIORITIES}?lead={lead.name}&theme={other_theme.slug}") == []

    def test_each_row_shows_its_rating_as_a_word_and_links_to_the_priority(self, signed_in, plan):
        priority = rate(PriorityFactory(plan=plan, title="Voice of the child"), Rating.GREEN)

        page = signed_in.get(PRIORITIES).content.decode()

        assert f'<a class="govuk-link" href="{priority.get_absolute_url()}">{priority}</a>' in page
        assert '<strong class="app-rag app-rag--green">Green</strong>' in page
        assert '<h1 class="govuk-heading-l">Priorities (1)</h1>' in page

    def test_sorting_by_rating_puts_red_first(self, signed_in, plan):
        green = rate(PriorityFactory(plan=plan, number=1), Rating.GREEN)
        unrated = PriorityFactory(plan=plan, number=2)
        red = rate(PriorityFactory(plan=plan, number=3), Rating.RED)
        amber = rate(PriorityFactory(plan=plan, number=4), Rating.AMBER)

        assert listed(signed_in, PRIORITIES) == [green, unrated, red, amber]
        assert listed(signed_in, f"{PRIORITIES}?sort=rating") == [red, amber, green, unrated]
        assert listed(signed_in, f"{PRIORITIES}?sort=-rating") == [unrated, green, amber, red]


# --- actions -----------------------------------------------------------------------------


class TestActionList:
    def test_it_lists_the_current_plans_actions(self, signed_in, plan, earlier_plan):
        current = ActionFactory(priority=PriorityFactory(plan=plan))
        earlier = ActionFactory(priority=PriorityFactory(plan=earlier_plan))

        assert listed(signed_in, ACTIONS) == [current]
        assert listed(signed_in, f"{ACTIONS}?plan={earlier_plan.pk}") == [earlier]

    def test_the_rating_status_owner_and_theme_filters(self, signed_in, plan):
        owner, theme = PersonFactory(), ThemeFactory()
        themed = PriorityFactory(plan=plan, themes=[theme])
        red_now = rate(ActionFactory(priority=themed, owner=owner, status=Action.Status.IN_PROGRESS), Rating.RED)
        was_red = rate(
            ActionFactory(priority=PriorityFactory(plan=plan), owner=PersonFactory()), Rating.RED, Rating.AMBER
        )

        assert listed(signed_in, f"{ACTIONS}?rating=red") == [red_now]
        assert listed(signed_in, f"{ACTIONS}?rating=amber") == [was_red]
        assert listed(signed_in, f"{ACTIONS}?status=in_progress") == [red_now]
        assert listed(signed_in, f"{ACTIONS}?status=not_started") == [was_red]
        assert listed(signed_in, f"{ACTIONS}?owner={owner.name.upper()}") == [red_now]
        assert listed(signed_in, f"{ACTIONS}?theme={theme.slug}") == [red_now]

    def test_the_owner_filter_finds_part_of_a_name_or_a_role(self, signed_in, plan):
        priority = PriorityFactory(plan=plan)
        named = ActionFactory(priority=priority, owner=PersonFactory(name="Robin Carrow"))
        by_role = ActionFactory(priority=priority, owner=None, owner_role="Head of Service, Children in Care")
        # A role counts only where no person is named: this one's owner is Sam Holme.
        ActionFactory(priority=priority, owner=PersonFactory(name="Sam Holme"), owner_role="Children in care lead")

        assert listed(signed_in, f"{ACTIONS}?owner=carrow") == [named]
        assert listed(signed_in, f"{ACTIONS}?owner=children in care") == [by_role]
        assert listed(signed_in, f"{ACTIONS}?owner=nobody") == []

    def test_overdue_lists_open_actions_whose_due_period_is_over(self, signed_in, plan):
        today = timezone.localdate()
        priority = PriorityFactory(plan=plan)
        overdue = ActionFactory(priority=priority, start_date=None, due_date=today - dt.timedelta(days=1))
        ActionFactory(priority=priority, start_date=None, due_date=today - dt.timedelta(days=1), complete=True)
        ActionFactory(priority=priority, start_date=None, due_date=today)
        # Due "this month": not overdue until the month is over.
        ActionFactory(
            priority=priority, start_date=None, due_date=today.replace(day=1), due_date_precision=DatePrecision.MONTH
        )
        ActionFactory(priority=priority, start_date=None, due_date=None)

        assert listed(signed_in, f"{ACTIONS}?overdue=yes") == [overdue]
        assert len(listed(signed_in, ACTIONS)) == 5

    def test_an_overdue_action_says_overdue_not_open(self, signed_in, plan):
        ActionFactory(priority=PriorityFactory(plan=plan), due_date=dt.date(2022, 9, 30))

        page = signed_in.get(ACTIONS).content.decode()

        assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
        assert exported(signed_in, ACTIONS)[1][4] == "Overdue"

    def test_the_due_date_range_compares_the_end_of_the_due_period(self, signed_in, plan):
        priority = PriorityFactory(plan=plan)
        march = ActionFactory(
            priority=priority, start_date=None, due_date=dt.date(2022, 3, 1), due_date_precision=DatePrecision.MONTH
        )
        on_the_15th = ActionFactory(priority=priority, start_date=None, due_date=dt.date(2022, 3, 15))
        on_the_16th = ActionFactory(priority=priority, start_date=None, due_date=dt.date(2022, 3, 16))
        ActionFactory(priority=priority, start_date=None, due_date=dt.date(2022, 4, 1))

        assert set(listed(signed_in, f"{ACTIONS}?due_before=15/03/2022")) == {on_the_15th}
        assert set(listed(signed_in, f"{ACTIONS}?due_after=2022-03-16&due_before=31/3/2022")) == {march, on_the_16th}

    def test_a_date_that_is_not_a_date_is_an_error_and_lists_nothing(self, signed_in, plan):
        ActionFactory(priority=PriorityFactory(plan=plan))

        response = signed_in.get(f"{ACTIONS}?due_after=31/02/2022")
        export = signed_in.get(f"{ACTIONS}?due_after=31/02/2022&_export=csv")

        page = response.content.decode()
        assert "Due on or after must be a real date" in page
        assert '<div class="govuk-error-summary"' in page
        assert "<title>Error: " in page
        assert list(response.context["table"].paginated_rows) == []
        # The export does not fall back to every row: it answers with the page and its error.
        assert export["Content-Type"].startswith("text/html")


# --- measures ----------------------------------------------------------------------------


class TestMeasureList:
    def test_it_lists_the_current_plans_measures_and_those_of_no_plan(self, signed_in, plan, earlier_plan):
        of_the_plan = MeasureFactory(priority=PriorityFactory(plan=plan))
        of_no_plan = MeasureFactory(priority=None)
        of_an_earlier_plan = MeasureFactory(priority=PriorityFactory(plan=earlier_plan))

        assert set(listed(signed_in, MEASURES)) == {of_the_plan, of_no_plan}
        assert set(listed(signed_in, f"{MEASURES}?plan={earlier_plan.pk}")) == {of_an_earlier_plan, of_no_plan}

    def test_the_rating_filter_follows_the_latest_value(self, signed_in, plan):
        # Target 80, higher is better, amber within 5.
        green = measure_with(["70", "80"])
        amber = measure_with(["90", "75"])
        red = measure_with(["80", "74.99"])
        no_value = measure_with([])
        no_target = measure_with(["10"], target=None, amber_tolerance=None)

        assert listed(signed_in, f"{MEASURES}?rating=green") == [green]
        assert listed(signed_in, f"{MEASURES}?rating=amber") == [amber]
        assert listed(signed_in, f"{MEASURES}?rating=red") == [red]
        assert set(listed(signed_in, f"{MEASURES}?rating=none")) == {no_value, no_target}

    def test_the_owner_and_theme_filters(self, signed_in, plan):
        owner, theme = PersonFactory(), ThemeFactory()
        owned = MeasureFactory(owner=owner, themes=[theme, ThemeFactory()])
        MeasureFactory(owner=PersonFactory(), themes=[ThemeFactory()])

        assert listed(signed_in, f"{MEASURES}?owner={owner.name[2:].lower()}") == [owned]
        assert listed(signed_in, f"{MEASURES}?theme={theme.slug}") == [owned]

    def test_sorting_by_latest_value(self, signed_in, plan):
        low, high, middle = measure_with(["10"]), measure_with(["90"]), measure_with(["50"])

        assert listed(signed_in, f"{MEASURES}?sort=latest_value") == [low, middle, high]
        assert listed(signed_in, f"{MEASURES}?sort=-latest_value") == [high, middle, low]


@pytest.mark.parametrize("polarity", [Measure.Polarity.HIGHER_IS_BETTER, Measure.Polarity.LOWER_IS_BETTER])
def test_the_sql_rating_agrees_with_the_measures_own_rule(polarity):
    cases = []
    for target, tolerance in [(None, None), ("80", None), ("80", "5"), ("80.10", "4.90")]:
        for value in [None, "70", "75", "75.10", "75.20", "79.99", "80", "80.10", "84.90", "85", "90"]:
            measure = MeasureFactory(
                polarity=polarity,
                target=Decimal(target) if target else None,
                amber_tolerance=Decimal(tolerance) if tolerance else None,
            )
            if value:
                MeasureValueFactory(measure=measure, value=Decimal(value))
            cases.append(measure.pk)
    context = MeasureFactory(polarity=Measure.Polarity.NEITHER)
    MeasureValueFactory(measure=context, value=Decimal("50"))

    measures = Measure.objects.with_latest_rating()

    assert {m.latest_rating for m in measures} == {Rating.RED, Rating.AMBER, Rating.GREEN, None}
    for measure in measures:
        assert measure.latest_rating == measure.current_rating, (measure.target, measure.latest_value)


# --- exports, pagination, query counts ---------------------------------------------------


def test_the_export_holds_exactly_the_filtered_rows_in_csv_and_excel(signed_in, plan, earlier_plan):
    owner = PersonFactory()
    priority = PriorityFactory(plan=plan)
    chosen = [ActionFactory(priority=priority, owner=owner, description=f"Chosen {n}") for n in range(30)]
    ActionFactory(priority=priority, owner=PersonFactory(), description="Another owner's")
    ActionFactory(priority=PriorityFactory(plan=earlier_plan), owner=owner, description="An earlier plan's")
    url = f"{ACTIONS}?owner={owner.name}"

    for export_format in ("csv", "xlsx"):
        rows = exported(signed_in, url, export_format)
        assert rows[0] == headers(signed_in, url)
        assert sorted(row[0] for row in rows[1:]) == sorted(f"{action}: {action.description}" for action in chosen)


def test_cells_that_a_spreadsheet_would_run_are_escaped(signed_in, plan):
    priority = PriorityFactory(plan=plan)
    for number, start in enumerate(["=", "+", "-", "@"], start=1):
        ActionFactory(priority=priority, number=number, owner_role=f'{start}HYPERLINK("http://evil.example")')

    for export_format in ("csv", "xlsx"):
        owners = [row[2] for row in exported(signed_in, ACTIONS, export_format)[1:]]
        assert sorted(owners) == sorted(f'\'{start}HYPERLINK("http://evil.example")' for start in "=+-@")


def test_an_export_has_the_pages_columns_and_no_other_plans_rows(signed_in, plan, earlier_plan):
    shown = MeasureFactory(priority=PriorityFactory(plan=plan), title="Shown")
    MeasureFactory(priority=PriorityFactory(plan=earlier_plan), title="Not shown")

    page = signed_in.get(MEASURES).content.decode()
    rows = exported(signed_in, MEASURES)

    assert rows[0] == headers(signed_in, MEASURES)
    for header in rows[0]:
        assert header in page
    assert [row[0] for row in rows[1:]] == [shown.title]


def test_only_csv_and_excel_are_exported(signed_in, plan):
    PriorityFactory(plan=plan)

    response = signed_in.get(f"{PRIORITIES}?_export=json")

    assert response["Content-Type"].startswith("text/html")


def test_signing_in_is_needed_for_a_list_and_its_export(client, plan):
    PriorityFactory(plan=plan)

    for url in (PRIORITIES, f"{PRIORITIES}?_export=csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_pagination_shows_25_a_page_keeping_the_filters(signed_in, plan):
    priority = PriorityFactory(plan=plan)
    for number in range(1, 31):
        ActionFactory(priority=priority, number=number)

    first = signed_in.get(f"{ACTIONS}?status=not_started")
    second = signed_in.get(f"{ACTIONS}?status=not_started&page=2")

    assert len(list(first.context["table"].paginated_rows)) == 25
    assert len(list(second.context["table"].paginated_rows)) == 5
    page = first.content.decode()
    assert "Actions (30)" in page
    assert "Showing 1 to 25 of 30 actions that match." in page
    assert 'class="govuk-pagination"' in page
    assert 'href="?status=not_started&amp;page=2" rel="next"' in page
    assert "Showing 26 to 30 of 30 actions that match." in second.content.decode()
    # The export holds every matching row, not one page of them.
    assert len(exported(signed_in, f"{ACTIONS}?status=not_started&page=2")) == 31


def priorities_for_counts(plan, n, themes_per_row):
    lead, theme = PersonFactory(), ThemeFactory()
    for _ in range(n):
        priority = PriorityFactory(
            plan=plan, lead=lead, themes=[theme, *[ThemeFactory() for _ in range(themes_per_row)]]
        )
        rate(priority, Rating.AMBER, Rating.RED)
    return f"?rating=red&lead={lead.name}&theme={theme.slug}"


def actions_for_counts(plan, n, themes_per_row):
    owner, theme = PersonFactory(), ThemeFactory()
    priority = PriorityFactory(plan=plan, themes=[theme, *[ThemeFactory() for _ in range(themes_per_row)]])
    for _ in range(n):
        rate(ActionFactory(priority=priority, owner=owner, due_date=dt.date(2022, 9, 30)), Rating.GREEN, Rating.RED)
    return f"?rating=red&status=not_started&owner={owner.name}&theme={theme.slug}&overdue=yes&due_after=1/9/2022"


def measures_for_counts(plan, n, themes_per_row):
    owner, theme = PersonFactory(), ThemeFactory()
    priority = PriorityFactory(plan=plan)
    for _ in range(n):
        measure_with(
            ["70", "76"],
            owner=owner,
            priority=priority,
            themes=[theme, *[ThemeFactory() for _ in range(themes_per_row)]],
        )
    return f"?rating=amber&owner={owner.name}&theme={theme.slug}"


def test_a_page_lists_no_more_rows_than_the_cap_whatever_it_asks(signed_in, plan, monkeypatch):
    monkeypatch.setattr("config.lists.MAX_PER_PAGE", 3)
    priority = PriorityFactory(plan=plan)
    for number in range(1, 6):
        ActionFactory(priority=priority, number=number)

    asked = signed_in.get(f"{ACTIONS}?per_page=1000000")
    fewer = signed_in.get(f"{ACTIONS}?per_page=2")

    assert len(list(asked.context["table"].paginated_rows)) == 3
    assert len(list(fewer.context["table"].paginated_rows)) == 2


# The loaded record has 15 priorities, 26 measures and no actions: the larger data set is ten
# times that (and 30 actions, more than a page), with more themes on every row.
@pytest.mark.parametrize(
    "url, build, small, large",
    [
        (PRIORITIES, priorities_for_counts, 2, 150),
        (ACTIONS, actions_for_counts, 2, 30),
        (MEASURES, measures_for_counts, 2, 260),
    ],
)
def test_query_counts_do_not_grow_with_the_data(signed_in, plan, url, build, small, large):
    filters = build(plan, small, themes_per_row=0)
    counts = {
        "page": queries_to_build(signed_in, url),
        "filtered": queries_to_build(signed_in, url + filters),
        "export": queries_to_build(signed_in, f"{url}{filters}&_export=csv"),
    }
    assert len(listed(signed_in, url + filters)) == small

    larger_filters = build(plan, large, themes_per_row=3)

    assert len(listed(signed_in, url + larger_filters)) == min(large, 25)
    assert queries_to_build(signed_in, url) == counts["page"]
    assert queries_to_build(signed_in, url + larger_filters) == counts["filtered"]
    assert queries_to_build(signed_in, f"{url}{larger_filters}&_export=csv") == counts["export"]


@pytest.fixture
def record(db):
    sync_themes(apps)
    call_command("load_letters", verbosity=0)


def test_the_loaded_record_lists_the_current_plans_priorities(signed_in, record):
    page = signed_in.get(PRIORITIES).content.decode()
    green = listed(signed_in, f"{PRIORITIES}?rating=green")
    rows = exported(signed_in, f"{PRIORITIES}?rating=amber")

    assert "Priorities (4)" in page
    assert [priority.title for priority in green] == ["Voice and influence of children, young people and families"]
    assert [row[2:4] for row in rows[1:]] == [["Amber", "21 February 2022"]] * 3
    # The 2013 and 2020 plans' priorities are reachable, not mixed in.
    earlier = ImprovementPlan.objects.get(reference="2020-improvement-plan")
    assert len(listed(signed_in, f"{PRIORITIES}?plan={earlier.pk}")) == 8
