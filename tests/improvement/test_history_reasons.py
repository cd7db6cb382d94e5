"""A change's reason is kept whole in its history, however long the officer's words and the
name of the file it came from (django-simple-history's default column held 100 characters,
which PostgreSQL enforced)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import models

from improvement.models import Action, MeasureValue
from tests.factories import ActionFactory, MeasureValueFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "The audit team could not start until the new case management system went live, " * 3
VIA = "spreadsheet bulk-update-plan-2026-11-30-with-a-long-name.xlsx (bulk update 1234)"


def test_a_long_due_date_reason_is_kept_whole():
    action = ActionFactory()
    action.move_due_date(by=UserFactory(), to=dt.date(2023, 3, 31), reason=REASON, via=VIA)

    record = Action.history.filter(id=action.pk).latest("history_id")
    assert record.history_change_reason == f"Due date moved to 31 March 2023: {REASON.strip()} (via {VIA})"


def test_a_long_correction_reason_is_kept_whole():
    value = MeasureValueFactory(value=Decimal("60"))
    value.correct(by=UserFactory(), value=Decimal("61"), reason=REASON, via=VIA)

    [entry, *_] = value.measure.timeline()
    assert entry.text == f"{REASON.strip()} (via {VIA})"


@pytest.mark.parametrize("model", [Action, MeasureValue])
def test_the_reason_column_has_no_length_limit(model):
    assert isinstance(model.history.model._meta.get_field("history_change_reason"), models.TextField)
