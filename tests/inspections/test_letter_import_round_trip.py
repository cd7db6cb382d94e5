"""A letter's fixture, written by import_letter, loads with load_letters and through the admin upload,
and the inspection then shows on the inspections pages."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from inspections.letter_import import extract_letter_bytes
from inspections.models import Finding, FixtureLoad, Inspection
from tests.pages import confirm_load

pytestmark = pytest.mark.django_db

SEED_003 = Path(__file__).parent / "letters" / "devon_2022-03-09_from_pdf.txt"
TITLE = "Monitoring visit to Devon children&#x27;s services"


@pytest.fixture
def fixture_file(tmp_path):
    output = tmp_path / "2022-03-09-devon-letter.json"
    call_command("import_letter", str(SEED_003), output=str(output), stdout=StringIO())
    return output


def body_finding():
    """The fifth body finding: "Revised processes are supporting clearer decision-making…"."""
    return extract_letter_bytes(SEED_003.read_bytes()).findings[4]


def assert_shown_on_the_inspections_pages(client, user):
    client.force_login(user)
    listing = client.get(reverse("inspections:inspection_list")).content.decode()
    inspection = Inspection.objects.get(authority__short_name="Devon", kind="monitoring_visit")
    detail = client.get(inspection.get_absolute_url())

    assert TITLE in listing
    assert detail.status_code == 200
    assert body_finding().startswith("Revised processes are supporting clearer decision-making in the MASH.")
    assert escape(body_finding()) in detail.content.decode()


def test_the_fixture_loads_with_load_letters(fixture_file, client, councillor):
    call_command("load_letters", directory=str(fixture_file.parent), stdout=StringIO())

    inspection = Inspection.objects.get()
    assert inspection.findings.filter(kind=Finding.Kind.HEADLINE).count() == 3
    assert inspection.findings.filter(kind=Finding.Kind.FINDING).count() == 16
    assert FixtureLoad.objects.get().via == FixtureLoad.Via.COMMAND
    assert_shown_on_the_inspections_pages(client, councillor)

    # Loading it again changes nothing.
    call_command("load_letters", directory=str(fixture_file.parent), stdout=StringIO())
    assert Inspection.objects.count() == 1 and Finding.objects.count() == 19


def test_the_fixture_loads_through_the_admin_upload(fixture_file, client, admin, officer):
    client.force_login(admin)
    upload = SimpleUploadedFile(fixture_file.name, fixture_file.read_bytes(), content_type="application/json")

    previewed = client.post(reverse("admin:inspections_fixtureload_add"), {"file": upload})

    load = FixtureLoad.objects.get()
    assert previewed.url == reverse("admin:inspections_fixtureload_confirm", args=[load.pk])
    assert json.loads(load.content) == json.loads(fixture_file.read_text(encoding="utf-8"))
    assert not Inspection.objects.exists()

    loaded = confirm_load(client, previewed.url)

    assert f"Loaded {fixture_file.name}: 29 created, 0 updated, 0 unchanged." in loaded.content.decode()
    assert_shown_on_the_inspections_pages(client, officer)
