"""How a measure explains itself: direction of travel over like periods only, the rating's rule in
words, the chart and its table of the same figures, and the choices' own words and tags."""

import datetime as dt
from decimal import Decimal

import pytest

from improvement.charts import measure_chart, measure_table, style
from improvement.models import ImprovementPlan, Measure, Rating, RatingChange
from inspections.models import DatePrecision, Grade
from tests.factories import (
    ComparatorGroupFactory,
    ComparatorValueFactory,
    ImprovementPlanFactory,
    MeasureFactory,
    MeasureValueFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


def read(measure):
    return Measure.objects.with_latest_values().get(pk=measure.pk)


def value(measure, period_end, amount, *, start=None, label="", precision=DatePrecision.DAY):
    return MeasureValueFactory(
        measure=measure,
        period_start=start,
        period_end=period_end,
        period_precision=precision,
        period_label=label,
        value=Decimal(amount),
    )


class TestLikePeriods:
    def test_a_monthly_value_is_compared_with_the_month_before(self):
        measure = MeasureFactory(data_period=Measure.DataPeriod.MONTH)
        value(measure, dt.date(2022, 1, 31), "70", start=dt.date(2022, 1, 1))
        value(measure, dt.date(2022, 2, 28), "78", start=dt.date(2022, 2, 1))

        read_back = read(measure)

        assert read_back.comparison.value == 70
        assert read_back.comparison.period_display == "31 January 2022"
        assert read_back.direction == Measure.Direction.IMPROVING

    def test_a_quarter_is_not_compared_with_a_month(self):
        measure = MeasureFactory(data_period=Measure.DataPeriod.QUARTER)
        value(measure, dt.date(2022, 1, 31), "70", start=dt.date(2022, 1, 1))
        value(measure, dt.date(2022, 3, 31), "78", start=dt.date(2022, 1, 1))

        read_back = read(measure)

        assert read_back.comparison is None
        assert read_back.direction is None

    def test_a_year_to_date_value_is_compared_with_the_same_point_a_year_before(self):
        measure = MeasureFactory(data_period=Measure.DataPeriod.YEAR_TO_DATE, polarity=Measure.Polarity.LOWER_IS_BETTER)
        value(measure, dt.date(2021, 6, 30), "40", label="April to June 2021")
        value(measure, dt.date(2022, 5, 31), "10", label="April to May 2022")  # the month before: not alike
        value(measure, dt.date(2022, 6, 30), "30", label="April to June 2022")

        read_back = read(measure)

        assert read_back.comparison.value == 40
        assert read_back.comparison.period_display == "April to June 2021"
        assert read_back.direction == Measure.Direction.IMPROVING

    def test_a_year_to_date_value_without_last_year_has_no_direction(self):
        measure = MeasureFactory(data_period=Measure.DataPeriod.YEAR_TO_DATE)
        value(measure, dt.date(2022, 5, 31), "10")
        value(measure, dt.date(2022, 6, 30), "30")

        assert read(measure).direction is None

    def test_a_snapshot_is_compared_with_the_snapshot_before_by_the_end_of_its_period(self):
        measure = MeasureFactory(data_period=Measure.DataPeriod.SNAPSHOT, stable_margin=Decimal("1"))
        value(measure, dt.date(2022, 5, 20), "70")
        # "May 2022" stands for the whole month: it is later than 20 May.
        value(measure, dt.date(2022, 5, 1), "70.5", precision=DatePrecision.MONTH)

        read_back = read(measure)

        assert read_back.latest_value == Decimal("70.5")
        assert read_back.comparison.value == 70
        assert read_back.direction == Measure.Direction.STABLE


class TestRatingExplained:
    def test_higher_is_better_rules_and_reason(self):
        measure = MeasureFactory(
            target=Decimal("80"), amber_tolerance=Decimal("5"), data_period=Measure.DataPeriod.SNAPSHOT
        )
        value(measure, dt.date(2022, 2, 21), "78", label="As reported to CSOG on 21 February 2022")

        read_back = read(measure)

        assert read_back.rating_rules() == [
            (Rating.GREEN, "at or above the target of 80%"),
            (Rating.AMBER, "below 80%, but no further than 75%"),
            (Rating.RED, "below 75%"),
        ]
        assert read_back.rating_reason == (
            "Amber: the latest value, 78% for As reported to CSOG on 21 February 2022 (snapshot figure), "
            "is below 80%, but no further than 75%."
        )

    def test_lower_is_better_without_tolerance(self):
        measure = MeasureFactory(polarity=Measure.Polarity.LOWER_IS_BETTER, target=Decimal("20"), amber_tolerance=None)
        value(measure, dt.date(2022, 2, 21), "29")

        read_back = read(measure)

        assert read_back.rating_rules() == [
            (Rating.GREEN, "at or below the target of 20%"),
            (Rating.RED, "above 20% (no amber tolerance is set)"),
        ]
        assert read_back.rating_reason.startswith("Red: the latest value, 29% for 21 February 2022")

    @pytest.mark.parametrize(
        ("fields", "reason"),
        [
            ({"target": None, "amber_tolerance": None}, "Not rated: no target is set."),
            (
                {"polarity": Measure.Polarity.NEITHER},
                "Not rated: this is a context measure, for which neither higher nor lower is better.",
            ),
        ],
    )
    def test_why_a_measure_is_not_rated(self, fields, reason):
        measure = MeasureFactory(**fields)
        value(measure, dt.date(2022, 2, 21), "50")

        assert read(measure).current_rating is None
        assert read(measure).rating_reason == reason

    def test_polarity_in_words(self):
        assert Measure.Polarity.LOWER_IS_BETTER.sentence == "Lower is better: a fall is an improvement."
        assert MeasureFactory(polarity=Measure.Polarity.HIGHER_IS_BETTER).polarity_sentence.startswith(
            "Higher is better"
        )


class TestChoicesCarryTheirBehaviour:
    def test_ratings_words_tags_and_order(self):
        assert [rating.label for rating in Rating] == ["Red", "Amber", "Green"]
        assert Rating.AMBER.tag_class == "app-rag app-rag--amber"
        assert Rating.GREEN.meaning == "on track for successful completion"
        assert Rating.RED.rank < Rating.AMBER.rank < Rating.GREEN.rank

    @pytest.mark.parametrize(
        ("previous", "current", "change"),
        [
            (None, "amber", RatingChange.FIRST),
            ("amber", "green", RatingChange.IMPROVED),
            ("green", "red", RatingChange.WORSENED),
            ("amber", "amber", RatingChange.UNCHANGED),
            ("amber", None, None),
        ],
    )
    def test_a_rating_change(self, previous, current, change):
        assert RatingChange.between(previous, current) == change

    def test_grades_carry_their_tags(self):
        assert Grade.INADEQUATE.tag_class == "govuk-tag govuk-tag--red"
        assert Grade.REQUIRES_IMPROVEMENT.label == "Requires improvement to be good"
        assert Grade.GOOD.tag_class == "govuk-tag govuk-tag--green"


class TestChart:
    @pytest.fixture
    def measure(self):
        measure = MeasureFactory(title="Assessments in 45 days", target=Decimal("80"))
        value(measure, dt.date(2022, 1, 31), "60", label="January 2022")
        value(measure, dt.date(2022, 2, 28), "68", label="February 2022")
        england = ComparatorGroupFactory(name="England")
        neighbours = ComparatorGroupFactory(name="Statistical neighbours")
        ComparatorValueFactory(measure=measure, group=england, period_end=dt.date(2022, 1, 31), value=Decimal("82"))
        ComparatorValueFactory(measure=measure, group=neighbours, period_end=dt.date(2022, 2, 28), value=Decimal("79"))
        return Measure.objects.prefetch_related("values", "comparator_values__group").get(pk=measure.pk)

    def test_the_chart_has_a_line_per_series_and_the_target(self, measure):
        chart = measure_chart(measure)

        assert [line.name for line in chart.lines] == ["Devon", "England", "Statistical neighbours"]
        assert [point.label for point in chart.lines[0].points] == [
            "Devon: 60% on 31 January 2022",
            "Devon: 68% on 28 February 2022",
        ]
        assert chart.target[1] == "Target 80%"
        # Higher values are drawn higher: a smaller y.
        assert chart.lines[0].points[1].y < chart.lines[0].points[0].y
        assert chart.description == (
            "Devon: 2 values, from 60% on 31 January 2022 to 68% on 28 February 2022; "
            "England: one value, 82% on 31 January 2022; Statistical neighbours: one value, 79% on 28 February 2022; "
            "target 80%."
        )

    def test_the_table_holds_the_same_figures(self, measure):
        table = measure_table(measure)

        assert table.columns == ["Devon", "England", "Statistical neighbours"]
        assert table.rows == [("January 2022", ["60%", "82%", ""]), ("February 2022", ["68%", "", "79%"])]

    def test_no_two_series_share_colour_pattern_and_marker(self):
        assert len({style(index) for index in range(60)}) == 60


def test_a_plans_key_measures_are_its_scorecard_and_its_priorities_measures():
    plan = ImprovementPlanFactory()
    listed = MeasureFactory(plans=[plan])
    under_priority = MeasureFactory(priority=PriorityFactory(plan=plan))
    both = MeasureFactory(plans=[plan], priority=PriorityFactory(plan=plan))
    MeasureFactory(plans=[ImprovementPlanFactory()])
    MeasureFactory(priority=PriorityFactory())

    assert sorted(ImprovementPlan.objects.get(pk=plan.pk).key_measures().values_list("pk", flat=True)) == sorted(
        [listed.pk, under_priority.pk, both.pk]
    )
