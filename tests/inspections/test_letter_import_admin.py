"""Importing a letter in the admin: paste or upload its text, correct the draft, preview, confirm."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from inspections.letter_import import extract_letter
from inspections.models import (
    Authority,
    Finding,
    FixtureLoad,
    Inspection,
    Judgement,
    NaturalKeyModel,
    Person,
    VisitArea,
)
from tests.factories import AuthorityFactory, UserFactory
from tests.pages import confirm_load

pytestmark = pytest.mark.django_db

LETTERS = Path(__file__).parent / "letters"
SEED_003 = LETTERS / "devon_2022-03-09_from_pdf.txt"
IMPORT = reverse("admin:inspections_inspection_import_letter")
REVIEW = reverse("admin:inspections_inspection_review_letter")
CHANGELIST = reverse("admin:inspections_inspection_changelist")


def devon_text():
    return SEED_003.read_text(encoding="utf-8")


def paste(client, text):
    return client.post(IMPORT, {"text": text})


def form_data(form, **changes):
    """What the browser would send back for the review form, with some fields changed."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, dt.date):
            value = value.isoformat()
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def review(client, response, **changes):
    return client.post(REVIEW, form_data(response.context["form"], **changes))


def nothing_written():
    return not (FixtureLoad.objects.exists() or Inspection.objects.exists() or Authority.objects.exists())


def confirm(client, response):
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return confirm_load(client, response.url)


@pytest.fixture
def signed_in(client, admin):
    client.force_login(admin)
    return client


def test_the_inspections_list_offers_import_to_administrators(signed_in):
    response = signed_in.get(CHANGELIST)

    assert response.status_code == 200
    assert f'href="{IMPORT}"' in response.content.decode()
    assert "Import a letter" in response.content.decode()


def test_the_review_page_shows_the_draft_beside_the_text(signed_in):
    response = paste(signed_in, devon_text())

    text = response.content.decode()
    form = response.context["form"]
    assert response.status_code == 200
    assert form["authority"].value() == "Devon"
    assert form["council"].value() == "Devon County Council"
    assert form["kind"].value() == "monitoring_visit"
    assert '<option value="monitoring_visit" selected>' in text
    assert form["visit_start"].value() == dt.date(2022, 2, 2)
    assert 'type="date" name="visit_start" value="2022-02-02"' in text
    assert form["inspectors"].value() == "Steve Lowe\nTracey Ledder"
    assert len(form["areas_covered"].value().splitlines()) == 3
    assert "Professional curiosity and the quality of assessments." in form["areas_covered"].value()
    # The source text, cleaned (straight quotes), in a labelled region that keyboards can scroll.
    assert '<pre id="letter-source" tabindex="0" role="region" aria-labelledby="letter-source-heading">' in text
    assert "Monitoring visit to Devon children&#x27;s services" in text
    assert "Monitoring visit to Devon children's services" in response.context["source"]
    assert "’" not in response.context["source"]
    assert nothing_written()


def test_corrected_values_are_previewed_then_loaded(signed_in, admin):
    draft = extract_letter(devon_text())
    corrected = "The oversight of contacts and referrals about children coming into the MASH is timely."
    findings = "\n\n".join([corrected, *draft.findings[1:]])
    first = paste(signed_in, devon_text())

    previewed = review(signed_in, first, findings=findings, council="Devon County Council (corrected)")

    load = FixtureLoad.objects.get()
    assert previewed.url == reverse("admin:inspections_fixtureload_confirm", args=[load.pk])
    assert load.status == FixtureLoad.Status.PREVIEWED and load.previewed_by == admin
    assert load.filenames == ["letter-devon-2022-03-09.json"]
    assert not Inspection.objects.exists() and not Authority.objects.exists()
    preview = signed_in.get(previewed.url).content.decode()
    assert "letter-devon-2022-03-09.json" in preview and "inspections.finding" in preview
    assert not Inspection.objects.exists()

    loaded = confirm(signed_in, previewed)

    assert "Loaded letter-devon-2022-03-09.json: 29 created, 0 updated, 0 unchanged." in loaded.content.decode()
    inspection = Inspection.objects.get()
    assert inspection.authority.name == "Devon County Council (corrected)"
    assert inspection.title == "Monitoring visit to Devon children's services"
    assert (inspection.kind, inspection.visit_start, inspection.visit_end, inspection.letter_date) == (
        "monitoring_visit",
        dt.date(2022, 2, 2),
        dt.date(2022, 2, 3),
        dt.date(2022, 3, 9),
    )
    rows = list(inspection.findings.in_report_order().values_list("kind", "number", "text"))
    expected = [("headline", n, t) for n, t in enumerate(draft.headline_findings, 1)] + [
        ("finding", n, t) for n, t in enumerate([corrected, *draft.findings[1:]], 1)
    ]
    assert rows == expected
    assert list(inspection.areas_covered.values_list("number", flat=True)) == [1, 2, 3]
    lead = inspection.inspection_inspectors.get(signed_letter=True)
    assert lead.person.name == "Steve Lowe" and lead.role == "Her Majesty's Inspector"
    load.refresh_from_db()
    assert load.status == FixtureLoad.Status.LOADED and load.confirmed_by == admin and load.content == ""
    assert load.summary["inspections.finding"] == {"created": 19}


