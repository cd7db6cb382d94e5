"""The structured draft an Ofsted letter is turned into, and the error for non-letters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

KINDS = ("monitoring_visit", "focused_visit", "ilacs_inspection", "protection_inspection", "other")
GRADES = ("outstanding", "good", "requires improvement to be good", "inadequate")
INSPECTION_KINDS = ("ilacs_inspection", "protection_inspection")


class NotALetterError(ValueError):
    """The input is not (or does not contain) an Ofsted letter about children's services."""


@dataclass
class LetterDraft:
    authority: str = ""
    kind: str = "other"
    visit_start: date | None = None
    visit_end: date | None = None
    letter_date: date | None = None
    inspectors: list[str] = field(default_factory=list)
    areas_covered: list[str] = field(default_factory=list)
    headline_findings: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    judgements: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Not part of the output object (kept for the fixture and the human summary).
    notes: list[str] = field(default_factory=list)  # where the letter was, which rules fired
    title: str = ""  # the subject line or report title, as written
    framework: str = ""  # e.g. "the inspection of local authority children's services ..."
    recipient_council: str = ""  # e.g. "Devon County Council", from the recipient's address
    inspector_roles: dict[str, str] = field(default_factory=dict)  # name -> title as written
    signed_by: str = ""  # the inspector who signed the letter

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def to_dict(self) -> dict:
        def iso(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "authority": self.authority,
            "kind": self.kind,
            "visit_start": iso(self.visit_start),
            "visit_end": iso(self.visit_end),
            "letter_date": iso(self.letter_date),
            "inspectors": list(self.inspectors),
            "areas_covered": list(self.areas_covered),
            "headline_findings": list(self.headline_findings),
            "findings": list(self.findings),
            "judgements": dict(self.judgements),
            "warnings": list(self.warnings),
        }
