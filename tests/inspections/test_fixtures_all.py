"""All of fixtures/, loaded the way `make run` loads it."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from improvement.models import Measure, MeasureValue, Priority
from inspections.models import Finding, FixtureLoad, Inspection, Judgement, Person, SourceDocument
from scrutiny.models import Membership, Recommendation, ScrutinyAction

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("inspections", "improvement", "scrutiny")
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


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
    assert not areas.unanswered().exists()
    # ...and the CSOG's ratings are the current ratings of the 2022 plan's priorities.
    green = Priority.objects.with_current_rating().get(
        title="Voice and influence of children, young people and families"
    )
    assert green.current_rating == "green"
    icpc = Measure.objects.with_latest_values().get(title__startswith="Initial Child Protection Conferences")
    assert icpc.latest_value == 60 and icpc.latest_period_end.isoformat() == "2022-02-21"


def records(model):
    for path in sorted(FIXTURES.glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            if record["model"] == model:
                yield record["fields"]


def test_the_fixtures_state_nothing_their_sources_do_not():
    # Measures: the sources give values, not polarity or data period; one gives a frequency.
    measures = list(records("improvement.measure"))
    assert measures
    assert [m["reference"] for m in measures if "polarity" in m or "data_period" in m] == []
    assert [(m["reference"], m["frequency"]) for m in measures if "frequency" in m] == [
        ("dcc-2013-social-work-vacancy-rate", "annually")
    ]
    # Statuses: no source says how an action or recommendation stands.
    assert [a["text"] for a in records("scrutiny.scrutinyaction") if "status" in a] == []
    assert [r["text"] for r in records("scrutiny.recommendation") if "status" in r] == []
    # People the CSOG report lists only as attending are not members.
    assert [m for m in records("scrutiny.membership") if m["committee"] == ["Children's Standing Overview Group"]] == []
    # The letter says who signed, not who led.
    assert [i for i in records("inspections.inspectioninspector") if "is_lead" in i] == []
    # The 2020 report says only "judged to be inadequate".
    assert [j["name"] for j in records("inspections.judgement")] == ["Overall effectiveness", ""]


def test_the_loaded_record_shows_no_inference_as_a_source_fact():
    call_command("load_letters")

    assert set(Measure.objects.values_list("polarity", flat=True)) == {""}
    assert set(Measure.objects.values_list("data_period", flat=True)) == {""}
    assert set(Recommendation.objects.values_list("status", flat=True)) == {""}
    assert not Membership.objects.filter(committee__short_name="CSOG").exists()
    assert list(Judgement.objects.filter(name=Judgement.OVERALL).values_list("inspection__visit_start", flat=True)) == [
        Inspection.objects.get(kind="protection_inspection").visit_start
    ]
    # A scrutiny action's status follows its updates; the record holds none, so all are open
    # by the tracker's rule, not by any source.
    assert not ScrutinyAction.objects.filter(updates__isnull=False).exists()
    # No value reads as dated more precisely than its source dates it.
    assert not MeasureValue.objects.filter(period_label__startswith="As reported to").exists()
    assert MeasureValue.objects.filter(dated_by_report=True).count() == 19


def test_contact_and_sign_off_names_are_held_as_the_readme_says():
    call_command("load_letters")
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")

    people = {
        "James McInnes": "Cabinet Member for Children's Services",
        "Jo Olsson": "Chief Officer",
        "Vivien Lines": "",
        "Charlie Fisher": "Scrutiny Officer",
        "Stephanie Lewis": "",
        "Dan Looker": "",
    }
    for name, job_title in people.items():
        assert name in readme
        assert Person.objects.get(name=name).job_title == job_title
    # The 2020 report carries no date: the README and the record both hold it to the year.
    assert "late 2020" not in readme
    report = SourceDocument.objects.get(reference="2020-post-ofsted-improvements-report")
    assert (report.date_display, report.date_precision) == ("2020", "year")
    assert Person.objects.get(name="Dan Looker").organisation == ""  # the report does not say