def test_a_changed_kind_and_judgements_are_loaded(signed_in):
    first = paste(signed_in, devon_text())

    previewed = review(
        signed_in,
        first,
        kind="focused_visit",
        title="",
        judgements="Overall effectiveness: requires improvement\nHelp and protection: Inadequate",
    )
    confirm(signed_in, previewed)

    inspection = Inspection.objects.get()
    assert inspection.kind == "focused_visit"
    assert inspection.title == "Focused visit: Devon"
    assert dict(inspection.judgements.values_list("name", "grade")) == {
        "Overall effectiveness": "requires_improvement",
        "Help and protection": "inadequate",
    }


def test_loading_the_same_letter_twice_duplicates_nothing(signed_in):
    confirm(signed_in, review(signed_in, paste(signed_in, devon_text())))
    counts = [model.objects.count() for model in (Authority, Person, Inspection, Finding, VisitArea, Judgement)]

    again = confirm(signed_in, review(signed_in, paste(signed_in, devon_text())))

    assert "0 created, 0 updated, 29 unchanged" in again.content.decode()
    assert [model.objects.count() for model in (Authority, Person, Inspection, Finding, VisitArea, Judgement)] == counts
    assert FixtureLoad.objects.filter(status=FixtureLoad.Status.LOADED).count() == 2


def test_an_uploaded_text_file_is_read(signed_in):
    upload = SimpleUploadedFile("devon.txt", SEED_003.read_bytes(), content_type="text/plain")

    response = signed_in.post(IMPORT, {"file": upload})

    form = response.context["form"]
    assert response.status_code == 200
    assert form["authority"].value() == "Devon"
    assert form["source_name"].value() == "devon.txt"
    confirm(signed_in, review(signed_in, response))
    # The file's name says nothing about where the letter can be found: it is not recorded.
    inspection = Inspection.objects.get()
    assert inspection.report.location == ""
    assert "devon.txt" not in signed_in.get(inspection.get_absolute_url()).content.decode()


def test_a_new_authority_is_added_with_its_full_name(signed_in):
    AuthorityFactory(short_name="Devon", name="Devon County Council")
    first = paste(signed_in, devon_text())

    confirm(signed_in, review(signed_in, first, authority="Torbay", council="Torbay Council"))

    assert Inspection.objects.get().authority.name == "Torbay Council"


def test_the_warnings_are_shown(signed_in):
    response = paste(signed_in, (LETTERS / "no_letter_date.txt").read_text(encoding="utf-8"))

    text = response.content.decode()
    assert 'id="letter-warnings"' in text
    assert "letter date: not found (left empty)" in text


