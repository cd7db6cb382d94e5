"""Line charts of a measure's values, drawn as SVG on the server (no JavaScript: the pages keep
to a strict content security policy). This module works out the geometry; the templates
`improvement/includes/line_chart.html` and `sparkline.html` draw it, with a `<title>` and
`<desc>`, and every chart has a table of the same figures beside it.

Series differ by line pattern and marker shape as well as colour, so that no line is told
from another by colour alone.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.dateformat import format as format_date

# Each series' colour, dash pattern and marker, the authority's first: no two of the first 60
# series share all three (6 colours, 5 patterns, 4 shapes). GOV.UK colours, each at least 3:1
# against white.
COLOURS = ["#0b0c0c", "#1d70b8", "#912b88", "#00703c", "#d4351c", "#4c2c92"]
DASHES = ["", "8 4", "2 3", "12 4 2 4", "4 4"]
MARKERS = ["circle", "square", "triangle", "diamond"]


def style(index):
    return COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)], MARKERS[index % len(MARKERS)]


TARGET_STYLE = ("#505a5f", "6 3")


@dataclass
class Point:
    x: float
    y: float
    label: str  # "68% on 21 February 2022", for the marker's <title>
    marker: str = "circle"

    @property
    def polygon(self):
        """The marker's corners, for every shape but the circle."""
        r = 4.5
        corners = {
            "square": [(-r, -r), (r, -r), (r, r), (-r, r)],
            "triangle": [(0, -r - 1), (r + 1, r), (-r - 1, r)],
            "diamond": [(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)],
        }.get(self.marker, [])
        return " ".join(f"{self.x + dx:.1f},{self.y + dy:.1f}" for dx, dy in corners)


@dataclass
class Line:
    name: str
    colour: str
    dash: str
    marker: str
    points: list[Point] = field(default_factory=list)

    @property
    def path(self):
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    lines: list[Line]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    target: tuple[float, str] | None  # (y, label)
    title: str
    description: str

    @property
    def legend(self):
        entries = [(line.name, line.colour, line.dash, line.marker) for line in self.lines]
        if self.target:
            entries.append((self.target[1], TARGET_STYLE[0], TARGET_STYLE[1], ""))
        return entries


def _nice_step(span, ticks=5):
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(step * magnitude for step in (1, 2, 2.5, 5, 10) if step * magnitude >= raw)


def _y_scale(values, target):
    top = max([*values, *([target] if target is not None else [])])
    if top <= 0:
        top = 1
    step = _nice_step(top)
    return step * math.ceil(top / step) or step, step


def _date_label(day, span_days):
    return format_date(day, "j M Y" if span_days < 120 else "M Y")


def line_chart(series, *, title, target=None, format_value=str, width=640, height=300, sparkline=False):
    """Geometry for a chart of `series`: [(name, [(date, value)])], the first the measure's own
    values. `target`, if given, is drawn as a labelled horizontal line."""
    margins = (4, 4, 4, 4) if sparkline else (64, 16, 16, 40)  # left, top, right, bottom
    left, top, right, bottom = margins
    plot_width, plot_height = width - left - right, height - top - bottom
    days = sorted({day for _, points in series for day, _ in points})
    values = [float(value) for _, points in series for _, value in points]
    if not days:
        return None
    first, last = days[0], days[-1]
    span = (last - first).days
    y_max, y_step = _y_scale(values, float(target) if target is not None else None)

    def x(day):
        return left + (plot_width / 2 if span == 0 else plot_width * (day - first).days / span)

    def y(value):
        return top + plot_height * (1 - float(value) / y_max)

    lines = []
    for index, (name, points) in enumerate(series):
        colour, dash, marker = style(index)
        line = Line(name, colour, dash, marker)
        for day, value in sorted(points):
            label = f"{name}: {format_value(value)} on {format_date(day, 'j F Y')}"
            line.points.append(Point(x(day), y(value), label, marker))
        lines.append(line)

    tick_days = days if len(days) <= 6 else [days[round(i * (len(days) - 1) / 5)] for i in range(6)]
    x_ticks = [(x(day), _date_label(day, span)) for day in tick_days]
    y_ticks = [(y(value), format_value(_tick_value(value))) for value in _frange(0, y_max, y_step)]
    target_line = (y(target), f"Target {format_value(target)}") if target is not None else None
    return Chart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=width - right,
        bottom=height - bottom,
        lines=lines,
        x_ticks=[] if sparkline else x_ticks,
        y_ticks=[] if sparkline else y_ticks,
        target=target_line,
        title=title,
        description=_describe(series, target, format_value),
    )


def _frange(start, stop, step):
    count = round((stop - start) / step)
    return [start + i * step for i in range(count + 1)]


def _tick_value(value):
    return Decimal(str(round(value, 2)))


def _describe(series, target, format_value):
    """The chart in words, for its <desc>: each series from its first to its last value."""
    parts = []
    for name, points in series:
        if not points:
            continue
        ordered = sorted(points)
        (first_day, first_value), (last_day, last_value) = ordered[0], ordered[-1]
        if len(ordered) == 1:
            parts.append(f"{name}: one value, {format_value(first_value)} on {format_date(first_day, 'j F Y')}")
        else:
            parts.append(
                f"{name}: {len(ordered)} values, from {format_value(first_value)} on "
                f"{format_date(first_day, 'j F Y')} to {format_value(last_value)} on {format_date(last_day, 'j F Y')}"
            )
    if target is not None:
        parts.append(f"target {format_value(target)}")
    return "; ".join(parts) + "."


def _measure_series(measure):
    """The measure's own values, then each comparator group's, from prefetched `values` and
    `comparator_values` (with their groups)."""
    series = [(settings.HOME_AUTHORITY, [(value.as_of, value.value) for value in measure.values.all()])]
    groups = {}
    for value in measure.comparator_values.all():
        groups.setdefault(value.group, []).append((value.as_of, value.value))
    series += [(group.name, points) for group, points in sorted(groups.items(), key=lambda item: item[0].name)]
    return series


def measure_chart(measure):
    """The measure page's chart: its values, each comparator group's, and its target."""
    return line_chart(
        _measure_series(measure),
        title=f"{measure.title}: values over time",
        target=measure.target,
        format_value=measure.format_value,
    )


def measure_sparkline(measure):
    """The scorecard's small trend line: the measure's own values and its target."""
    return line_chart(
        _measure_series(measure)[:1],
        title=f"Trend of {measure.title}",
        target=measure.target,
        format_value=measure.format_value,
        width=120,
        height=32,
        sparkline=True,
    )


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[str, list[str]]]  # (period, a value or "" per column)


def measure_table(measure):
    """The chart's figures as a table: a row per period, a column per series."""
    series = _measure_series(measure)
    periods, cells = {}, {}
    for value in measure.values.all():
        periods.setdefault(value.as_of, value.period_display)
        cells[settings.HOME_AUTHORITY, value.as_of] = value.value_display
    for value in measure.comparator_values.all():
        periods.setdefault(value.as_of, value.period_display)
        cells[value.group.name, value.as_of] = value.value_display
    rows = [(periods[day], [cells.get((name, day), "") for name, _ in series]) for day in sorted(periods)]
    return Table(columns=[name for name, _ in series], rows=rows)
