"""The structured draft an Ofsted letter or report is turned into, and the error for non-letters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

KINDS = ("monitoring_visit", "focused_visit", "ilacs_inspection", "sif_inspection", "protection_inspection", "other")
GRADES = ("outstanding", "good", "requires improvement to be good", "inadequate")
INSPECTION_KINDS = ("ilacs_inspection", "sif_inspection", "protection_inspection")
VISIT_KINDS = ("monitoring_visit", "focused_visit")
TIMESCALES = ("immediately", "within_three_months", "within_six_months")


class NotALetterError(ValueError):
    """The input is not (or does not contain) an Ofsted letter or report about children's services."""


@dataclass
class LetterDraft:
    authority: str = ""
    kind: str = "other"
    visit_start: date | None = None
    visit_end: date | None = None
    letter_date: date | None = None
    inspectors: list[str] = field(default_factory=list)  # the lead first
    areas_covered: list[str] = field(default_factory=list)
    headline_findings: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)  # numbered paragraphs keep their number: "12. ..."
    judgements: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # The "what needs to improve" list, and required (priority) actions with their timescale
    # ("immediately", "within_three_months", "within_six_months" or "" where none is given).
    areas_for_improvement: list[str] = field(default_factory=list)
    required_actions: list[tuple[str, str]] = field(default_factory=list)
    # Not part of the output object (kept for the fixture and the human summary).
    notes: list[str] = field(default_factory=list)  # where the letter was, which rules fired
    title: str = ""  # the subject line or report title, as written
    framework: str = ""  # e.g. "the inspection of local authority children's services ..."
    recipient_council: str = ""  # the council's full name, "Devon County Council", as the document gives it
    inspector_roles: dict[str, str] = field(default_factory=dict)  # name -> title as written
    signed_by: str = ""  # the inspector who signed the letter
    lead_inspector: str = ""  # named as the lead ("Lead inspector: ...", "..., lead inspector")

    @property
    def lead(self) -> str:
        """The lead inspector: the one named as lead, else the one who signed."""
        return self.lead_inspector or self.signed_by

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def to_dict(self) -> dict:
        """The draft as a JSON object. The keys up to ``warnings`` are always there; the lists
        of areas for improvement and required actions follow only when the document has them,
        so a monitoring visit letter's object is the same as before they were read."""

        def iso(value: date | None) -> str | None:
            return value.isoformat() if value else None

        result = {
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
        if self.areas_for_improvement:
            result["areas_for_improvement"] = list(self.areas_for_improvement)
        if self.required_actions:
            result["required_actions"] = [
                {"text": text, "timescale": timescale} for text, timescale in self.required_actions
            ]
        return result