BAD_SOURCES = {
    "empty": ({"text": "  \n "}, "Paste the letter&#x27;s text, or choose its PDF or a .txt file of it."),
    "both": (
        {"text": "Dear Sam", "file": ("letter.txt", b"Dear Sam")},
        "Paste the text or choose a file, not both.",
    ),
    "empty file": ({"file": ("letter.txt", b"")}, "The file is empty."),
    "binary": ({"file": ("letter.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}, "letter.txt is a binary file"),
    "not UTF-8": ({"file": ("letter.txt", "Dear Sam, café".encode("latin-1"))}, "letter.txt is not UTF-8 text"),
    "not .txt or .pdf": ({"file": ("letter.docx", b"PK\x03\x04")}, "letter.docx is not a PDF or a .txt file."),
    "broken PDF": ({"file": ("letter.pdf", b"%PDF-1.7")}, "letter.pdf could not be read as a PDF"),
    "unrelated text": (
        {"text": "Shopping list\n\nEggs, milk and bread.\n"},
        "The pasted text does not look like an Ofsted letter",
    ),
}


@pytest.mark.parametrize("case", BAD_SOURCES)
def test_bad_input_is_refused_with_a_clear_message(signed_in, case):
    data, message = BAD_SOURCES[case]
    if "file" in data:
        name, content = data["file"]
        data = {**data, "file": SimpleUploadedFile(name, content, content_type="text/plain")}

    response = signed_in.post(IMPORT, data)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/inspections/inspection/import_letter.html"
    assert message in response.content.decode()
    assert nothing_written()


def test_a_letter_too_large_is_refused(signed_in, settings):
    settings.FIXTURE_UPLOAD_MAX_BYTES = 100

    response = paste(signed_in, devon_text())

    assert "The pasted text is" in response.content.decode() and "the limit is 100 bytes" in response.content.decode()
    assert nothing_written()


BAD_REVIEWS = {
    "no visit start": ({"visit_start": ""}, "visit_start", "Enter the date the visit started."),
    "bad date": (
        {"visit_start": "2022-02-31"},
        "visit_start",
        "Enter the date the visit started as a real date, such as 2022-03-09.",
    ),
    "end before start": (
        {"visit_end": "2022-02-01"},
        "visit_end",
        "The visit cannot end before it started (2 February 2022).",
    ),
    "letter before visit": (
        {"letter_date": "2022-01-09"},
        "letter_date",
        "The letter cannot be dated before the visit started (2 February 2022).",
    ),
    "unknown grade": (
        {"judgements": "Overall effectiveness: brilliant"},
        "judgements",
        'Line 1 of the judgements: "brilliant" is not a grade. Use one of: Outstanding, Good, '
        "Requires improvement to be good, Adequate, Inadequate.",
    ),
    "judgement without a grade": (
        {"judgements": "Overall effectiveness"},
        "judgements",
        'Line 1 of the judgements: write it as "Name: grade"',
    ),
    "no authority": ({"authority": " "}, "authority", "Enter the authority as the letter names it, such as Devon."),
    "new authority without a full name": (
        {"authority": "Torbay", "council": ""},
        "council",
        'No authority is called "Torbay" yet.',
    ),
    "unknown kind": ({"kind": "raid"}, "kind", "Select a valid choice."),
    "text changed on the way": (
        {"source_text": "Shopping list"},
        "source_text",
        "The letter's text did not come through intact",
    ),
}


@pytest.mark.parametrize("case", BAD_REVIEWS)
def test_bad_corrections_are_refused_with_a_clear_message(signed_in, case):
    changes, field, message = BAD_REVIEWS[case]
    first = paste(signed_in, devon_text())

    response = review(signed_in, first, **changes)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert response.templates[0].name == "admin/inspections/inspection/review_letter.html"
    assert nothing_written()


def test_a_full_name_used_by_another_authority_is_refused(signed_in):
    AuthorityFactory(short_name="Devon CC", name="Devon County Council")

    response = review(signed_in, paste(signed_in, devon_text()))

    assert response.status_code == 200
    assert '"Devon County Council" is already the full name of the authority "Devon CC".' in " ".join(
        response.context["form"].errors["council"]
    )
    assert not FixtureLoad.objects.exists() and not Inspection.objects.exists()


def test_the_review_page_cannot_be_opened_directly(signed_in):
    assert signed_in.get(REVIEW).url == IMPORT


@pytest.mark.parametrize("persona", ["officer", "councillor"])
def test_officers_and_councillors_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    login = reverse("admin:login")

    responses = [client.get(IMPORT), paste(client, devon_text()), client.post(REVIEW, {"authority": "Devon"})]

    for response in responses:
        assert response.status_code == 302 and response.url.startswith(login)
    assert nothing_written()


def test_staff_without_the_load_permission_see_no_link_and_are_refused(client, roles):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_inspection"))
    client.force_login(user)

    assert "Import a letter" not in client.get(CHANGELIST).content.decode()
    assert client.get(IMPORT).status_code == 403
    assert paste(client, devon_text()).status_code == 403


# --- Importing a letter that is already loaded ---------------------------------------------


def the_record():
    """Every row of the record's own models, as fixtures write them."""
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for app in ("inspections", "improvement", "scrutiny")
        for model in apps.get_app_config(app).get_models()
        if issubclass(model, NaturalKeyModel)
    }


@pytest.fixture
def loaded(db):
    call_command("load_letters", verbosity=0)  # the record from fixtures/, the letter among it
    return Inspection.objects.get(authority__short_name="Devon", kind="monitoring_visit", visit_start="2022-02-02")


def test_reimporting_the_loaded_letter_changes_nothing(signed_in, loaded):
    # Issue 15, fault 3: this blanked the summary, replaced the framework, added a second source
    # document and showed the uploaded file's name.
    before = the_record()
    upload = SimpleUploadedFile("devon.txt", SEED_003.read_bytes(), content_type="text/plain")

    previewed = review(signed_in, signed_in.post(IMPORT, {"file": upload}))

    preview = signed_in.get(previewed.url).context["preview"]
    assert preview.summary() == "0 created, 0 updated, 29 unchanged"
    # The letter has no summary: the record keeps the one it has, and the preview says so.
    assert [(obj.label, [(c.name, c.kept) for c in obj.fields]) for obj in preview.changed] == [
        ("inspections.inspection", [("summary", True)])
    ]

    loaded_page = confirm(signed_in, previewed)

    assert "Loaded letter-devon-2022-03-09.json: 0 created, 0 updated, 29 unchanged." in loaded_page.content.decode()
    assert the_record() == before
    assert loaded.report.reference == "2022-03-09-ofsted-monitoring-visit-letter"
    assert "devon.txt" not in signed_in.get(loaded.get_absolute_url()).content.decode()


def test_the_preview_of_a_changed_letter_lists_each_changed_field_with_both_values(signed_in, loaded):
    draft = extract_letter(devon_text())
    corrected = "The oversight of contacts and referrals in the MASH is timely."
    first = paste(signed_in, devon_text())

    previewed = review(
        signed_in, first, title="Monitoring visit to Devon", findings="\n\n".join([corrected, *draft.findings[1:]])
    )

    page = signed_in.get(previewed.url)
    changes = {
        (obj.label, change.name): (change.old, change.new, change.kept)
        for obj in page.context["preview"].changed
        for change in obj.fields
    }
    title = "Monitoring visit to Devon children's services"
    assert changes == {
        ("inspections.sourcedocument", "title"): (title, "Monitoring visit to Devon", False),
        ("inspections.inspection", "title"): (title, "Monitoring visit to Devon", False),
        ("inspections.inspection", "summary"): (loaded.summary, "", True),
        ("inspections.finding", "text"): (draft.findings[0], corrected, False),
    }
    text = page.content.decode()
    assert escape(draft.findings[0][:100]) in text and escape(corrected) in text
    assert loaded.findings.get(kind="finding", number=1).text == draft.findings[0]


# --- Limits -------------------------------------------------------------------------------


def test_pasting_more_than_djangos_default_request_limit_gives_the_forms_message(signed_in):
    # Issue 15, fault 5: 2.5 MB pasted gave a bare 400 (RequestDataTooBig).
    text = devon_text() * (2_700_000 // len(devon_text().encode()) + 1)

    response = paste(signed_in, text)

    size = len(text.encode("utf-8"))
    assert response.status_code == 200
    assert f"The pasted text is {size:,} bytes; the limit is 2,097,152 bytes." in response.content.decode()
    assert nothing_written()


def test_the_request_limits_match_the_forms(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == settings.FIXTURE_UPLOAD_MAX_BYTES
    # The review form sends the letter's text and the draft read from it.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > 2 * settings.FIXTURE_UPLOAD_MAX_BYTES


@pytest.mark.parametrize("url", [IMPORT, REVIEW])
def test_a_request_beyond_djangos_limit_gets_a_clear_message_and_writes_nothing(admin, settings, url):
    settings.FIXTURE_UPLOAD_MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4_000, 10_000
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)

    response = client.post(url, {"text" if url == IMPORT else "source_text": "x" * 20_000})

    assert response.status_code == 200
    assert response.templates[0].name == "admin/inspections/inspection/import_letter.html"
    message = r"The pasted text is 2\d,\d{3} bytes; the limit is 4,000 bytes."
    if url == REVIEW:
        message = r"What you sent is 2\d,\d{3} bytes, more than the 10,000 bytes this page accepts."
    assert re.search(message, response.content.decode())
    assert nothing_written()
