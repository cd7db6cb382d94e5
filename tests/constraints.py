"""Assertions shared by the model tests: constraints, validation and natural keys."""

from contextlib import contextmanager

import pytest
from django.core import serializers
from django.db import IntegrityError, connection, transaction

from inspections.models import AppendOnlyModel


@contextmanager
def violates(constraint=None):
    """The block must fail in the database, on the named constraint where the backend names it.

    PostgreSQL names every violated constraint; SQLite names check constraints but reports a
    unique constraint by its columns.
    """
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        yield
    if constraint:
        message = str(info.value)
        assert constraint in message or "UNIQUE constraint failed" in message, message


def validation_messages(error):
    return [message for messages in error.message_dict.values() for message in messages]


def serialize(objects):
    return serializers.serialize("json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True)


def assert_deserializes_onto_existing_rows(record):
    """Serialized with natural keys and loaded again, the objects map onto their own rows.
    Append-only rows are found but not saved again: nothing may write over history."""
    counts = {type(obj): type(obj).objects.count() for obj in record}

    loaded = list(serializers.deserialize("json", serialize(record)))
    for deserialized in loaded:
        if not isinstance(deserialized.object, AppendOnlyModel):
            deserialized.save()

    assert [d.object.pk for d in loaded] == [obj.pk for obj in record]
    assert {model: model.objects.count() for model in counts} == counts


def erase_history(*models):
    """Empty append-only tables, as a test that rebuilds a record from scratch must. Nothing in
    the app can: the models and their QuerySets refuse deletes, and on PostgreSQL so do row
    triggers, which TRUNCATE (like the test runner's own flush) does not fire."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Check the deferred foreign keys now: TRUNCATE refuses while checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"TRUNCATE {table}" if connection.vendor == "postgresql" else f"DELETE FROM {table}")
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
