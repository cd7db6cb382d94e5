"""What a load may do to the record, from the command line and through the admin alike: only the
record's own models, append-only rows never changed, nothing blanked unless chosen, nothing
written that does not change, and every limit a clear message."""

import datetime as dt
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from improvement.models import ProgressUpdate, Rating
from inspections.models import AppendOnlyModel, Authority, FixtureLoad, Inspection, NaturalKeyModel, Person
from tests.factories import ProgressUpdateFactory, factory_for
from tests.inspections import fixture_samples as samples
from tests.pages import confirm_load

pytestmark = pytest.mark.django_db

ROUTES = ["command", "admin"]


def of_the_record(model):
    """What the issue allows a load to touch: the natural-keyed models of the record's own apps
    that its sources can hold (not what only the tracker makes, such as a published pack)."""
    return (
        model._meta.app_label in {"inspections", "improvement", "scrutiny"}
        and issubclass(model, NaturalKeyModel)
        and model.TRANSCRIBED
    )


OUTSIDE_THE_RECORD = sorted(
    model._meta.label_lower for model in apps.get_models(include_auto_created=True) if not of_the_record(model)
)
APPEND_ONLY = [model for model in apps.get_models() if issubclass(model, AppendOnlyModel) and of_the_record(model)]


@pytest.fixture
def load(tmp_path, client, admin):
    """Load records (a list, or a file's text or bytes) from the command line or through the
    admin, upload then confirm. Returns None when it loaded, else the message shown."""
    client.force_login(admin)

    def load(route, records, overwrite_empty=()):
        content = records if isinstance(records, (str, bytes)) else json.dumps(records)
        content = content.encode("utf-8") if isinstance(content, str) else content
        if route == "command":
            (tmp_path / "2024-06-01-upload.json").write_bytes(content)
            try:
                call_command(
                    "load_letters", directory=tmp_path, overwrite_empty=list(overwrite_empty), stdout=StringIO()
                )
            except CommandError as error:
                return str(error)
            return None
        uploaded = client.post(
            reverse("admin:inspections_fixtureload_add"),
            {"file": SimpleUploadedFile("upload.json", content, content_type="application/json")},
        )
        if uploaded.status_code != 302:
            return " ".join(uploaded.context["form"].errors["file"])
        confirmed = confirm_load(client, uploaded.url, overwrite_empty=overwrite_empty, follow=False)
        return confirmed.context["error"] if confirmed.status_code == 200 else None

    return load


def fixture_record(obj):
    """`obj` as a fixture holds it: natural keys, and only the fields that a fixture sets."""
    (record,) = json.loads(
        serializers.serialize("json", [obj], use_natural_foreign_keys=True, use_natural_primary_keys=True)
    )
    Model = type(obj)
    for name in list(record["fields"]):
        model_field = Model._meta.get_field(name)
        recorded_by_the_app = not model_field.editable and name not in Model.NATURAL_KEY
        if recorded_by_the_app or (model_field.is_relation and not of_the_record(model_field.related_model)):
            del record["fields"][name]
    return record


# --- Only the record's own models ---------------------------------------------------------


def test_the_allow_list_leaves_out_users_permissions_history_and_loads():
    assert {
        "auth.user",
        "auth.group",
        "auth.permission",
        "contenttypes.contenttype",
        "sessions.session",
        "admin.logentry",
        "improvement.historicalpriority",
        "scrutiny.historicalscrutinyaction",
        "inspections.fixtureload",
        "improvement.priority_findings",
    } <= set(OUTSIDE_THE_RECORD)
    assert {"inspections.inspection", "improvement.progressupdate", "scrutiny.meeting"}.isdisjoint(OUTSIDE_THE_RECORD)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("label", OUTSIDE_THE_RECORD)
def test_every_model_outside_the_record_is_refused_by_name(load, route, label):
    Model = apps.get_model(label)
    before = Model._base_manager.count()

    error = load(route, [samples.AUTHORITY, {"model": label, "fields": {}}])

    assert f"object 2 ({label}): {label} cannot be loaded from a fixture" in error
    assert not Authority.objects.exists()
    assert Model._base_manager.count() == before
    assert not FixtureLoad.objects.filter(status=FixtureLoad.Status.LOADED).exists()


@pytest.mark.parametrize("label", sorted(m._meta.label_lower for m in apps.get_models() if of_the_record(m)))
def test_every_model_of_the_record_may_be_loaded(load, label):
    error = load("command", [{"model": label, "fields": {}}])

    # Refused for what the object lacks, never for what it is.
    assert "cannot be loaded from a fixture" not in error
    assert f"object 1 ({label}): give the fields of its natural key" in error


