"""A plan's scorecard: its key measures, each with its latest value, rating, direction of travel,
comparators, trend line and trajectory, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch

from improvement.charts import Chart, measure_sparkline
from improvement.models import ComparatorValue, Measure, MeasureValue
from improvement.trajectory import Trajectory


@dataclass
class ScorecardRow:
    measure: Measure
    sparkline: Chart | None
    trajectory: Trajectory
    comparators: list[ComparatorValue]


def scorecard(plan, today=None):
    measures = (
        plan.key_measures()
        .with_latest_values()
        .prefetch_related(
            Prefetch("values", MeasureValue.objects.latest_first()),
            Prefetch("comparator_values", ComparatorValue.objects.select_related("group")),
        )
        .order_by("title")
    )
    return [
        ScorecardRow(measure, measure_sparkline(measure), measure.trajectory(today), measure.latest_comparators())
        for measure in measures
    ]
