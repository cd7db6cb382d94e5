"""A database loaded with the earlier fixtures is brought to the corrected record (issue 16).

`earlier_fixtures/` holds the five files as they were before issue 16. A test loads them as an
old database holds them (with the schema migrations' renames applied, as `migrate` applies
them), runs the issue's data migrations, then `load_letters` with today's fixtures: the record
must then be exactly what a fresh load gives, and loading again must change nothing.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from improvement.models import Measure, MeasureValue
from inspections.models import InspectionInspector, Judgement
from scrutiny.models import Attendance, Membership, Recommendation

pytestmark = pytest.mark.django_db

EARLIER = Path(__file__).parent / "earlier_fixtures"
DOMAIN_APPS = ("inspections", "improvement", "scrutiny")
# What the schema migrations do to the earlier rows' fields: (model, old name) -> new name.
RENAMED_FIELDS = {("inspections.inspectioninspector", "is_lead"): "signed_letter"}
# Set when a row is written, not by any source.
WRITTEN_AT = {"recorded_at"}
CSOG = "Children's Standing Overview Group"
ICPC = "dcc-icpc-within-15-days-of-section-47"
INFERRED_MEMBERS = ["Andrew Leadbetter", "Kevin Crompton", "Charlie Fisher"]


def load_earlier_fixtures(directory):
    for path in sorted(EARLIER.glob("*.json")):
        records = json.loads(path.read_text(encoding="utf-8"))
        for record in records:
            for (model, old), new in RENAMED_FIELDS.items():
                if record["model"] == model and old in record["fields"]:
                    record["fields"][new] = record["fields"].pop(old)
        (directory / path.name).write_text(json.dumps(records), encoding="utf-8")
    call_command("load_letters", directory=str(directory), stdout=StringIO())


def run_the_upgrade_migrations():
    """Each app's `upgrade_earlier_fixtures`, with the models as they stand at that migration."""
    loader = MigrationLoader(connection)
    upgrades = [
        (key, operation)
        for app_label in DOMAIN_APPS
        for key, migration in sorted(loader.disk_migrations.items())
        if key[0] == app_label and "fixture_fidelity" in key[1]
        for operation in migration.operations
        if isinstance(operation, RunPython) and operation.code.__name__ == "upgrade_earlier_fixtures"
    ]
    assert {app_label for (app_label, _), _ in upgrades} == set(DOMAIN_APPS)
    for key, operation in upgrades:
        operation.code(loader.project_state(key, at_end=False).apps, None)


def record():
    """Every row of the record, by natural key: its fields, foreign keys as natural keys, and
    many-to-many fields as sorted natural keys."""
    rows = {}
    for app_label in DOMAIN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if not getattr(model, "NATURAL_KEY", ()):
                continue
            for obj in model._base_manager.all():
                fields = {}
                for field in model._meta.concrete_fields:
                    if field.primary_key or field.name in WRITTEN_AT:
                        continue
                    value = getattr(obj, field.name)
                    fields[field.name] = value.natural_key() if field.is_relation and value else value
                for field in model._meta.many_to_many:
                    fields[field.name] = sorted(related.natural_key() for related in getattr(obj, field.name).all())
                rows[model._meta.label, obj.natural_key()] = fields
    return rows


def row_counts():
    """Rows per table of the record, many-to-many tables included and history tables not."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in DOMAIN_APPS
        and not model._meta.model_name.startswith("historical")
        and model._meta.model_name != "fixtureload"
    }


def fresh_load():
    """What loading today's fixtures into an empty database gives; rolled back afterwards."""
    with transaction.atomic():
        call_command("load_letters", stdout=StringIO())
        result = record(), row_counts()
        transaction.set_rollback(True)
    return result