@pytest.mark.parametrize("route", ROUTES)
def test_an_administrator_cannot_make_themselves_a_superuser(load, admin, route):
    error = load(route, [{"model": "auth.user", "fields": {"username": "admin", "is_superuser": True}}])

    assert "auth.user cannot be loaded from a fixture" in error
    admin.refresh_from_db()
    assert not admin.is_superuser


def test_the_upload_refuses_a_superuser_before_any_preview(client, admin):
    # Issue 15, fault 1: the upload was previewed ("Changed: admin") and, once confirmed, made a superuser.
    client.force_login(admin)
    records = [
        {"model": "auth.user", "fields": {"username": "admin", "is_superuser": True}},
        {"model": "auth.user", "fields": {"username": "intruder", "is_superuser": True, "is_staff": True}},
        {"model": "contenttypes.contenttype", "fields": {"app_label": "inspections", "model": "backdoor"}},
    ]

    response = client.post(
        reverse("admin:inspections_fixtureload_add"),
        {"file": SimpleUploadedFile("me.json", json.dumps(records).encode(), content_type="application/json")},
    )

    assert response.status_code == 200
    assert "me.json, object 1 (auth.user): auth.user cannot be loaded from a fixture" in response.content.decode()
    assert not FixtureLoad.objects.exists()
    admin.refresh_from_db()
    assert not admin.is_superuser
    assert not admin._meta.model.objects.filter(username="intruder").exists()


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            {"model": "inspections.person", "fields": {"name": "Ada Administrator", "user": ["admin"]}},
            "field 'user': 'user' refers to auth.user, which a fixture cannot set.",
        ),
        (
            {**samples.PROGRESS_UPDATE, "fields": {**samples.PROGRESS_UPDATE["fields"], "recorded_by": ["admin"]}},
            "field 'recorded_by': 'recorded_by' refers to auth.user, which a fixture cannot set.",
        ),
        (
            {
                **samples.PROGRESS_UPDATE,
                "fields": {**samples.PROGRESS_UPDATE["fields"], "recorded_at": "2020-01-01T00:00:00Z"},
            },
            "field 'recorded_at': 'recorded_at' is set when a row is recorded, not by a fixture.",
        ),
    ],
    ids=["a person's user account", "who recorded an update", "when an update was recorded"],
)
@pytest.mark.parametrize("route", ROUTES)
def test_a_field_outside_the_record_is_refused(load, route, record, message):
    error = load(route, [*samples.plan_records(), record])

    assert message in error
    assert not Person.objects.exists() and not ProgressUpdate.objects.exists()


# --- Append-only rows ---------------------------------------------------------------------


def settable_fields(Model):
    return [
        model_field
        for model_field in [*Model._meta.concrete_fields, *Model._meta.many_to_many]
        if not model_field.primary_key
        and model_field.editable
        and model_field.name not in Model.NATURAL_KEY
        and not (model_field.is_relation and not of_the_record(model_field.related_model))
    ]


def another_value(model_field, row):
    """A value of `model_field` unlike the row's, as a fixture writes it."""
    if model_field.many_to_many:
        return [list(factory_for(model_field.related_model)().natural_key())]
    if model_field.is_relation:
        return list(factory_for(model_field.related_model)().natural_key())
    current = getattr(row, model_field.attname)
    if model_field.choices:
        return next(value for value, _ in model_field.flatchoices if value not in {current, "", None})
    if isinstance(model_field, models.BooleanField):
        return not current
    if isinstance(model_field, models.DateField):
        return ((current or dt.date(2020, 1, 1)) + dt.timedelta(days=1)).isoformat()
    if isinstance(model_field, (models.IntegerField, models.DecimalField)):
        return str((current or Decimal(0)) + 1)
    return f"{current or ''} (changed)".strip()


CHANGES = [(Model._meta.label_lower, f.name) for Model in APPEND_ONLY for f in settable_fields(Model)]


def test_the_append_only_models_are_found_by_their_base_class():
    assert {"improvement.progressupdate", "scrutiny.scrutinyactionupdate"} <= {m._meta.label_lower for m in APPEND_ONLY}
    assert ("improvement.progressupdate", "rating") in CHANGES


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(("label", "name"), CHANGES)
def test_no_load_changes_a_recorded_append_only_row(load, route, label, name):
    Model = apps.get_model(label)
    row = factory_for(Model)()
    record, before = fixture_record(row), fixture_record(row)
    record["fields"][name] = another_value(Model._meta.get_field(name), row)

    error = load(route, [record])

    assert f"field '{name}'" in error
    assert f"a {Model._meta.verbose_name} is never changed once recorded" in error
    row.refresh_from_db()
    assert fixture_record(row) == before


