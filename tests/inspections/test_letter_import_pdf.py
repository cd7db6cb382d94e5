"""Reading the PDF itself (issue 24): in the library, `import_letter PATH` and the admin's upload.
The PDFs here are written by hand (tests/inspections/pdf_samples.py) from the snippet texts, so
each gives what its text gives; the development set's PDFs as Ofsted published them are tested
in test_letter_import_development_set.py."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from inspections.letter_import import NotALetterError, extract_letter_bytes
from inspections.letter_import.forms import LetterReviewForm
from inspections.models import Authority, Finding, FixtureLoad, Inspection, Judgement
from tests.inspections.pdf_samples import encrypted_pdf, lines_pdf, scanned_pdf, text_pdf

LETTERS = Path(__file__).parent / "letters"
IMPORT = reverse("admin:inspections_inspection_import_letter")
REVIEW = reverse("admin:inspections_inspection_review_letter")
SNIPPETS = [
    "devon_2022-03-09_from_pdf.txt",
    "focused_visit.txt",
    "ilacs_report_columns.txt",
    "sif_report.txt",
    "protection_inspection_2013.txt",
]


def pdf_of(name: str) -> bytes:
    return lines_pdf((LETTERS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SNIPPETS)
def test_a_pdf_gives_the_draft_its_text_gives(name):
    from_text = extract_letter_bytes((LETTERS / name).read_bytes(), source=name)

    from_pdf = extract_letter_bytes(pdf_of(name), source=name)

    assert from_pdf.to_dict() == from_text.to_dict()


UNREADABLE = {
    "scanned": (scanned_pdf(), "is a PDF with no text to read (it may be a scanned image of the letter)"),
    "encrypted": (encrypted_pdf(), "is an encrypted PDF that needs a password to open"),
    "broken": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "could not be read as a PDF"),
    "no text": (text_pdf([[]]), "is a PDF with no text to read"),
}


@pytest.mark.parametrize("case", UNREADABLE)
def test_a_pdf_without_readable_text_is_refused(case):
    data, message = UNREADABLE[case]

    with pytest.raises(NotALetterError, match=re.escape(f"letter.pdf {message}")):
        extract_letter_bytes(data, source="letter.pdf")


def test_a_pdf_of_something_else_is_refused():
    data = lines_pdf("Minutes of the allotment society\n\nThe hedges were trimmed in May.\n")

    with pytest.raises(NotALetterError, match="minutes.pdf does not look like an Ofsted letter or report"):
        extract_letter_bytes(data, source="minutes.pdf")


# --------------------------------------------------------------------------------------------
# The command


def test_the_command_reads_a_pdf_and_writes_its_fixture(tmp_path):
    source = tmp_path / "northmoor.pdf"
    source.write_bytes(pdf_of("ilacs_report_columns.txt"))
    out, output = StringIO(), tmp_path / "northmoor.json"

    call_command("import_letter", str(source), json=True, stdout=out)
    call_command("import_letter", str(source), output=str(output), stdout=StringIO())

    assert json.loads(out.getvalue())["judgements"]["Overall effectiveness"] == "inadequate"
    objects = json.loads(output.read_text(encoding="utf-8"))
    assert [o["fields"]["kind"] for o in objects if o["model"] == "inspections.inspection"] == ["ilacs_inspection"]


@pytest.mark.parametrize("case", UNREADABLE)
def test_the_command_refuses_an_unreadable_pdf_and_writes_nothing(case, tmp_path):
    data, message = UNREADABLE[case]
    source = tmp_path / "letter.pdf"
    source.write_bytes(data)

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_letter", str(source), output=str(tmp_path / "fixture.json"), stdout=StringIO())

    assert sorted(path.name for path in tmp_path.iterdir()) == ["letter.pdf"]


# --------------------------------------------------------------------------------------------
# The admin


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def upload(client, name, data):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def confirm(client, response):
    form = response.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data = {name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in data.items()}
    data["council"] = data["council"] or "Northmoor Council"
    previewed = client.post(REVIEW, data)
    assert previewed.status_code == 302, previewed.context["form"].errors if previewed.context else previewed
    # The confirm carries the preview's fingerprint: it loads only what the administrator saw.
    fingerprint = client.get(previewed.url).context["preview"].fingerprint
    return client.post(previewed.url, {"confirm": "Load these records", "fingerprint": fingerprint}, follow=True)


@pytest.mark.django_db
def test_an_administrator_uploads_a_reports_pdf_and_loads_its_judgements_and_findings(signed_in):
    response = upload(signed_in, "northmoor.pdf", pdf_of("ilacs_report_columns.txt"))

    form = response.context["form"]
    assert response.status_code == 200
    assert (form["authority"].value(), form["kind"].value(), form["source_name"].value()) == (
        "Northmoor",
        "ilacs_inspection",
        "northmoor.pdf",
    )
    assert "Overall effectiveness: Inadequate" in form["judgements"].value()
    assert form["areas_for_improvement"].value().startswith("The timeliness of strategy discussions")
    assert not Inspection.objects.exists()

    loaded = confirm(signed_in, response)

    assert "Loaded letter-northmoor-2025-03-03.json" in loaded.content.decode()
    inspection = Inspection.objects.get()
    # The uploaded file's name is not recorded as where the report is (issue 15).
    assert (inspection.kind, inspection.report.location) == ("ilacs_inspection", "")
    assert Judgement.objects.filter(inspection=inspection).count() == 5
    findings = Finding.objects.filter(inspection=inspection)
    assert findings.filter(kind=Finding.Kind.AREA_FOR_IMPROVEMENT).count() == 2
    assert list(findings.filter(kind=Finding.Kind.FINDING).values_list("paragraph", flat=True)) == list("12345")
    assert FixtureLoad.objects.get().status == FixtureLoad.Status.LOADED


@pytest.mark.django_db
def test_required_actions_are_loaded_with_their_timescales(signed_in):
    loaded = confirm(signed_in, upload(signed_in, "eastmoor-2013.pdf", pdf_of("protection_inspection_2013.txt")))

    assert loaded.status_code == 200
    actions = Finding.objects.filter(kind=Finding.Kind.REQUIRED_ACTION).order_by("number")
    assert [a.timescale for a in actions] == ["immediately", "immediately", "within_three_months", "within_six_months"]


@pytest.mark.django_db
def test_a_corrected_required_action_timescale_is_read_from_its_label(signed_in):
    response = upload(signed_in, "eastmoor-2013.pdf", pdf_of("protection_inspection_2013.txt"))
    shown = response.context["form"]
    assert shown["required_actions"].value().startswith("Immediately: ensure that every child")
    data = {name: "" if shown[name].value() is None else shown[name].value() for name in shown.fields}

    corrected = LetterReviewForm(
        {
            **data,
            "visit_start": "2013-04-15",
            "council": "Eastmoor Council",
            "required_actions": "Within six months: review the early help offer.\n\nTrain every manager.",
        }
    )

    assert corrected.is_valid(), corrected.errors
    assert corrected.corrected_draft().required_actions == [
        ("review the early help offer.", "within_six_months"),
        ("Train every manager.", ""),
    ]


@pytest.mark.django_db
def test_a_timescale_without_an_action_is_refused(signed_in):
    shown = upload(signed_in, "eastmoor-2013.pdf", pdf_of("protection_inspection_2013.txt")).context["form"]
    data = {name: "" if shown[name].value() is None else shown[name].value() for name in shown.fields}

    corrected = LetterReviewForm({**data, "visit_start": "2013-04-15", "required_actions": "Immediately:"})

    assert not corrected.is_valid()
    assert corrected.errors["required_actions"] == [
        '"Immediately:" gives a timescale but no action. Write the action after it.'
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", scanned_pdf(), "scan.pdf is a PDF with no text to read"),
        ("locked.pdf", encrypted_pdf(), "locked.pdf is an encrypted PDF that needs a password to open"),
        ("letter.pdf", b"Dear Sam, this is not a PDF.", "letter.pdf is not a PDF"),
    ],
)
@pytest.mark.django_db
def test_an_unreadable_pdf_upload_is_refused_and_nothing_is_written(signed_in, name, data, message):
    response = upload(signed_in, name, data)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/inspections/inspection/import_letter.html"
    assert message in response.content.decode()
    assert not (FixtureLoad.objects.exists() or Inspection.objects.exists() or Authority.objects.exists())