def test_an_earlier_database_is_brought_to_the_new_record(tmp_path):
    fresh, fresh_counts = fresh_load()
    load_earlier_fixtures(tmp_path)
    assert record() != fresh  # the earlier record differs

    run_the_upgrade_migrations()
    output = StringIO()
    call_command("load_letters", stdout=output)

    assert row_counts() == fresh_counts
    assert record() == fresh
    again = StringIO()
    call_command("load_letters", stdout=again)
    assert "0 created, 0 updated" in again.getvalue().splitlines()[-1]
    assert record() == fresh


def test_the_upgrade_removes_and_clears_exactly_what_the_earlier_fixtures_inferred(tmp_path):
    load_earlier_fixtures(tmp_path)
    assert Membership.objects.filter(committee__name=CSOG).count() == 3
    assert Judgement.objects.filter(inspection__visit_start="2020-01-01", name="Overall effectiveness").exists()
    assert InspectionInspector.objects.get(person__name="Steve Lowe").signed_letter is True

    run_the_upgrade_migrations()

    assert not Membership.objects.filter(committee__name=CSOG).exists()
    attending = Attendance.objects.filter(meeting__committee__name=CSOG, person__name__in=INFERRED_MEMBERS)
    assert attending.count() == 3  # they still attended
    judgement = Judgement.objects.get(inspection__kind="ilacs_inspection", inspection__visit_start="2020-01-01")
    assert (judgement.name, judgement.grade) == ("", "inadequate")
    assert set(Measure.objects.values_list("polarity", "data_period")) == {("", "")}
    assert dict(Measure.objects.exclude(frequency="").values_list("reference", "frequency")) == {
        "dcc-2013-social-work-vacancy-rate": "annually"
    }
    assert not MeasureValue.objects.filter(period_label="As reported to CSOG on 21 February 2022").exists()
    assert set(Recommendation.objects.values_list("status", flat=True)) == {""}
    # Each change to plan data is in its row's history, with what it was.
    upgrade = {"history_change_reason__startswith": "Issue 16:"}
    icpc = Measure.objects.get(reference=ICPC)
    assert icpc.history.get(**upgrade).history_change_reason == (
        "Issue 16: unstated, cleared polarity=higher frequency=ad_hoc data_period=snapshot"
    )
    assert icpc.history.get(**upgrade).polarity == ""
    assert Measure.history.filter(**upgrade).count() == 26
    assert MeasureValue.history.filter(**upgrade).count() == 8
    assert Recommendation.history.filter(history_change_reason="Issue 16: unstated, cleared status=made").count() == 6


def test_the_upgrade_leaves_alone_what_someone_has_changed_since(tmp_path):
    load_earlier_fixtures(tmp_path)
    # An officer's own settings and records, made after the earlier load.
    Measure.objects.filter(reference=ICPC).update(polarity="lower")
    Recommendation.objects.filter(committee__name=CSOG).update(status="accepted")
    Membership.objects.filter(committee__name=CSOG, person__name="Charlie Fisher").update(start="2022-01-01")
    MeasureValue.objects.filter(measure__reference=ICPC).update(period_label="Q3 2021/22")

    run_the_upgrade_migrations()

    icpc = Measure.objects.get(reference=ICPC)
    assert (icpc.polarity, icpc.frequency, icpc.data_period) == ("lower", "", "")
    assert Recommendation.objects.get(committee__name=CSOG).status == "accepted"
    assert list(Membership.objects.filter(committee__name=CSOG).values_list("person__name", flat=True)) == [
        "Charlie Fisher"
    ]
    assert MeasureValue.objects.get(measure__reference=ICPC).period_label == "Q3 2021/22"


def test_the_upgrade_does_nothing_to_a_fresh_record():
    call_command("load_letters", stdout=StringIO())
    before = record()
    run_the_upgrade_migrations()
    assert record() == before
    upgrade = {"history_change_reason__startswith": "Issue 16:"}
    assert not Measure.history.filter(**upgrade).exists()
    assert not MeasureValue.history.filter(**upgrade).exists()
    assert not Recommendation.history.filter(**upgrade).exists()
