"""The fixture upload and the letter importer, given generated and mutated input (hypothesis):
a clear error or a success, never another exception, and nothing written on an error."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from inspections.letter_import import NotALetterError, extract_letter
from inspections.letter_import.fixture import draft_to_fixture
from inspections.loading import FixtureError, FixtureFile, load_fixtures, record_preview
from inspections.models import FixtureLoad
from tests.inspections import fixture_samples as samples

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
LETTERS = Path(__file__).parent / "letters"
LETTER_TEXTS = {path.name: path.read_text(encoding="utf-8") for path in sorted(LETTERS.glob("*.txt"))}


def all_rows():
    return {model._meta.label: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


# --- Fixture files ---------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)
MODEL_LABELS = [
    "inspections.authority",
    "inspections.inspection",
    "inspections.finding",
    "improvement.priority",
    "improvement.progressupdate",
    "auth.user",
    "inspections.fixtureload",
    "nonsense",
]


@st.composite
def mutated_records(draw):
    """The sample records (authority, inspection, findings, plan, priority, a rating) with a few
    changes of the kinds a hand-edited file has: a field set to any JSON value, a field removed
    or misspelled, a model renamed, a record replaced or duplicated."""
    records = json.loads(
        json.dumps([*samples.valid_records(), samples.PLAN, samples.PRIORITY, samples.PROGRESS_UPDATE])
    )
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(records) - 1))
        record = records[index]
        fields = record.get("fields") if isinstance(record, dict) else None
        change = draw(st.sampled_from(["set", "remove", "misspell", "model", "replace", "duplicate"]))
        if change == "set" and isinstance(fields, dict):
            name = draw(st.sampled_from(sorted(fields)) | st.text(max_size=10))
            fields[name] = draw(json_values)
        elif change == "remove" and isinstance(fields, dict) and fields:
            fields.pop(draw(st.sampled_from(sorted(fields))))
        elif change == "misspell" and isinstance(fields, dict) and fields:
            name = draw(st.sampled_from(sorted(fields)))
            fields[name + "s"] = fields.pop(name)
        elif change == "model" and isinstance(record, dict):
            record["model"] = draw(st.sampled_from(MODEL_LABELS) | st.text(max_size=20))
        elif change == "replace":
            records[index] = draw(json_values)
        elif change == "duplicate":
            records.append(json.loads(json.dumps(record)))
    return records


@PROPERTY_SETTINGS
@given(records=mutated_records())
@example(records=[{"model": "inspections.authority", "fields": {"short_name": ["x"], "name": "X"}}])
# Regression: a date given as an object was a TypeError from Django's date parser, not a refusal.
@example(records=[{"model": "inspections.inspection", "fields": {"authority": ["T"], "visit_start": {"a": 1}}}])
# Regression: text holding NUL was a server error on PostgreSQL (it cannot store NUL), not a refusal.
@example(records=[{"model": "inspections.authority", "fields": {"short_name": "Nul", "name": "N\x00l"}}])
@example(records=[{"model": "inspections.finding", "fields": {"inspection": ["Test\x00shire", "x", "2024-05-01"]}}])
def test_a_mutated_fixture_loads_whole_or_is_refused_whole(records):
    before = all_rows()
    try:
        load_fixtures([FixtureFile("mutated.json", json.dumps(records).encode())])
    except FixtureError as error:
        assert str(error).startswith("mutated.json"), str(error)
        assert all_rows() == before
    # Loaded: the next example starts from what this one loaded, which is as good a record.


@PROPERTY_SETTINGS
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        st.builds(
            lambda text, at, cut: (text[:at] + cut + text[at:]).encode(),
            st.just(json.dumps(samples.valid_records())),
            st.integers(min_value=0, max_value=400),
            st.text(max_size=5),
        ),
        st.integers(min_value=0, max_value=300).map(lambda n: json.dumps(samples.valid_records())[:n].encode()),
    )
)
@example(content=b"\xef\xbb\xbf[]")
@example(content=b"[" * 200 + b"]" * 200)
@example(
    content='[{"model": "inspections.authority", "pk": 1, "fields": {"short_name": "\ud800"}}]'.encode(
        "utf-8", "surrogatepass"
    )
)
def test_any_file_is_previewed_or_refused_with_a_message_naming_it(admin, content):
    before = all_rows()
    fixture = FixtureFile("upload.json", content)
    try:
        load_fixtures([fixture], dry_run=True)
        load = record_preview(fixture, user=admin)
    except FixtureError as error:
        assert str(error).startswith("upload.json"), str(error)
        assert all_rows() == before
    else:
        # A preview writes its own record and nothing else.
        after = all_rows()
        assert after.pop("inspections.FixtureLoad") == before.pop("inspections.FixtureLoad") + 1
        assert after == before
        assert load.status == FixtureLoad.Status.PREVIEWED


@pytest.mark.parametrize("value", [{"day": 1}, ["2024-05-01"]])
def test_a_date_given_as_an_object_or_a_list_is_refused_naming_the_field(value):
    inspection = {**samples.INSPECTION, "fields": {**samples.INSPECTION["fields"], "visit_end": value}}

    with pytest.raises(FixtureError, match=r"visit_end.*cannot be an? (object|list)"):
        load_fixtures([FixtureFile("dates.json", json.dumps([samples.AUTHORITY, inspection]).encode())])


def test_a_text_holding_nul_is_refused_naming_the_file_and_the_object():
    records = [samples.AUTHORITY, {"model": "inspections.authority", "fields": {"short_name": "Nul", "name": "N\x00l"}}]
    before = all_rows()

    with pytest.raises(FixtureError, match=r"^nul.json, object 2: a text holds the NUL character"):
        load_fixtures([FixtureFile("nul.json", json.dumps(records).encode())])

    assert all_rows() == before


# --- Letters -------------------------------------------------------------------------------


@st.composite
def mutated_letters(draw):
    """A real letter's text with a slice cut, repeated or replaced by generated text."""
    text = LETTER_TEXTS[draw(st.sampled_from(sorted(LETTER_TEXTS)))]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        start = draw(st.integers(min_value=0, max_value=len(text)))
        end = draw(st.integers(min_value=start, max_value=min(len(text), start + 400)))
        change = draw(st.sampled_from(["cut", "repeat", "replace", "case"]))
        if change == "cut":
            text = text[:start] + text[end:]
        elif change == "repeat":
            text = text[:end] + text[start:end] + text[end:]
        elif change == "replace":
            text = text[:start] + draw(st.text(max_size=60)) + text[end:]
        else:
            text = text[:start] + text[start:end].upper() + text[end:]
    return text


