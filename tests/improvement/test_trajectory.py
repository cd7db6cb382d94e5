"""The trajectory rule (improvement/trajectory.py): on course for the target by the target date,
on the measure's own recent trend. A pure function: no database."""

import datetime as dt
from decimal import Decimal

import pytest

from improvement.trajectory import Course, trajectory

TODAY = dt.date(2022, 7, 1)
TARGET_DATE = dt.date(2022, 12, 31)


def monthly(*values, start=dt.date(2022, 1, 31)):
    """Values at month ends from `start` (31 January 2022, 28 February 2022, ...)."""
    points = []
    for offset, value in enumerate(values):
        year, month = divmod(start.month - 1 + offset, 12)
        first_of_next = dt.date(start.year + year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
        points.append((first_of_next - dt.timedelta(days=1), Decimal(value)))
    return points


def percent(value):
    return f"{Decimal(value).normalize():f}%"


def judge(values, *, target="80", target_date=TARGET_DATE, polarity="higher", unit="percentage", today=TODAY):
    return trajectory(
        values,
        target=Decimal(target) if target is not None else None,
        target_date=target_date,
        polarity=polarity,
        today=today,
        unit=unit,
        format_value=percent if unit == "percentage" else lambda value: f"{Decimal(value).normalize():f}",
    )


def test_a_rising_series_that_will_reach_the_target_is_on_course():
    result = judge(monthly(60, 62, 64, 66, 68, 70))

    assert result.course == Course.ON_COURSE
    assert result.rate_per_month == Decimal("2.0")
    # About two points a month (the fit counts days, and months differ in length), carried on
    # from the end of June to the end of December.
    assert result.projected == Decimal("82.2")
    assert result.explanation == (
        "Over the last 6 values, from 60% (31 January 2022) to 70% (30 June 2022), it has risen by about "
        "2 percentage points a month. At that rate it would be about 82.2% by 31 December 2022, meeting the target "
        "of 80%."
    )
    assert result.caution == ""


def test_a_rising_series_too_slow_to_reach_the_target_is_not_on_course():
    result = judge(monthly(60, 60.5, 61, 61.5, 62, 62.5))

    assert result.course == Course.OFF_COURSE
    assert result.projected == Decimal("65.6")
    assert "missing the target of 80%" in result.explanation


def test_a_falling_series_is_not_on_course_and_says_so_in_figures():
    result = judge(monthly(75, 73, 71, 69))

    assert result.course == Course.OFF_COURSE
    assert result.rate_per_month == Decimal("-2.0")
    assert "fallen by about 2 percentage points a month" in result.explanation
    assert "from 75% (31 January 2022) to 69% (30 April 2022)" in result.explanation


def test_a_flat_series_below_target_is_not_on_course_and_at_target_is():
    below = judge(monthly(70, 70, 70))
    at = judge(monthly(80, 80, 80))

    assert below.course == Course.OFF_COURSE
    assert "held level" in below.explanation
    assert below.projected == Decimal("70.0")
    assert at.course == Course.ON_COURSE


def test_meeting_the_target_now_but_heading_away_is_not_on_course():
    result = judge(monthly(95, 92, 89, 86))

    assert result.course == Course.OFF_COURSE
    assert result.explanation.endswith("It meets the target now, but is heading away from it.")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], "No values are recorded yet to judge the target of 80% by 31 December 2022."),
        (monthly(70), "One value is recorded, 70% (31 January 2022), against the target of 80% by 31 December 2022."),
        (
            monthly(70, 75),
            "2 values, from 70% (31 January 2022) to 75% (28 February 2022) are recorded, "
            "against the target of 80% by 31 December 2022.",
        ),
    ],
)
def test_too_short_a_series_cannot_say_and_cautions(values, expected):
    result = judge(values)

    assert result.course == Course.CANNOT_SAY
    assert result.explanation == expected
    assert result.caution.startswith("Too few values to show a trend")


def test_values_all_for_one_date_are_too_few():
    day = dt.date(2022, 2, 21)
    result = judge([(day, Decimal("60")), (day, Decimal("61")), (day, Decimal("62"))])

    assert result.course == Course.CANNOT_SAY
    assert result.caution.startswith("Too few values")


def test_small_counts_are_too_small_to_say_but_give_their_figures():
    result = judge(monthly(2, 3, 4, 5), target="9", unit="count")

    assert result.course == Course.CANNOT_SAY
    assert result.caution.startswith("The numbers are too small to say")
    assert result.projected == Decimal("13.2")
    assert "about 13.2 by 31 December 2022" in result.explanation


def test_counts_large_enough_are_judged():
    result = judge(monthly(20, 30, 40), target="100", unit="count")

    assert result.course == Course.ON_COURSE
    assert result.caution == ""


def test_lower_is_better_reverses_the_judgement():
    falling = monthly(40, 37, 34, 31)
    rising = monthly(31, 34, 37, 40)

    assert judge(falling, target="20", polarity="lower").course == Course.ON_COURSE
    assert judge(rising, target="20", polarity="lower").course == Course.OFF_COURSE
    # Where higher is better, the same falling series is off course even while above its target.
    assert judge(falling, target="20", polarity="higher").course == Course.OFF_COURSE
    assert judge(rising, target="45", polarity="higher").course == Course.ON_COURSE


def test_the_projection_stops_at_the_ends_of_the_scale():
    result = judge(monthly(30, 20, 10, 5), target="0", polarity="lower")

    assert result.projected == Decimal("0")
    assert result.course == Course.ON_COURSE


@pytest.mark.parametrize(
    ("target", "target_date", "polarity", "expected"),
    [
        (None, TARGET_DATE, "higher", "No trajectory: the measure has no target."),
        ("80", None, "higher", "No trajectory: the measure has no date to reach its target by."),
        ("80", TARGET_DATE, "neither", "Neither higher nor lower is better for this measure, so it has no target."),
    ],
)
def test_no_target_no_date_or_no_polarity_gives_no_trajectory(target, target_date, polarity, expected):
    result = judge(monthly(60, 62, 64), target=target, target_date=target_date, polarity=polarity)

    assert result.course == Course.NO_TARGET
    assert result.explanation == expected


def test_after_the_target_date_it_says_whether_the_target_was_met():
    missed = judge(monthly(60, 62, 64), today=dt.date(2023, 1, 1))
    met = judge(monthly(78, 80, 81), today=dt.date(2023, 1, 1))

    assert missed.course == Course.OFF_COURSE
    assert missed.explanation == (
        "The target date, 31 December 2022, has passed. The latest value, 64% (31 March 2022), "
        "did not meet the target of 80%."
    )
    assert met.course == Course.ON_COURSE


def test_only_the_recent_values_count():
    # An old collapse, then six months of steady climb: the climb is the recent trend.
    result = judge([*monthly(90, 10, start=dt.date(2021, 1, 31)), *monthly(60, 62, 64, 66, 68, 70)])

    assert result.rate_per_month == Decimal("2.0")
    assert "Over the last 6 values" in result.explanation
