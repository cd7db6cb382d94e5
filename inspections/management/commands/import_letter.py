"""python manage.py import_letter PATH [--json] [--output FIXTURE.json]

Reads an Ofsted letter or report, as the PDF Ofsted publishes or its plain text, and shows the
structured draft. Nothing is written to the database; --output writes a fixture file for review
and ``load_letters``. See docs/letter-import.md.
"""

import json
import os
import tempfile
import textwrap
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.letter_import import LetterDraft, NotALetterError, extract_letter_bytes


def fixture_available() -> bool:
    """--output needs inspections.models.Inspection with natural keys."""
    try:
        from inspections import models
    except Exception:  # noqa: BLE001 - models mid-edit must not break the other modes
        return False
    inspection = getattr(models, "Inspection", None)
    return inspection is not None and hasattr(inspection, "natural_key")


class Command(BaseCommand):
    help = (
        "Read an Ofsted letter or report about children's services (the PDF, or its text) and show it "
        "as a structured draft (authority, kind, dates, inspectors, areas, findings, judgements). "
        "Changes nothing in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The letter or report: its PDF, or a text file (UTF-8; cp1252 is accepted).")
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print only the draft as a JSON object and change nothing.",
        )
        parser.add_argument(
            "--output",
            metavar="FIXTURE.json",
            help="Also write the draft as a fixture (natural keys) to this new file.",
        )

    def handle(self, *args, **options):
        path = options["path"]
        output = options.get("output")
        if options["json"] and output:
            raise CommandError("--json only prints the draft and writes nothing; drop --output.")
        if output and not fixture_available():
            raise CommandError("--output is not available yet")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        try:
            draft = extract_letter_bytes(data, source=path)
        except NotALetterError as exc:
            raise CommandError(str(exc)) from exc

        if options["json"]:
            self.stdout.write(json.dumps(draft.to_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(summary(draft, path))
        if output:
            self.write_fixture(draft, path, Path(output))

    def write_fixture(self, draft: LetterDraft, path: str, output: Path) -> None:
        from inspections.letter_import.fixture import draft_to_fixture

        if output.exists():
            raise CommandError(f"{output} already exists; choose a new file name.")
        try:
            objects = draft_to_fixture(draft, source_location=Path(path).name)
        except ValueError as exc:
            raise CommandError(f"No fixture written for {path}: {exc}.") from exc
        text = json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
        # Write to a temporary file first so a failure never leaves half a fixture.
        directory = output.parent if str(output.parent) else Path(".")
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(objects)} objects to {output}.")
            + " Review it before loading: it also defines the authority and the inspectors "
            "(load_letters keeps the other fields of existing rows; plain loaddata resets them)."
        )


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else "(not found)"


def _wrap(text: str, prefix: str) -> str:
    return textwrap.fill(text, width=100, initial_indent=prefix, subsequent_indent=" " * len(prefix))


def summary(draft: LetterDraft, path: str) -> str:
    kind = draft.kind.replace("_", " ")
    visit = _date(draft.visit_start)
    if draft.visit_end and draft.visit_end != draft.visit_start:
        visit = f"{visit} to {_date(draft.visit_end)}"
    lines = [
        f"Ofsted letter or report: {path}",
        f"  Authority:   {draft.authority or '(not found)'}",
        f"  Kind:        {kind}",
        f"  Visit:       {visit}",
        f"  Letter date: {_date(draft.letter_date)}",
        f"  Inspectors:  {', '.join(draft.inspectors) or '(not found)'}",
        f"  Judgements:  {'' if draft.judgements else 'none given'}",
    ]
    for name, grade in draft.judgements.items():
        lines.append(f"    - {name}: {grade}")
    required = [
        f"{text} ({timescale.replace('_', ' ')})" if timescale else text for text, timescale in draft.required_actions
    ]
    sections = [
        ("Areas covered", draft.areas_covered, None),
        ("Headline findings", draft.headline_findings, 200),
        ("Areas for improvement", draft.areas_for_improvement, 200),
        ("Required actions", required, 200),
        ("Findings", draft.findings, 200),
    ]
    for label, items, limit in sections:
        lines.append(f"{label} ({len(items)}):")
        for number, item in enumerate(items, start=1):
            if limit and len(item) > limit:
                item = item[: limit - 1].rsplit(" ", 1)[0] + "…"
            lines.append(_wrap(item, f"  {number:>2}. "))
    if draft.notes:
        lines.append("Notes:")
        lines += [_wrap(note, "  - ") for note in draft.notes]
    lines.append(f"Warnings ({len(draft.warnings)}):" if draft.warnings else "Warnings: none")
    lines += [_wrap(warning, "  ! ") for warning in draft.warnings]
    return "\n".join(lines)
