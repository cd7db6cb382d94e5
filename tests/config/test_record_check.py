"""The record's fingerprints, which show that a backup restored whole (`manage.py record_check`)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from config.record_check import plan_digest, row_counts
from improvement.models import Rating
from tests.factories import MeasureValueFactory, PriorityFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def test_the_digest_is_the_same_for_the_same_plan():
    PriorityFactory()
    assert plan_digest() == plan_digest()


def test_the_digest_changes_with_a_rating(officer):
    priority = PriorityFactory()
    before = plan_digest()
    priority.record_rating(by=officer, rating=Rating.AMBER, commentary="Caseloads are down.")
    assert plan_digest() != before


def test_the_digest_changes_with_one_field_of_a_value():
    value = MeasureValueFactory()
    before = plan_digest()
    type(value).objects.filter(pk=value.pk).update(note="corrected")
    assert plan_digest() != before


def test_row_counts_cover_every_table():
    ProgressUpdateFactory.create_batch(3)
    counts = row_counts()
    assert counts["improvement_progressupdate"] == 3
    assert {"django_migrations", "auth_user", "scrutiny_meeting"} <= counts.keys()


def test_the_command_prints_both_as_json():
    PriorityFactory()
    out = StringIO()
    call_command("record_check", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["plan_sha256"] == plan_digest()
    assert printed["tables"]["improvement_priority"] == 1
