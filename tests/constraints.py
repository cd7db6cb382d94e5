"""Assertions shared by the model tests: constraints, validation and natural keys."""

from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction

from inspections.models import AppendOnlyModel


@contextmanager
def violates(constraint, field=None):
    """The block must fail in the database on `constraint`, checked by name on both databases.

    `constraint` is the name of a constraint in a model's Meta (e.g. "finding_unique_number"),
    or a model, with `field`, for that field's own `unique=True`. PostgreSQL reports the name of
    the constraint violated; SQLite names a check constraint but reports a unique one by its
    columns, so for SQLite the columns are worked out from the model.
    """
    expected = _expected(constraint, field)
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        yield
    assert _reported(info.value) == expected, f"expected {expected}; the database said: {info.value}"


def _expected(constraint, field):
    if field is not None:
        model, column = constraint, constraint._meta.get_field(field).column
        if connection.vendor == "sqlite":
            return ("unique", (f"{model._meta.db_table}.{column}",))
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, model._meta.db_table)
        (name,) = [
            name for name, c in found.items() if c["unique"] and c["columns"] == [column] and not c["primary_key"]
        ]
        return name
    declared = [
        (model, declared)
        for model in apps.get_models()
        for declared in model._meta.constraints
        if declared.name == constraint
    ]
    assert declared, f"no model declares a constraint named {constraint!r}"
    model, declared = declared[0]
    if connection.vendor != "sqlite":
        return constraint
    if isinstance(declared, models.UniqueConstraint):
        table = model._meta.db_table
        return ("unique", tuple(f"{table}.{model._meta.get_field(name).column}" for name in declared.fields))
    return ("check", constraint)


def _reported(error):
    if connection.vendor != "sqlite":
        return error.__cause__.diag.constraint_name
    message = str(error)
    if message.startswith("UNIQUE constraint failed: "):
        return ("unique", tuple(message.removeprefix("UNIQUE constraint failed: ").split(", ")))
    if message.startswith("CHECK constraint failed: "):
        return ("check", message.removeprefix("CHECK constraint failed: "))
    return ("other", message)


def errors_of(check):
    """The messages a validation gives, by field; {} when it accepts. For tests that show a
    value is allowed: they assert that no error comes, rather than only not raising."""
    try:
        check()
    except ValidationError as error:
        return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return {}


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