def a_value(model_field):
    if model_field.is_relation:
        return factory_for(model_field.related_model)()
    if model_field.choices:
        return next(value for value, _ in model_field.flatchoices if value)
    if isinstance(model_field, models.DateField):
        return dt.date(2022, 2, 21)
    return "As recorded"


def recorded_with_each_optional_field(Model):
    """(field, row) for each optional field a fixture sets: a recorded row with that field
    filled, where the model's rules allow it filled alone."""
    for model_field in settable_fields(Model):
        if not (model_field.null or model_field.blank) or model_field.many_to_many:
            continue
        try:
            with transaction.atomic():
                yield model_field, factory_for(Model)(**{model_field.name: a_value(model_field)})
        except (IntegrityError, ValidationError):
            continue  # e.g. a completion date needs a status too: covered by the change test


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("label", [model._meta.label_lower for model in APPEND_ONLY])
def test_no_load_empties_a_recorded_append_only_field_even_when_chosen(load, route, label):
    Model = apps.get_model(label)
    tried = []
    for model_field, row in recorded_with_each_optional_field(Model):
        name, before = model_field.name, fixture_record(row)
        record = fixture_record(row)
        record["fields"][name] = None if model_field.null else ""

        kept = load(route, [record])
        refused = load(route, [record], overwrite_empty=[f"{label}.{name}"])

        assert kept is None, kept  # left empty by the file, kept by the record
        assert f"field '{name}'" in refused and "is never changed once recorded" in refused
        row.refresh_from_db()
        assert fixture_record(row) == before
        tried.append(name)
    assert tried, f"no optional field of {label} could be filled"


@pytest.mark.parametrize("route", ROUTES)
def test_the_green_rating_of_21_february_2022_cannot_become_red(load, route):
    # Issue 15, fault 2: an upload turned a recorded Green into Red, its commentary still saying Green.
    update = ProgressUpdateFactory(
        key="2022-02-21-csog-voice-and-influence", rating=Rating.GREEN, commentary="Rated Green."
    )
    record = fixture_record(update)
    record["fields"]["rating"] = "red"

    error = load(route, [record])

    assert re.search(
        r"object 1 \(improvement\.progressupdate “.+”\), field 'rating': a progress update is never", error
    )
    assert "this one has 'Green', the file 'Red'" in error
    update.refresh_from_db()
    assert update.rating == Rating.GREEN
    assert not FixtureLoad.objects.filter(status=FixtureLoad.Status.LOADED).exists()


def test_a_matching_append_only_row_is_unchanged_and_never_written_while_new_ones_are_appended(tmp_path, capsys):
    recorded = ProgressUpdateFactory(key="recorded")
    new = {**fixture_record(recorded), "fields": {**fixture_record(recorded)["fields"], "key": "new"}}
    samples.write(tmp_path / "2024-01-01-updates.json", [fixture_record(recorded), new])

    with CaptureQueriesContext(connection) as queries:
        call_command("load_letters", directory=tmp_path)

    writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "DELETE")) and "progressupdate" in q["sql"]]
    assert writes == []
    assert "improvement.progressupdate: 1 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert list(ProgressUpdate.objects.order_by("key").values_list("key", flat=True)) == ["new", "recorded"]


# --- A re-load never blanks, and writes only what changes -----------------------------------


def with_fields(record, **fields):
    return {**record, "fields": {**record["fields"], **fields}}


SUMMARY = "The second monitoring visit since the inadequate judgement."


@pytest.mark.parametrize("route", ROUTES)
def test_a_field_the_file_leaves_empty_keeps_its_value(load, route):
    assert load(route, [samples.AUTHORITY, with_fields(samples.INSPECTION, summary=SUMMARY, framework="ILACS")]) is None

    # The title changes too, so the row is written: what is left empty must survive that.
    changed = with_fields(samples.INSPECTION, summary="", framework=None, title="Monitoring visit (corrected)")
    assert load(route, [samples.AUTHORITY, changed]) is None

    inspection = Inspection.objects.get()
    assert (inspection.title, inspection.summary, inspection.framework) == (
        "Monitoring visit (corrected)",
        SUMMARY,
        "ILACS",
    )


