"""The importer on the development set: real Ofsted letters and reports about 19 other
authorities in ../shared/letters/ (its README says what each expected key means and how to
compare it), read from their `pdftotext -layout` text and from the PDFs as Ofsted published them.

The set is a development set, not the specification: the rules it exercises are generic, and
the snippet tests (test_letter_import_layouts.py, test_letter_import_monitoring_visits.py) test
each rule on its own.
"""

import json
import os
import re
from functools import cache
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from inspections.loading import CREATED, UNCHANGED, UPDATED, FixtureFile, load_fixtures
from inspections.models import Finding, Inspection

LETTERS = Path(settings.BASE_DIR).parent / "shared" / "letters"
NAMES = sorted(path.name.removesuffix(".expected.json") for path in LETTERS.glob("*.expected.json"))
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@pytest.fixture
def development_set():
    """Fails under CI when ../shared/letters/ is missing; skips elsewhere."""
    if not NAMES:
        message = f"the development set of Ofsted letters is not at {LETTERS}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def documents():
    return NAMES or ["(no development set)"]


@cache
def import_json(path: Path) -> dict:
    """`import_letter --json` on the file, run once per session (the tests below share it)."""
    out = StringIO()
    call_command("import_letter", str(path), json=True, stdout=out)
    return json.loads(out.getvalue())


def text(value: str) -> str:
    """The documents keep curly quotes; the importer writes straight ones and single spaces."""
    return re.sub(r"\s+", " ", value.translate(QUOTES)).strip()


def grade(value: str) -> str:
    """Grades compare case-blind; "Requires improvement" (older tables) is the same grade."""
    value = value.casefold()
    return "requires improvement to be good" if value.startswith("requires improvement") else value


def same_field(key: str, expected, got) -> bool:
    """Compare one field as ../shared/letters/README.md says."""
    if key in ("kind", "visit_start", "visit_end", "letter_date"):
        return expected == got
    if key == "authority":
        return text(expected) == text(got)
    if key == "inspectors":  # a set of surnames
        return {name.split()[-1].casefold() for name in expected} == {name.split()[-1].casefold() for name in got}
    if key == "areas_covered":  # by number and text
        return [text(area) for area in expected] == [text(area) for area in got]
    if key == "headline_findings":  # the expected value says whether there are any
        return bool(expected) == bool(got)
    if key == "judgements":  # heading by heading
        return {text(name): grade(value) for name, value in expected.items()} == {
            text(name): grade(value) for name, value in got.items()
        }
    raise KeyError(key)


def expected_fields(name: str) -> dict:
    expected = json.loads((LETTERS / f"{name}.expected.json").read_text(encoding="utf-8"))
    expected.pop("notes")  # the reader's notes on the layout, not a field
    return expected


def wrong_fields(expected: dict, got: dict) -> dict:
    return {key: (value, got.get(key)) for key, value in expected.items() if not same_field(key, value, got[key])}


@pytest.mark.usefixtures("development_set")
@pytest.mark.parametrize("name", documents())
def test_every_expected_field_of_the_text(name):
    expected = expected_fields(name)

    got = import_json(LETTERS / f"{name}.txt")

    assert wrong_fields(expected, got) == {}


@pytest.mark.usefixtures("development_set")
@pytest.mark.parametrize("name", documents())
def test_the_pdf_gives_the_same_fields_as_its_text(name):
    expected = expected_fields(name)
    from_text = import_json(LETTERS / f"{name}.txt")

    from_pdf = import_json(LETTERS / "pdf" / f"{name}.pdf")

    assert wrong_fields(expected, from_pdf) == {}
    assert {key: from_pdf[key] for key in expected} == {key: from_text[key] for key in expected}
    # The lists the fixture loads, beyond the expected keys, are the same too.
    for key in ("judgements", "areas_for_improvement", "required_actions"):
        assert from_pdf.get(key) == from_text.get(key), key


@pytest.fixture(scope="session")
def fixtures_written(tmp_path_factory):
    """`import_letter --output` on each document's text, once per session."""
    directory = tmp_path_factory.mktemp("letter-fixtures")

    @cache
    def write(name: str) -> FixtureFile:
        output = directory / f"{name}.json"
        call_command("import_letter", str(LETTERS / f"{name}.txt"), output=str(output), stdout=StringIO())
        return FixtureFile.from_path(output)

    return write


def outcomes(result) -> set[str]:
    return {outcome for counter in result.counts.values() for outcome, count in counter.items() if count}


@pytest.mark.django_db
@pytest.mark.usefixtures("development_set")
@pytest.mark.parametrize("name", documents())
def test_the_fixture_loads_into_an_empty_database(name, fixtures_written):
    fixture = fixtures_written(name)

    first = load_fixtures([fixture])

    assert outcomes(first) == {CREATED}
    inspection = Inspection.objects.get()
    assert inspection.kind == expected_fields(name)["kind"]
    assert inspection.findings.count() == first.counts["inspections.finding"][CREATED]


def snapshot(queryset) -> list[tuple]:
    return sorted(queryset.values_list(), key=repr)


@pytest.mark.django_db
@pytest.mark.usefixtures("development_set")
def test_every_fixture_loads_into_the_loaded_record_and_loading_again_changes_nothing(fixtures_written):
    call_command("load_letters", stdout=StringIO())
    record = {model: snapshot(model.objects.all()) for model in (Inspection, Finding)}
    fixtures = [fixtures_written(name) for name in NAMES]

    first = load_fixtures(fixtures)
    again = load_fixtures(fixtures)

    # Everything is new or already there (inspectors the record or another document names):
    # nothing in the record changes.
    assert UPDATED not in outcomes(first)
    assert first.counts["inspections.inspection"][CREATED] == len(NAMES)
    for model, rows in record.items():
        assert set(rows) <= set(snapshot(model.objects.all())), model
    assert outcomes(again) == {UNCHANGED}
