"""Trajectory: is a measure on course to reach its target by its target date, on its own recent
trend? A pure function of the values, so that the rule can be tested on its own.

The rule:

- It needs a target, a date to reach it by, and a polarity (higher or lower is better).
- It uses the measure's most recent values, up to `RECENT` of them, and fits a straight line
  through them against time (least squares). The line's slope is the recent trend.
- Fewer than `MIN_VALUES` values are too few to say. So are values all for one date.
- Counts whose recent values are all below `SMALL_COUNT` are too small to say: one or two
  cases move them a long way. The figures are still given, with the caution.
- Before the target date: on course when the line, carried on to the target date, meets the
  target. A measure that meets its target now but is heading away from it is not on course.
- After the target date: whether the latest value met the target.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.dateformat import format as format_date

RECENT = 6
MIN_VALUES = 3
SMALL_COUNT = 10
DAYS_PER_MONTH = 365.25 / 12
TOO_FEW = f"Too few values to show a trend: at least {MIN_VALUES}, for different dates, are needed."


class Course(models.TextChoices):
    ON_COURSE = "on_course", "On course"
    OFF_COURSE = "off_course", "Not on course"
    CANNOT_SAY = "cannot_say", "Cannot say yet"
    NO_TARGET = "no_target", "No target to judge against"

    @property
    def tag_class(self):
        colour = {"on_course": "green", "off_course": "red", "cannot_say": "grey", "no_target": "grey"}
        return f"govuk-tag govuk-tag--{colour[self.value]}"


@dataclass(frozen=True)
class Trajectory:
    course: Course
    explanation: str
    caution: str = ""
    rate_per_month: Decimal | None = None
    projected: Decimal | None = None


def _date(value):
    return format_date(value, "j F Y")


def _meets(value, target, polarity):
    return value >= target if polarity == "higher" else value <= target


def _fit(points):
    """Least-squares line through (day, value) points: (slope per day, value at day 0)."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return slope, mean_y - slope * mean_x


def _round(value):
    return Decimal(str(round(value, 1)))


def trajectory(values, *, target, target_date, polarity, today, unit="", format_value=str):
    """Whether the measure is on course, from `values`: (date, value) pairs in any order, dated
    by the end of the period each is for. `polarity` is "higher", "lower", "neither" or "" (not set); `unit`
    the measure's unit ("percentage", "count", …); `format_value` writes a value in it."""
    if not polarity:
        return Trajectory(
            Course.NO_TARGET, "Whether higher or lower is better is not set, so there is no course to judge."
        )
    if polarity not in ("higher", "lower"):
        return Trajectory(Course.NO_TARGET, "Neither higher nor lower is better for this measure, so it has no target.")
    if target is None or target_date is None:
        missing = "target" if target is None else "date to reach its target by"
        return Trajectory(Course.NO_TARGET, f"No trajectory: the measure has no {missing}.")

    goal = f"the target of {format_value(target)} by {_date(target_date)}"
    recent = sorted(values)[-RECENT:]
    if not recent:
        return Trajectory(Course.CANNOT_SAY, f"No values are recorded yet to judge {goal}.", caution=TOO_FEW)
    latest_date, latest = recent[-1]
    if today > target_date:
        met = _meets(latest, target, polarity)
        verb = "met" if met else "did not meet"
        return Trajectory(
            Course.ON_COURSE if met else Course.OFF_COURSE,
            f"The target date, {_date(target_date)}, has passed. The latest value, {format_value(latest)} "
            f"({_date(latest_date)}), {verb} the target of {format_value(target)}.",
        )

    described = (
        f"{len(recent)} value{'s' if len(recent) != 1 else ''}, from {format_value(recent[0][1])} "
        f"({_date(recent[0][0])}) to {format_value(latest)} ({_date(latest_date)})"
    )
    if len(recent) < MIN_VALUES or recent[0][0] == latest_date:
        recorded = (
            f"One value is recorded, {format_value(latest)} ({_date(latest_date)})"
            if len(recent) == 1
            else f"{described[0].upper()}{described[1:]} are recorded"
        )
        return Trajectory(
            Course.CANNOT_SAY,
            f"{recorded}, against {goal}.",
            caution=TOO_FEW,
        )

    slope, intercept = _fit([((day - recent[0][0]).days, float(value)) for day, value in recent])
    rate = _round(slope * DAYS_PER_MONTH)
    # Carried on, the line may pass the ends of the scale; a value cannot.
    ceiling = 100 if unit == "percentage" else float("inf")
    projected = _round(min(max(intercept + slope * (target_date - recent[0][0]).days, 0), ceiling))
    change = (
        "held level"
        if rate == 0
        else f"{'risen' if rate > 0 else 'fallen'} by about {_rate(abs(rate), unit, format_value)} a month"
    )
    on_course = _meets(projected, target, polarity)
    explanation = (
        f"Over the last {described}, it has {change}. At that rate it would be about {format_value(projected)} "
        f"by {_date(target_date)}, {'meeting' if on_course else 'missing'} the target of {format_value(target)}."
    )
    if not on_course and _meets(latest, target, polarity):
        explanation += " It meets the target now, but is heading away from it."
    if unit == "count" and all(value < SMALL_COUNT for _, value in recent):
        return Trajectory(
            Course.CANNOT_SAY,
            explanation,
            caution=f"The numbers are too small to say: every recent value is below {SMALL_COUNT}, "
            "so one or two cases move them a long way.",
            rate_per_month=rate,
            projected=projected,
        )
    return Trajectory(
        Course.ON_COURSE if on_course else Course.OFF_COURSE, explanation, rate_per_month=rate, projected=projected
    )


def _rate(rate, unit, format_value):
    if unit == "percentage":
        return f"{rate.normalize():f} percentage point{'s' if rate != 1 else ''}"
    return format_value(rate)
