"""A plan's scorecard: its key measures, each with its latest value, rating, direction of travel,
comparators, trend line and trajectory, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Window

from improvement.charts import Chart, measure_sparkline
from improvement.models import ComparatorValue, Measure, MeasureValue
from improvement.trajectory import Trajectory

# A card's trend line and trajectory read a measure's latest values, two years of monthly ones
# at most (the trajectory uses the last six): the measure's page shows its whole history.
TREND_VALUES = 24


@dataclass
class ScorecardRow:
    measure: Measure
    sparkline: Chart | None
    trajectory: Trajectory
    comparators: list[ComparatorValue]


def scorecard(plan, today=None, limit=None):
    """The plan's key measures by title, the first `limit` of them if given; each row's measure
    carries `scorecard_size`, how many key measures the plan has in all."""
    measures = (
        plan.key_measures()
        .with_latest_values()
        .annotate(scorecard_size=Window(Count("pk")))
        .prefetch_related(
            Prefetch("values", MeasureValue.objects.latest_of_each_measure(TREND_VALUES)),
            Prefetch("comparator_values", ComparatorValue.objects.latest_of_each_group().select_related("group")),
        )
        .order_by("title")
    )[:limit]
    return [
        ScorecardRow(measure, measure_sparkline(measure), measure.trajectory(today), measure.latest_comparators())
        for measure in measures
    ]