def draft_or_refusal(text):
    """What the importer makes of `text`: a fixture's records, or the message refusing it."""
    try:
        draft = extract_letter(text)
    except NotALetterError as refusal:
        assert str(refusal)
        return None
    try:
        return draft_to_fixture(draft)
    except ValueError as refusal:
        assert str(refusal)
        return None


@settings(PROPERTY_SETTINGS, max_examples=40)
@given(text=mutated_letters())
@example(text="")
@example(text="\x00" * 10)
def test_a_mutated_letter_gives_a_draft_or_a_clear_refusal(text):
    before = all_rows()
    records = draft_or_refusal(text)
    if records is not None:
        # The draft's fixture loads (previewed) or is refused with the loader's message.
        try:
            load_fixtures([FixtureFile("letter.json", json.dumps(records).encode())], dry_run=True)
        except FixtureError as error:
            assert str(error).startswith("letter.json")
    assert all_rows() == before


@settings(PROPERTY_SETTINGS, max_examples=10)
@given(text=mutated_letters())
def test_the_admins_letter_import_answers_any_text_with_a_draft_or_an_error(client, admin, text):
    client.force_login(admin)
    before = all_rows()
    response = client.post(reverse("admin:inspections_inspection_import_letter"), {"text": text})
    assert response.status_code == 200
    assert response.templates[0].name in {
        "admin/inspections/inspection/import_letter.html",
        "admin/inspections/inspection/review_letter.html",
    }
    assert all_rows() == before
