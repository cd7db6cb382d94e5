"""The synthetic county: labelled, consistent, deterministic, and never mixed with the record."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Sum

from config import synthetic
from improvement.models import Action, ImprovementPlan, Measure, MeasureValue, Priority, ProgressUpdate
from inspections.models import Authority, Person
from scrutiny.models import ScrutinyAction
from tests.factories import AuthorityFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def fingerprint():
    return (
        list(Action.objects.order_by("pk").values_list("description", "due_date", "status", "owner__name")),
        ProgressUpdate.objects.count(),
        list(Measure.objects.order_by("pk").values_list("title", "target", "priority__reference")),
        MeasureValue.objects.aggregate(Sum("value")),
        list(ScrutinyAction.objects.order_by("pk").values_list("due_date", "status")),
    )


def build(scale=0.05, seed=1):
    return synthetic.build(scale=scale, seed=seed, today=TODAY)


def test_it_builds_a_clearly_labelled_county_with_a_current_plan(settings):
    summary = build()
    settings.HOME_AUTHORITY = synthetic.SHORT_NAME
    authority = Authority.objects.get()
    assert authority.name == "Synthetic County Council (synthetic data)"
    assert ImprovementPlan.objects.current().title == "Synthetic improvement plan 2"
    assert all("synthetic" in name.lower() for name in Person.objects.values_list("name", flat=True))
    assert summary.counts["actions"] == Action.objects.count() > 0


def test_statuses_follow_their_updates_as_the_verbs_keep_them():
    build()
    for action in Action.objects.all():
        latest = action.updates.exclude(status="").order_by("-as_of", "-pk").first()
        assert action.status == (latest.status if latest else Action.Status.NOT_STARTED), action
        assert action.completed_on == (latest.completed_on if latest else None)
    for action in ScrutinyAction.objects.all():
        latest = action.updates.exclude(status="").order_by("-date", "-pk").first()
        assert action.status == (latest.status if latest else ScrutinyAction.Status.OPEN)


def test_it_looks_like_a_live_plan_today():
    build(scale=0.2)
    assert Action.objects.overdue(TODAY).exists()
    assert Action.objects.open().filter(due_by__gte=TODAY).exists()
    assert Priority.objects.with_current_rating().exclude(current_rating=None).exists()
    assert Measure.objects.annotate(n=Count("values")).filter(n=120).count() == Measure.objects.count()
    assert Person.objects.exclude(user=None).exists()


def test_the_same_seed_builds_the_same_county():
    with transaction.atomic():
        build(seed=7)
        first = fingerprint()
        transaction.set_rollback(True)
    build(seed=7)
    assert fingerprint() == first


def test_building_a_chunk_at_a_time_changes_nothing():
    with transaction.atomic():
        whole = synthetic.build(scale=0.1, today=TODAY, chunk=1_000).counts
        first = fingerprint()
        transaction.set_rollback(True)
    counts = synthetic.build(scale=0.1, today=TODAY, chunk=3).counts
    assert counts == whole
    assert fingerprint() == first
    per = synthetic.Counts()
    assert counts["actions"] == counts["priorities"] * per.actions_per_priority
    assert counts["measure values"] == counts["measures"] * 120
    assert counts["meetings"] == counts["committees"] * per.meetings_per_committee
    assert counts["scrutiny actions"] == counts["meetings"] * per.scrutiny_actions_per_meeting


def test_scale_multiplies_the_record_but_keeps_a_county_whole():
    counts = build(scale=0.2).counts
    assert counts["priorities"] == 8
    assert counts["actions"] == 8 * synthetic.Counts().actions_per_priority
    assert counts["improvement plans"] == 2  # the least a county has: an earlier plan and the current one
    assert counts["recommendations"] > 0  # a task group among its committees


def test_the_command_refuses_a_database_with_the_real_record():
    AuthorityFactory(short_name="Devon")
    with pytest.raises(CommandError, match="holds the real record"):
        call_command("seed_synthetic", "--scale", "0.05")
    assert not Action.objects.exists()


def test_the_command_refuses_to_build_twice():
    call_command("seed_synthetic", "--scale", "0.05", stdout=StringIO())
    with pytest.raises(CommandError, match="already holds a synthetic county"):
        call_command("seed_synthetic", "--scale", "0.05")


def test_the_command_says_what_it_built():
    out = StringIO()
    call_command("seed_synthetic", "--scale", "0.05", stdout=out)
    assert out.getvalue().startswith("Built the synthetic county at scale 0.05 in ")
    assert "4 priorities, 200 actions" in out.getvalue()


def test_the_command_says_how_far_it_has_got_unless_asked_to_be_quiet():
    progress, quiet = StringIO(), StringIO()
    with transaction.atomic():
        call_command("seed_synthetic", "--scale", "0.05", stdout=StringIO(), stderr=progress)
        transaction.set_rollback(True)
    call_command("seed_synthetic", "--scale", "0.05", "--verbosity", "0", stdout=StringIO(), stderr=quiet)
    assert "priorities with their actions and updates: 4 of 4" in progress.getvalue()
    assert quiet.getvalue() == ""
