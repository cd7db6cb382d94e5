"""The admin's forms for importing a letter or report: its text (pasted, or uploaded as text or
as the PDF Ofsted publishes), then the draft to correct.

``LetterSourceForm`` takes the text (a PDF's is read with ``pdf.pdf_text``) and runs the
importer; ``LetterReviewForm`` shows the draft for an administrator to correct and turns the
corrected fields back into a ``LetterDraft`` for ``fixture.draft_to_fixture``. The document's
text travels with the review form in a hidden field and is read again on every submit, so
nothing is stored before the preview.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings

from inspections.models import Authority, Grade, Inspection, Timescale

from .draft import TIMESCALES, LetterDraft, NotALetterError
from .extract import extract_letter
from .fixture import GRADE_CHOICES
from .pdf import is_pdf, pdf_text
from .text import split_lines

PASTED = "The pasted text"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Any way of writing a grade (its value, its label, "requires improvement") -> Grade value.
GRADE_SPELLINGS = {
    spelling.casefold(): value for value, label in Grade.choices for spelling in (value, label, value.replace("_", " "))
}
# Grade value -> the grade as a draft writes it (fixture.GRADE_CHOICES reversed).
DRAFT_GRADES = {value: written for written, value in GRADE_CHOICES.items()}
# A required action's timescale as the form writes it in front of the action.
TIMESCALE_LABELS = {value: Timescale(value).label for value in TIMESCALES}
TIMESCALE_SPELLINGS = {label.casefold(): value for value, label in TIMESCALE_LABELS.items()}
TIMESCALE_PREFIX = re.compile(
    r"(?P<timescale>" + "|".join(re.escape(label) for label in TIMESCALE_LABELS.values()) + r")\s*:\s*", re.IGNORECASE
)


def cleaned_text(text: str) -> str:
    """The text as the importer reads it: characters normalised (straight quotes, plain spaces),
    runs of spaces collapsed, lines stripped, and no more than one blank line in a row."""
    out: list[str] = []
    for line in split_lines(text):
        if line.text or (out and out[-1]):
            out.append(line.text)
    return "\n".join(out).strip()


def size_error(name: str, size: int) -> str | None:
    limit = settings.FIXTURE_UPLOAD_MAX_BYTES
    if size > limit:
        return f"{name} is {size:,} bytes; the limit is {limit:,} bytes."
    return None


def decode_upload(data: bytes, name: str) -> str:
    """A text file's bytes as text: UTF-8 (or UTF-16 with a byte order mark). Raises ValidationError."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise forms.ValidationError(f"{name} is a binary file, not text. Choose a plain text (.txt) file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise forms.ValidationError(
            f"{name} is not UTF-8 text (byte {error.start:,} cannot be read). Save it as UTF-8 text "
            "and choose it again, or paste the text instead."
        ) from None


def _lines(value: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in value.splitlines() if line.strip()]


def _paragraphs(value: str) -> list[str]:
    """Paragraphs separated by a blank line; the lines of one paragraph are joined with a space."""
    blocks = re.split(r"\n[ \t]*\n", value.replace("\r\n", "\n").replace("\r", "\n"))
    return [re.sub(r"\s+", " ", block).strip() for block in blocks if block.strip()]


def _date_field(label: str, what: str, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Enter the date {what}.",
            "invalid": f"Enter the date {what} as a real date, such as 2022-03-09.",
        },
    )


class LetterSourceForm(forms.Form):
    """Step 1: the letter's or report's text, pasted, or as the PDF or a .txt file."""

    text = forms.CharField(
        label="Letter text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100, "spellcheck": "false"}),
        help_text="Paste the whole text of the letter or report, as copied from the PDF.",
    )
    file = forms.FileField(
        label="Or the file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.txt,application/pdf,text/plain"}),
        help_text="The PDF as Ofsted publishes it, or the text saved as plain text (.txt, UTF-8).",
        error_messages={"empty": "The file is empty. Choose the letter's PDF or text file."},
    )

    source_text = ""
    source_name = ""
    draft: LetterDraft | None = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        name = upload.name.lower()
        if not name.endswith((".txt", ".pdf")):
            raise forms.ValidationError(
                f"{upload.name} is not a PDF or a .txt file. Choose the PDF as Ofsted publishes it, or the text."
            )
        problem = size_error(upload.name, upload.size)
        if problem:
            raise forms.ValidationError(problem)
        data = upload.read()
        if name.endswith(".pdf"):
            if not is_pdf(data):
                raise forms.ValidationError(
                    f"{upload.name} is not a PDF: it does not start as one. Choose the PDF again."
                )
            try:
                self.file_text = pdf_text(data, upload.name)
            except NotALetterError as error:
                raise forms.ValidationError(str(error)) from None
        else:
            self.file_text = decode_upload(data, upload.name)
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, upload = cleaned.get("text") or "", cleaned.get("file")
        if text.strip() and upload:
            raise forms.ValidationError("Paste the text or choose a file, not both.")
        if upload:
            source, name = self.file_text, upload.name
        elif text.strip():
            problem = size_error(PASTED, len(text.encode("utf-8")))
            if problem:
                raise forms.ValidationError(problem)
            source, name = text, PASTED
        else:
            raise forms.ValidationError("Paste the letter's text, or choose its PDF or a .txt file of it.")
        try:
            self.draft = extract_letter(source, source=name)
        except NotALetterError as error:
            raise forms.ValidationError(str(error)) from None
        self.source_text, self.source_name = source, (upload.name if upload else "")
        return cleaned


