"""Councillors' line of sight in Chromium, over the loaded record: every page passes axe at
desktop and phone widths, a chart's table holds the chart's figures, and no rating is shown by
colour alone."""

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from improvement.models import ImprovementPlan, Measure, Rating
from inspections.models import Finding, Inspection
from inspections.themes import sync_themes
from scrutiny.models import Meeting
from tests.browser.axe import assert_no_axe_violations
from tests.conftest import PASSWORD
from tests.factories import ComparatorGroupFactory, ComparatorValueFactory, MeasureValueFactory


@pytest.fixture
def record(transactional_db):
    # Transactional tests flush what data migrations made; put the theme list back first.
    sync_themes(apps)
    call_command("load_letters", verbosity=0)
    # The record gives no measure a target or a series: give one of the scorecard's a target,
    # a year of monthly values and a comparator, as officers would, so a chart has lines.
    measure = Measure.objects.get(reference="dcc-initial-assessments-within-45-days")
    Measure.objects.filter(pk=measure.pk).update(
        target=Decimal("80"),
        amber_tolerance=Decimal("5"),
        target_date=dt.date(2023, 3, 31),
        # The sources state no polarity: the tracker's own configuration, as an officer would set it.
        polarity=Measure.Polarity.HIGHER_IS_BETTER,
        data_period=Measure.DataPeriod.SNAPSHOT,
    )
    for day, value in zip(
        ["2021-09-28", "2021-10-28", "2021-11-28", "2021-12-28", "2022-01-28"], [55, 58, 61, 63, 66], strict=True
    ):
        MeasureValueFactory(measure=measure, period_end=dt.date.fromisoformat(day), value=Decimal(value))
    england = ComparatorGroupFactory(name="England average")
    for month, value in ((10, 77), (12, 78)):
        ComparatorValueFactory(measure=measure, group=england, period_end=dt.date(2021, month, 28), value=value)
    return measure


def sign_in(page):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("councillor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def pages():
    earlier = ImprovementPlan.objects.get(reference="2013-ofsted-action-plan")
    protection = Inspection.objects.get(kind="protection_inspection")
    return [
        "/",
        protection.get_absolute_url(),
        f"/inspections/{protection.pk}/coverage/",
        Finding.objects.get(
            inspection__kind="ilacs_inspection", kind="area_for_improvement", number=1
        ).get_absolute_url(),
        "/plan/",
        earlier.get_absolute_url(),
        Measure.objects.get(reference="dcc-initial-assessments-within-45-days").get_absolute_url(),
        Measure.objects.get(reference="dcc-2013-child-protection-inspections-judged-inadequate").get_absolute_url(),
        Meeting.objects.get(date="2022-02-21").get_absolute_url(),
        "/no-such-page/",
    ]


def assert_rag_never_by_colour_alone(page):
    """Every RAG tag says its rating in words, and its colour is that word's."""
    for tag in page.locator(".app-rag").all():
        word = tag.inner_text().strip()
        assert word in Rating.labels, f"A RAG tag on {page.url} says {word!r}"
        assert f"app-rag--{Rating(word.lower()).value}" in tag.get_attribute("class")


def test_every_page_passes_axe_and_shows_ratings_in_words(page, live_server, councillor, record):
    sign_in(page)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages():
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_have_count(1)
            assert_no_axe_violations(page)
            assert_rag_never_by_colour_alone(page)
            # Nothing makes a phone-width page scroll sideways.
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"


def test_the_measure_chart_and_its_table_hold_the_same_figures(page, live_server, councillor, record):
    sign_in(page)
    page.goto(record.get_absolute_url())

    chart = page.get_by_role("img", name="Initial assessments completed in 45 days: values over time")
    expect(chart).to_be_visible()
    # Each marker's title, "Devon: 66% on 28 January 2022", as (series, value) pairs.
    in_chart = Counter(
        tuple(re.match(r"(.+): (\S+) on ", title).groups())
        for title in chart.locator("circle > title, polygon > title").all_text_contents()
    )
    table = page.locator("#measure-values-table")
    columns = table.locator("thead th").all_text_contents()[1:]
    in_table = Counter(
        (column, cell)
        for row in table.locator("tbody tr").all()
        for column, cell in zip(columns, row.locator("td").all_text_contents(), strict=True)
        if cell != "—"
    )
    assert in_chart == in_table
    assert in_table[("Devon", "68%")] == 1 and in_table[("England average", "78%")] == 1
    assert sum(in_table.values()) == 8
    # The chart says what it shows in words too.
    assert "Devon: 6 values, from 55% on 28 September 2021 to 68% on 21 February 2022" in (
        chart.locator("desc").text_content()
    )


def test_the_scorecard_rates_a_measure_in_words_with_its_trajectory(page, live_server, councillor, record):
    sign_in(page)

    card = page.locator(".govuk-summary-card", has_text="Initial assessments completed in 45 days")
    expect(card.locator(".app-rag")).to_have_text("Red")
    expect(card).to_contain_text("Improving, from 66% (28 January 2022)")
    expect(card).to_contain_text("Not on course")
    expect(card.get_by_role("img", name="Trend of Initial assessments completed in 45 days")).to_be_visible()
