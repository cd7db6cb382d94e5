"""Assertions shared by the model tests: constraints, validation and natural keys."""

from contextlib import contextmanager

import pytest
from django.core import serializers
from django.db import IntegrityError, transaction


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
    """Serialized with natural keys and loaded again, the objects map onto their own rows."""
    counts = {type(obj): type(obj).objects.count() for obj in record}

    loaded = list(serializers.deserialize("json", serialize(record)))
    for deserialized in loaded:
        deserialized.save()

    assert [d.object.pk for d in loaded] == [obj.pk for obj in record]
    assert {model: model.objects.count() for model in counts} == counts