class LetterReviewForm(forms.Form):
    """Step 2: the draft, to correct before the preview. ``corrected_draft()`` gives it back."""

    source_text = forms.CharField(widget=forms.HiddenInput, strip=False)
    source_name = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    authority = forms.CharField(
        label="Authority",
        max_length=80,
        help_text='As the letter names it, e.g. "Devon".',
        error_messages={"required": "Enter the authority as the letter names it, such as Devon."},
    )
    council = forms.CharField(
        label="Council's full name",
        max_length=160,
        required=False,
        help_text='e.g. "Devon County Council". Needed when the authority is new to the record.',
    )
    kind = forms.ChoiceField(
        label="Kind",
        choices=Inspection.Kind.choices,
        error_messages={"required": "Choose the kind of inspection or visit."},
    )
    title = forms.CharField(
        label="Title",
        max_length=300,
        required=False,
        help_text="The letter's subject line. Left empty, it is made from the kind and the authority.",
    )
    visit_start = _date_field("Visit started", "the visit started", required=True)
    visit_end = _date_field("Visit ended", "the visit ended", required=False)
    letter_date = _date_field("Letter date", "of the letter", required=False)
    inspectors = forms.CharField(
        label="Inspectors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One name per line, without titles.",
    )
    areas_covered = forms.CharField(
        label="Areas covered",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One area per line.",
    )
    headline_findings = forms.CharField(
        label="Headline findings",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Paragraphs separated by a blank line.",
    )
    areas_for_improvement = forms.CharField(
        label="Areas for improvement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What needs to improve (or the recommendations), separated by a blank line. A number the "
        'document gives stays in front: "18. Ensure that ...".',
    )
    required_actions = forms.CharField(
        label="Required actions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Priority actions, separated by a blank line, each after its timescale where it has one: "
        '"Immediately:", "Within three months:" or "Within six months:".',
    )
    findings = forms.CharField(
        label="Findings",
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text='The body paragraphs, separated by a blank line; a paragraph number stays in front: "12. ...".',
    )
    judgements = forms.CharField(
        label="Judgements",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='One per line, as "Name: grade", e.g. "Overall effectiveness: Inadequate". Visits give none.',
    )

    original_draft: LetterDraft | None = None

    @classmethod
    def from_draft(cls, draft: LetterDraft, source_text: str, source_name: str = "") -> LetterReviewForm:
        judgements = [f"{name}: {Grade(GRADE_CHOICES[grade]).label}" for name, grade in draft.judgements.items()]
        form = cls(
            initial={
                "source_text": source_text,
                "source_name": source_name,
                "authority": draft.authority,
                "council": draft.recipient_council,
                "kind": draft.kind,
                "title": draft.title,
                "visit_start": draft.visit_start,
                "visit_end": draft.visit_end,
                "letter_date": draft.letter_date,
                "inspectors": "\n".join(draft.inspectors),
                "areas_covered": "\n".join(draft.areas_covered),
                "headline_findings": "\n\n".join(draft.headline_findings),
                "areas_for_improvement": "\n\n".join(draft.areas_for_improvement),
                "required_actions": "\n\n".join(
                    f"{TIMESCALE_LABELS[timescale]}: {text}" if timescale else text
                    for text, timescale in draft.required_actions
                ),
                "findings": "\n\n".join(draft.findings),
                "judgements": "\n".join(judgements),
            }
        )
        form.original_draft = draft
        return form

    def clean_source_text(self):
        text = self.cleaned_data["source_text"]
        name = self.data.get(self.add_prefix("source_name")) or PASTED
        problem = size_error("The letter's text", len(text.encode("utf-8")))
        if problem:
            raise forms.ValidationError(problem)
        try:
            self.original_draft = extract_letter(text, source=name)
        except NotALetterError as error:
            raise forms.ValidationError(
                f"The letter's text did not come through intact: {error} Start again from Import a letter."
            ) from None
        return text

    def clean_authority(self):
        return re.sub(r"\s+", " ", self.cleaned_data["authority"]).strip()

    def clean_council(self):
        return re.sub(r"\s+", " ", self.cleaned_data["council"]).strip()

    def clean_title(self):
        return re.sub(r"\s+", " ", self.cleaned_data["title"]).strip()

    def clean_inspectors(self):
        names: list[str] = []
        for number, name in enumerate(_lines(self.cleaned_data["inspectors"]), start=1):
            if len(name) > 160:
                raise forms.ValidationError(f"Line {number}: a name can have at most 160 characters.")
            if name not in names:
                names.append(name)
        return names

    def clean_areas_covered(self):
        return _lines(self.cleaned_data["areas_covered"])

    def clean_headline_findings(self):
        return _paragraphs(self.cleaned_data["headline_findings"])

    def clean_findings(self):
        return _paragraphs(self.cleaned_data["findings"])

    def clean_areas_for_improvement(self):
        return _paragraphs(self.cleaned_data["areas_for_improvement"])

    def clean_required_actions(self):
        actions = []
        for paragraph in _paragraphs(self.cleaned_data["required_actions"]):
            m = TIMESCALE_PREFIX.match(paragraph)
            timescale = TIMESCALE_SPELLINGS[m.group("timescale").casefold()] if m else ""
            text = paragraph[m.end() :].strip() if m else paragraph
            if not text:
                raise forms.ValidationError(
                    f'"{paragraph}" gives a timescale but no action. Write the action after it.'
                )
            actions.append((text, timescale))
        return actions

    def clean_judgements(self):
        judgements: dict[str, str] = {}
        grades = ", ".join(Grade.labels)
        for number, line in enumerate(_lines(self.cleaned_data["judgements"]), start=1):
            name, colon, grade = line.rpartition(":")
            name, grade = name.strip(), grade.strip()
            if not colon or not name:
                raise forms.ValidationError(
                    f'Line {number} of the judgements: write it as "Name: grade", e.g. "Overall effectiveness: Good".'
                )
            value = GRADE_SPELLINGS.get(grade.casefold())
            if value is None:
                raise forms.ValidationError(
                    f'Line {number} of the judgements: "{grade}" is not a grade. Use one of: {grades}.'
                )
            if len(name) > 200:
                raise forms.ValidationError(f"Line {number} of the judgements: the name is longer than 200 characters.")
            if name in judgements:
                raise forms.ValidationError(f'Line {number} of the judgements: "{name}" is graded twice.')
            judgements[name] = DRAFT_GRADES[value]
        return judgements

    def clean(self):
        cleaned = super().clean()
        start, end, letter = (cleaned.get(name) for name in ("visit_start", "visit_end", "letter_date"))
        if start and end and end < start:
            self.add_error("visit_end", f"The visit cannot end before it started ({start.day} {start:%B %Y}).")
        if start and letter and letter < start:
            self.add_error(
                "letter_date", f"The letter cannot be dated before the visit started ({start.day} {start:%B %Y})."
            )
        authority, council = cleaned.get("authority"), cleaned.get("council")
        if authority and "council" in cleaned:
            known = Authority.objects.filter(short_name=authority).exists()
            if not known and not council:
                self.add_error(
                    "council",
                    f'No authority is called "{authority}" yet. Enter the council\'s full name so that it '
                    "can be added, or correct the authority's name.",
                )
            taken = Authority.objects.filter(name=council).exclude(short_name=authority).first() if council else None
            if taken:
                self.add_error(
                    "council",
                    f'"{council}" is already the full name of the authority "{taken.short_name}". Use that '
                    "authority's name, or correct the council's name.",
                )
        return cleaned

    def corrected_draft(self) -> LetterDraft:
        """The draft as corrected; what the importer found besides the fields is kept from the text."""
        data, original = self.cleaned_data, self.original_draft or LetterDraft()
        inspectors = data["inspectors"]
        return LetterDraft(
            authority=data["authority"],
            kind=data["kind"],
            visit_start=data["visit_start"],
            visit_end=data["visit_end"],
            letter_date=data["letter_date"],
            inspectors=inspectors,
            areas_covered=data["areas_covered"],
            headline_findings=data["headline_findings"],
            findings=data["findings"],
            areas_for_improvement=data["areas_for_improvement"],
            required_actions=data["required_actions"],
            judgements=data["judgements"],
            title=data["title"],
            framework=original.framework,
            # An authority already in the record keeps its full name when none is entered.
            recipient_council=data["council"] or self._known_council(data["authority"]),
            inspector_roles={name: role for name, role in original.inspector_roles.items() if name in inspectors},
            signed_by=original.signed_by if original.signed_by in inspectors else "",
            lead_inspector=original.lead_inspector if original.lead_inspector in inspectors else "",
        )

    @staticmethod
    def _known_council(authority: str) -> str:
        return Authority.objects.filter(short_name=authority).values_list("name", flat=True).first() or ""

    def source_display(self) -> str:
        """The letter's text as the importer cleaned it, for reading beside the form."""
        if self.is_bound:
            text = self.data.get(self.add_prefix("source_text"), "")
        else:
            text = self.initial.get("source_text", "")
        return cleaned_text(text) if text.strip() else ""