@pytest.mark.parametrize("route", ROUTES)
def test_a_field_chosen_to_be_emptied_is_emptied_and_no_other(load, route):
    load(route, [samples.AUTHORITY, with_fields(samples.INSPECTION, summary=SUMMARY, framework="ILACS")])

    error = load(
        route,
        [samples.AUTHORITY, with_fields(samples.INSPECTION, summary="", framework="")],
        overwrite_empty=["inspections.inspection.summary"],
    )

    assert error is None
    inspection = Inspection.objects.get()
    assert (inspection.summary, inspection.framework) == ("", "ILACS")


def test_a_many_to_many_left_empty_keeps_its_members(tmp_path):
    path = samples.write(tmp_path / "2024-05-20-testshire-letter.json", samples.valid_records())
    call_command("load_letters", directory=tmp_path, verbosity=0)
    records = samples.valid_records()
    records[2]["fields"]["themes"] = []
    samples.write(path, records)

    call_command("load_letters", directory=tmp_path, verbosity=0)

    finding = Inspection.objects.get().findings.get(number=1)
    assert list(finding.themes.values_list("slug", flat=True)) == ["leadership-and-oversight"]


def test_the_command_says_which_fields_it_changes_and_keeps(tmp_path, capsys):
    samples.write(tmp_path / "2024-01-01-a.json", [samples.AUTHORITY, with_fields(samples.INSPECTION, summary=SUMMARY)])
    call_command("load_letters", directory=tmp_path, verbosity=0)
    samples.write(
        tmp_path / "2024-01-01-a.json",
        [samples.AUTHORITY, with_fields(samples.INSPECTION, summary="", title="Monitoring visit (corrected)")],
    )

    call_command("load_letters", directory=tmp_path, dry_run=True)

    out = capsys.readouterr().out
    assert "inspections.inspection: 0 created, 1 updated, 0 unchanged" in out
    assert "title: \"Monitoring visit to Testshire children's services\" -> 'Monitoring visit (corrected)'" in out
    assert (
        "summary: kept 'The second monitoring visit since the inadequate judgement.' (the file leaves it empty; "
        "--overwrite-empty inspections.inspection.summary empties it)"
    ) in out


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("inspections.inspection.colour", "'inspections.inspection.colour' is not a field"),
        ("summary", "'summary' is not a field"),
        ("auth.user.is_superuser", "auth.user is not loaded from fixtures."),
    ],
)
def test_the_command_refuses_an_overwrite_choice_that_is_not_a_loadable_field(tmp_path, choice, message):
    samples.write(tmp_path / "2024-01-01-a.json", [samples.AUTHORITY])

    with pytest.raises(CommandError, match=re.escape(f"--overwrite-empty: {message}")):
        call_command("load_letters", directory=tmp_path, overwrite_empty=[choice])

    assert not Authority.objects.exists()


def test_reloading_writes_nothing_to_the_record(tmp_path):
    samples.write(tmp_path / "2024-05-20-testshire-letter.json", samples.valid_records())
    call_command("load_letters", directory=tmp_path, verbosity=0)

    with CaptureQueriesContext(connection) as queries:
        call_command("load_letters", directory=tmp_path, verbosity=0)

    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes and all('"inspections_fixtureload"' in sql for sql in writes), writes


# --- Limits: each a clear message, never a server error -------------------------------------

LIMITS = {
    "nested 200,000 deep": (
        "[" * 200_000 + "]" * 200_000,
        "lists and objects are nested more than 10 deep; a fixture nests five deep at most.",
    ),
    "a number too long to read": ("[" + "9" * 5000 + "]", "not valid JSON: Exceeds the limit"),
    "NaN": ('[{"model": "improvement.measurevalue", "fields": {"value": NaN}}]', "NaN is not a number"),
    "not UTF-8": ("[]".encode("utf-16"), "the file is not UTF-8 text (byte 0)"),
    "Latin-1": (
        json.dumps([{"model": "inspections.person", "fields": {"name": "Zoë"}}], ensure_ascii=False).encode("latin-1"),
        "UTF-8",
    ),
    "too many objects": (json.dumps([samples.AUTHORITY] * 4), "the file holds 4 objects; the limit is 3."),
}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", LIMITS)
def test_every_limit_is_a_clear_message(load, settings, route, case):
    settings.FIXTURE_MAX_OBJECTS = 3
    content, message = LIMITS[case]

    error = load(route, content)

    assert message in error
    assert not Authority.objects.exists() and not Person.objects.exists()
