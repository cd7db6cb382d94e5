"""All of fixtures/, loaded the way `make run` loads it."""

import pytest
from django.apps import apps
from django.core.management import call_command

from config import golden_thread
from improvement.models import Measure, Priority
from inspections.models import Finding, FixtureLoad, Inspection

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("inspections", "improvement", "scrutiny")


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if model is not FixtureLoad
    }


def test_load_letters_loads_every_source_document(capsys):
    call_command("load_letters")

    assert "Loaded 5 fixture files" in capsys.readouterr().out
    assert list(Inspection.objects.order_by("visit_start").values_list("kind", flat=True)) == [
        "other",
        "protection_inspection",
        "ilacs_inspection",
        "monitoring_visit",
        "focused_visit",
        "monitoring_visit",
    ]
    visit = Inspection.objects.get(kind="monitoring_visit", visit_start="2022-02-02")
    assert [f.kind for f in visit.findings.in_report_order()][:4] == ["headline", "headline", "headline", "finding"]


def test_loading_twice_leaves_the_same_rows(capsys):
    call_command("load_letters")
    before = row_counts()

    call_command("load_letters")

    assert row_counts() == before
    assert "0 created, 0 updated" in capsys.readouterr().out.splitlines()[-1]


def test_the_golden_thread_runs_through_the_record():
    call_command("load_letters")

    # The 2020 plan's priorities answer the eight areas for improvement...
    areas = Finding.objects.filter(kind="area_for_improvement", inspection__kind="ilacs_inspection")
    assert areas.count() == 8
    assert not golden_thread.unanswered(areas).exists()
    # ...and the CSOG's ratings are the current ratings of the 2022 plan's priorities.
    green = Priority.objects.with_current_rating().get(
        title="Voice and influence of children, young people and families"
    )
    assert green.current_rating == "green"
    icpc = Measure.objects.with_latest_values().get(title__startswith="Initial Child Protection Conferences")
    assert icpc.latest_value == 60 and icpc.latest_period_end.isoformat() == "2022-02-21"
