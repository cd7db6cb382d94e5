"""A measure's values and target on the officers' pages: one value per period, validated in
the measure's unit; corrections and target changes with a reason, the earlier ones kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from improvement.models import Measure, MeasureValue
from tests.factories import MeasureFactory, MeasureValueFactory, PersonFactory
from tests.officer_pages import date_fields, error_summary, text_of

pytestmark = pytest.mark.django_db

PERIOD = dt.date(2024, 5, 31)


def record(measure, value, period=PERIOD, **data):
    url = reverse("improvement:measure_record_value", args=[measure.pk])
    return url, {"value": value, **date_fields("period_end", period), **data}


@pytest.fixture
def measure():
    return MeasureFactory(
        title="Assessments completed within 45 days", target=Decimal("80"), amber_tolerance=Decimal("5")
    )


def test_a_value_is_recorded_attributed_and_shown_with_its_rating(client, officer, measure):
    PersonFactory(name="Olivia Officer", user=officer)
    client.force_login(officer)
    page = text_of(client.get(record(measure, "")[0]))
    assert "A percentage from 0 to 100, without the % sign." in page
    assert "The target is 80%." in page

    url, data = record(measure, "68.5", note="From the May return.")
    response = client.post(url, data, follow=True)

    assert response.redirect_chain == [(measure.get_absolute_url(), 302)]
    value = MeasureValue.objects.get(measure=measure)
    assert (value.period_end, value.value, value.note, value.recorded_by) == (
        PERIOD,
        Decimal("68.5"),
        "From the May return.",
        officer,
    )
    page = text_of(response)
    assert "Value recorded: 68.5% for 31 May 2024." in page
    assert "Rating Red Red: the latest value, 68.5% for 31 May 2024, is below 75%." in page
    today = dt.date.today()
    assert f"Last updated by Olivia Officer on {today.day} {today:%B %Y}" in page
    assert f"Value for 31 May 2024 recorded: 68.5% {today.day} {today:%B %Y} by Olivia Officer" in page


@pytest.mark.parametrize(
    ("unit", "value", "errors"),
    [
        ("percentage", "101", [("id_value", "A percentage must be between 0 and 100.")]),
        ("percentage", "-3", [("id_value", "A value cannot be negative.")]),
        ("count", "12.5", [("id_value", "A count must be a whole number.")]),
        ("count", "twelve", [("id_value", "The value must be a number, like 68 or 68.5")]),
        ("count", "", [("id_value", "Enter the value")]),
        ("days", "1.234", [("id_value", "The value can have at most 2 decimal places")]),
    ],
)
def test_a_value_must_make_sense_in_its_unit(client, officer, unit, value, errors):
    measure = MeasureFactory(unit=unit, target=None, amber_tolerance=None)
    client.force_login(officer)
    url, data = record(measure, value)

    response = client.post(url, data)

    assert error_summary(response) == errors
    assert text_of(response).startswith("Error: Record a value")
    assert not MeasureValue.objects.exists()


def test_a_period_in_the_future_is_refused(client, officer, measure):
    client.force_login(officer)
    url, data = record(measure, "70", period=dt.date.today() + dt.timedelta(days=1))
    assert error_summary(client.post(url, data)) == [
        ("id_period_end_0", "The date the value is for must be today or in the past")
    ]


def test_a_period_already_recorded_is_refused_with_a_way_to_correct_it(client, officer, measure):
    existing = MeasureValueFactory(measure=measure, period_end=PERIOD, value=Decimal("66"))
    client.force_login(officer)
    url, data = record(measure, "70")

    response = client.post(url, data)

    assert error_summary(response) == [
        ("id_period_end_0", "A value for 31 May 2024 is already recorded (66%). Correct it instead, giving the reason.")
    ]
    correct_url = reverse("improvement:value_correct", args=[existing.pk])
    assert (
        f'<a class="govuk-link" href="{correct_url}">Correct the value for 31 May 2024</a>' in response.content.decode()
    )
    existing.refresh_from_db()
    assert existing.value == Decimal("66")


def test_a_value_is_corrected_with_a_reason_and_the_earlier_one_kept(client, officer, measure):
    value = MeasureValueFactory(measure=measure, period_end=PERIOD, value=Decimal("66"))
    client.force_login(officer)
    url = reverse("improvement:value_correct", args=[value.pk])
    assert "Recorded now: 66%." in text_of(client.get(url))

    response = client.post(url, {"version": 1, "value": "67", "reason": "The return was revised."}, follow=True)

    assert response.redirect_chain == [(measure.get_absolute_url(), 302)]
    value.refresh_from_db()
    assert (value.value, value.version) == (Decimal("67"), 2)
    latest = value.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (officer, "The return was revised.")
    page = text_of(response)
    assert "Value corrected: 31 May 2024 is now 67% (was 66%)." in page
    assert "Value for 31 May 2024 corrected from 66% to 67%" in page and "The return was revised." in page


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"value": "67", "reason": ""}, [("id_reason", "Say why the value is being corrected.")]),
        ({"value": "66", "reason": "Same."}, [("id_value", "The value is already 66%.")]),
        ({"value": "130", "reason": "Typo."}, [("id_value", "A percentage must be between 0 and 100.")]),
    ],
)
def test_a_bad_correction_is_refused_with_its_message(client, officer, measure, data, errors):
    value = MeasureValueFactory(measure=measure, period_end=PERIOD, value=Decimal("66"))
    client.force_login(officer)

    response = client.post(reverse("improvement:value_correct", args=[value.pk]), {"version": 1, **data})

    assert error_summary(response) == errors
    value.refresh_from_db()
    assert (value.value, value.version) == (Decimal("66"), 1)


def test_a_target_is_set_with_its_tolerance_and_date_and_the_earlier_one_kept(client, officer, measure):
    client.force_login(officer)
    url = reverse("improvement:measure_set_target", args=[measure.pk])
    opened = client.get(url).content.decode()
    assert 'name="target" value="80"' in opened and 'name="amber_tolerance" value="5"' in opened

    response = client.post(
        url,
        {
            "version": 1,
            "target": "85",
            "amber_tolerance": "3",
            "reason": "Agreed by the board.",
            **date_fields("target_date", dt.date(2025, 3, 31)),
        },
        follow=True,
    )

    measure.refresh_from_db()
    assert (measure.target, measure.amber_tolerance, measure.target_date, measure.version) == (
        Decimal("85"),
        Decimal("3"),
        dt.date(2025, 3, 31),
        2,
    )
    page = text_of(response)
    assert "Target saved: 85%." in page
    assert "Target 85%, to be reached by 31 March 2025" in page
    assert "Amber when the value is below 85%, but no further than 82%" in page
    assert "Target set to 85%, amber within 3%, to be reached by 31 March 2025 (was 80%)" in page
    assert "Agreed by the board." in page
    assert measure.history.latest().history_user == officer


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"target": "85"}, [("id_reason", "Say why the target is changing.")]),
        (
            {"target": "", "amber_tolerance": "3", "reason": "x"},
            [("id_amber_tolerance", "A tolerance needs a target.")],
        ),
        ({"target": "120", "reason": "x"}, [("id_target", "A percentage must be between 0 and 100.")]),
        (
            {"target": "85", "amber_tolerance": "-1", "reason": "x"},
            [("id_amber_tolerance", "The tolerance cannot be negative")],
        ),
        ({"target": "80", "amber_tolerance": "5"}, [("id_target", "The target, tolerance and date are unchanged.")]),
    ],
)
def test_a_bad_target_is_refused_with_its_message(client, officer, measure, data, errors):
    client.force_login(officer)

    response = client.post(reverse("improvement:measure_set_target", args=[measure.pk]), {"version": 1, **data})

    assert error_summary(response) == errors
    measure.refresh_from_db()
    assert (measure.target, measure.amber_tolerance, measure.version) == (Decimal("80"), Decimal("5"), 1)


def test_a_first_target_needs_no_reason(client, officer):
    measure = MeasureFactory(target=None, amber_tolerance=None)
    client.force_login(officer)
    response = client.post(reverse("improvement:measure_set_target", args=[measure.pk]), {"version": 1, "target": "60"})
    assert response.status_code == 302
    assert Measure.objects.get(pk=measure.pk).target == Decimal("60")


def test_the_measure_page_offers_officers_a_correction_for_each_value(client, officer, councillor, measure):
    value = MeasureValueFactory(measure=measure, period_end=PERIOD)
    correct_url = reverse("improvement:value_correct", args=[value.pk])
    client.force_login(officer)
    assert correct_url in client.get(measure.get_absolute_url()).content.decode()
    client.force_login(councillor)
    assert correct_url not in client.get(measure.get_absolute_url()).content.decode()
