"""Assertions shared by the model tests."""

from contextlib import contextmanager

import pytest
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
