"""The pointers the database keeps (config/latest_rows.py): a measure's latest value, and a
priority's or an action's latest update and the update that gave its current rating, stay
right whatever writes, including writes that go round the app."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import serializers
from django.db import connection, transaction

from config import latest_rows
from improvement.models import Action, Measure, MeasureValue, Priority, ProgressUpdate, Rating
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureValueFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def latest_of(measure):
    return Measure.objects.values_list("latest", flat=True).get(pk=measure.pk)


def pointers_of(record):
    return type(record).objects.values_list("last_update", "current_rating_update").get(pk=record.pk)


def value(measure, period_end, figure="70"):
    return MeasureValueFactory(measure=measure, period_end=period_end, value=D(figure))


class TestAMeasuresLatestValue:
    def test_a_measure_without_values_points_at_none(self):
        assert latest_of(MeasureFactory()) is None

    def test_it_is_the_value_for_the_latest_period_whatever_order_they_were_recorded_in(self):
        measure = MeasureFactory()
        june = value(measure, dt.date(2024, 6, 30))
        assert latest_of(measure) == june.pk
        value(measure, dt.date(2024, 5, 31))
        assert latest_of(measure) == june.pk
        july = value(measure, dt.date(2024, 7, 31))
        assert latest_of(measure) == july.pk

    def test_recording_through_the_verb_moves_it(self):
        measure = MeasureFactory()
        value(measure, dt.date(2024, 5, 31))
        recorded = measure.record_value(by=UserFactory(), period_end=dt.date(2024, 6, 30), value=D("81"))
        assert latest_of(measure) == recorded.pk
        assert Measure.objects.with_latest_rating().get(pk=measure.pk).latest_rating == Rating.GREEN

    def test_a_corrected_value_shows_at_once(self):
        measure = MeasureFactory()
        latest = value(measure, dt.date(2024, 6, 30), "70")
        latest.correct(by=UserFactory(), value=D("90"), reason="Typed wrongly.")
        row = Measure.objects.with_latest_rating().get(pk=measure.pk)
        assert (row.latest_value, row.latest_rating) == (D("90"), Rating.GREEN)

    def test_deleting_the_latest_value_falls_back_to_the_one_before(self):
        measure = MeasureFactory()
        may = value(measure, dt.date(2024, 5, 31))
        value(measure, dt.date(2024, 6, 30)).delete()
        assert latest_of(measure) == may.pk
        may.delete()
        assert latest_of(measure) is None

    def test_a_period_moved_by_a_queryset_update_moves_it(self):
        measure = MeasureFactory()
        may, june = value(measure, dt.date(2024, 5, 31)), value(measure, dt.date(2024, 6, 30))
        MeasureValue.objects.filter(pk=may.pk).update(period_end=dt.date(2024, 7, 31))
        assert latest_of(measure) == may.pk
        assert june.pk != may.pk

    def test_a_value_moved_to_another_measure_moves_both_pointers(self):
        first, second = MeasureFactory(), MeasureFactory()
        moved = value(first, dt.date(2024, 6, 30))
        MeasureValue.objects.filter(pk=moved.pk).update(measure=second)
        assert (latest_of(first), latest_of(second)) == (None, moved.pk)

    def test_values_written_in_bulk_and_by_hand_written_sql_move_it(self):
        measure = MeasureFactory()
        MeasureValue.objects.bulk_create(
            [MeasureValue(measure=measure, period_end=dt.date(2024, month, 28), value=D("60")) for month in (1, 3, 2)]
        )
        march = MeasureValue.objects.get(measure=measure, period_end=dt.date(2024, 3, 28))
        assert latest_of(measure) == march.pk
        # Written by hand, as a database administrator might: every column of an unsaved value.
        april = MeasureValue(measure=measure, period_end=dt.date(2024, 4, 28), value=D("65"))
        fields = [f for f in MeasureValue._meta.concrete_fields if not f.primary_key and not f.generated]
        columns = ", ".join(f.column for f in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {MeasureValue._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})",
                [f.get_db_prep_save(f.pre_save(april, add=True), connection) for f in fields],
            )
        april = MeasureValue.objects.get(measure=measure, period_end=dt.date(2024, 4, 28))
        assert latest_of(measure) == april.pk

    def test_a_measure_saved_from_a_stale_copy_keeps_the_right_pointer(self):
        measure = MeasureFactory()
        stale = Measure.objects.get(pk=measure.pk)
        latest = value(measure, dt.date(2024, 6, 30))
        stale.title = "Renamed"
        stale.save()
        assert latest_of(measure) == latest.pk

    def test_a_measure_loaded_from_a_fixture_after_its_values_points_at_the_latest(self):
        measure = MeasureFactory()
        latest = value(measure, dt.date(2024, 6, 30))
        [loaded] = serializers.deserialize("json", serializers.serialize("json", [measure]))
        assert "latest" not in serializers.serialize("json", [measure])
        with transaction.atomic():
            loaded.save()
        assert latest_of(measure) == latest.pk


class TestRatedRecordsUpdates:
    @pytest.mark.parametrize("kind", ["priority", "action"])
    def test_the_current_rating_is_the_latest_rated_update_and_a_note_moves_only_the_last_update(self, kind):
        record = PriorityFactory() if kind == "priority" else ActionFactory()
        update = {"priority": record, "action": None} if kind == "priority" else {"action": record}
        assert pointers_of(record) == (None, None)
        red = ProgressUpdateFactory(**update, date=dt.date(2024, 5, 31), rating=Rating.RED)
        assert pointers_of(record) == (red.pk, red.pk)
        note = ProgressUpdateFactory(**update, date=dt.date(2024, 6, 30), rating=None, commentary="Recruiting.")
        assert pointers_of(record) == (note.pk, red.pk)
        # An earlier period's rating, recorded later, is not the current one.
        ProgressUpdateFactory(**update, date=dt.date(2024, 4, 30), rating=Rating.GREEN)
        assert pointers_of(record) == (note.pk, red.pk)
        row = type(record).objects.with_current_rating().get(pk=record.pk)
        assert (row.current_rating, row.rated_on, row.last_updated_on) == (
            Rating.RED,
            dt.date(2024, 5, 31),
            dt.date(2024, 6, 30),
        )

    def test_rating_through_the_verbs_moves_the_pointers(self):
        user = UserFactory(first_name="Olive", last_name="Officer")
        action = ActionFactory()
        action.record_progress(by=user, rating=Rating.AMBER, commentary="Slipping.", as_of=dt.date(2024, 6, 30))
        priority = action.priority
        priority.record_rating(by=user, rating=Rating.GREEN, commentary="On track.", as_of=dt.date(2024, 6, 30))
        for model, record, rating in ((Action, action, Rating.AMBER), (Priority, priority, Rating.GREEN)):
            row = model.objects.with_current_rating().get(pk=record.pk)
            assert (row.current_rating, row.last_updated_by) == (rating, "Olive Officer")
            latest = ProgressUpdate.objects.filter(**{model._meta.model_name: record}).get()
            assert pointers_of(record) == (latest.pk, latest.pk)

    def test_an_action_saved_from_a_stale_copy_keeps_its_rating(self):
        action = ActionFactory()
        stale = Action.objects.get(pk=action.pk)
        rated = ProgressUpdateFactory(action=action, rating=Rating.GREEN)
        stale.description = "Reworded."
        stale.save()
        assert pointers_of(action) == (rated.pk, rated.pk)


def test_installing_works_out_the_pointers_of_the_rows_already_there():
    """What the migration does to a database that has rows: uninstalled, the pointers go stale;
    installed again, they are right."""
    measure = MeasureFactory()
    action = ActionFactory()
    # As a migration calls them (they need only the editor's connection).
    editor = SimpleNamespace(connection=connection)
    latest_rows.uninstall(apps, editor)
    latest = value(measure, dt.date(2024, 6, 30))
    rated = ProgressUpdateFactory(action=action, rating=Rating.RED)
    assert (latest_of(measure), pointers_of(action)) == (None, (None, None))
    latest_rows.install(apps, editor)
    assert (latest_of(measure), pointers_of(action)) == (latest.pk, (rated.pk, rated.pk))
