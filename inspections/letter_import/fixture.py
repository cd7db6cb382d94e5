"""A ``LetterDraft`` as a Django fixture (serializer format, natural keys, no "pk").

The objects follow the models in ``inspections/models.py`` and ``docs/fixture-format.md``:
parents before children, foreign keys as the related object's expanded natural key.

- ``inspections.authority``  short_name (as the letter names it) and name (the council's full
  name as the document gives it, else the short name);
- ``inspections.person``  one per inspector, by name (the title the document gives is the
  inspector's ``role`` in this inspection);
- ``inspections.sourcedocument``  the letter or report itself;
- ``inspections.inspection``  keyed by (authority, kind, visit_start);
- ``inspections.inspectioninspector``  role (with "Lead inspector" where the document names
  the lead), and signed_letter for the inspector who signed;
- ``inspections.judgement``, ``inspections.visitarea``, ``inspections.finding``: headline
  findings, areas for improvement, required actions (with their timescale) and body findings,
  each kind numbered from 1 in the document's order; a paragraph the document numbers
  ("12. Children ...") keeps its number as the finding's ``paragraph``.

The authority and person objects carry only what the letter says. ``manage.py load_letters``
(inspections/loading.py) keeps the fields a fixture leaves out of an existing row; plain
``loaddata`` resets them to their defaults (an authority's region, a person's user account),
so with ``loaddata`` remove those objects when the rows already exist.
"""

from __future__ import annotations

import re

from .draft import INSPECTION_KINDS, LetterDraft

GRADE_CHOICES = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement to be good": "requires_improvement",
    "inadequate": "inadequate",
    "adequate": "adequate",  # the pre-2013 scale: never extracted, but an administrator may enter it
}
FINDING_KINDS = (
    ("headline_findings", "headline"),
    ("areas_for_improvement", "area_for_improvement"),
    ("findings", "finding"),
)
KIND_TITLES = {
    "monitoring_visit": "Monitoring visit",
    "focused_visit": "Focused visit",
    "ilacs_inspection": "Inspection of local authority children's services",
    "sif_inspection": (
        "Inspection of services for children in need of help and protection, children looked after and care leavers"
    ),
    "protection_inspection": "Inspection of local authority arrangements for the protection of children",
    "other": "Ofsted letter",
}
# "12. Children are seen..." -> paragraph "12", text "Children are seen...".
NUMBERED_PARAGRAPH = re.compile(r"(?P<paragraph>\d{1,3}(?:\.\d{1,2})?)\.?\s+(?P<text>\S.*)", re.DOTALL)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def inspector_role(draft, name):
    """The inspector's title, and "Lead inspector" only where the document itself says so."""
    role = draft.inspector_roles.get(name, "")
    if name != draft.lead_inspector:
        return role
    return f"Lead inspector, {role}"[:120] if role else "Lead inspector"


def source_reference(draft: LetterDraft, recorded: str = "") -> str:
    """The letter's SourceDocument reference, the same on every import of the same letter: the
    one already ``recorded`` as its inspection's report (so that a letter loaded from a fixture
    written by hand is found), else made from the kind, authority and date, e.g.
    "ofsted-monitoring-visit-devon-2022-03-09". Never from a file's name."""
    if recorded:
        return recorded
    when = draft.letter_date or draft.visit_start
    return _slug(f"ofsted {draft.kind.replace('_', ' ')} {draft.authority} {when.isoformat()}")[:120]


def split_paragraph_number(text: str) -> tuple[str, str]:
    """(paragraph number, text) of a finding as the draft has it; ("", text) when unnumbered."""
    m = NUMBERED_PARAGRAPH.fullmatch(text)
    if m and re.match(r"\d{1,3}(?:\.\d{1,2})?\.\s", text):
        return m.group("paragraph"), m.group("text")
    return "", text


def framework_name(framework: str) -> str:
    """The framework as the record names it, without the article of the letter's sentence:
    "Inspection of local authority children's services (ILACS) framework"."""
    name = re.sub(r"^the\s+", "", framework.strip(), flags=re.IGNORECASE)
    return name[:1].upper() + name[1:]


def draft_to_fixture(draft: LetterDraft, *, source_location: str = "", recorded_reference: str = "") -> list[dict]:
    """Serializer-format objects for ``loaddata``. Raises ValueError if a key part is missing.

    ``recorded_reference``: the reference of the letter's document when it is already loaded."""
    missing = [name for name in ("authority", "visit_start") if not getattr(draft, name)]
    if missing:
        raise ValueError(
            "cannot make a fixture without "
            + " and ".join(m.replace("_", " ") for m in missing)
            + " (part of the inspection's natural key); add it to the letter text or write "
            "the fixture by hand"
        )
    if draft.letter_date and draft.letter_date < draft.visit_start:
        raise ValueError("the letter date is before the visit; check the dates first")

    authority_key = [draft.authority]
    inspection_key = [draft.authority, draft.kind, draft.visit_start.isoformat()]
    reference = source_reference(draft, recorded_reference)
    title = draft.title or f"{KIND_TITLES[draft.kind]}: {draft.authority}"
    objects: list[dict] = []

    def add(model: str, **fields) -> None:
        objects.append({"model": f"inspections.{model}", "fields": fields})

    # Where the document does not give the council's full name, the authority's name stands in
    # for it (the draft warns), so that the fixture loads into a database without the authority.
    add("authority", short_name=draft.authority, name=draft.recipient_council or draft.authority)
    for name in draft.inspectors:
        # The title goes on the inspector's role in this inspection, not on the person: letters
        # title the same inspector differently, and loading them must not flip the person's.
        add("person", name=name)
    add(
        "sourcedocument",
        reference=reference,
        title=title,
        kind="inspection_report" if draft.kind in INSPECTION_KINDS else "letter",
        date=draft.letter_date.isoformat() if draft.letter_date else None,
        date_precision="day",
        author="Ofsted",
        location=source_location,
    )
    add(
        "inspection",
        authority=authority_key,
        kind=draft.kind,
        title=title,
        visit_start=draft.visit_start.isoformat(),
        visit_end=draft.visit_end.isoformat() if draft.visit_end else None,
        visit_date_precision="day",
        letter_date=draft.letter_date.isoformat() if draft.letter_date else None,
        framework=framework_name(draft.framework)[:300],
        summary="",
        report=[reference],
    )
    for name in draft.inspectors:
        add(
            "inspectioninspector",
            inspection=inspection_key,
            person=[name],
            role=inspector_role(draft, name),
            signed_letter=name == draft.signed_by,
        )
    for name, grade in draft.judgements.items():
        add("judgement", inspection=inspection_key, name=name, grade=GRADE_CHOICES[grade])
    for number, text in enumerate(draft.areas_covered, start=1):
        add("visitarea", inspection=inspection_key, number=number, text=text)
    findings = {attribute: [(text, "") for text in getattr(draft, attribute)] for attribute, _ in FINDING_KINDS}
    findings["required_actions"] = list(draft.required_actions)
    kinds = [*FINDING_KINDS[:2], ("required_actions", "required_action"), FINDING_KINDS[2]]
    for attribute, kind in kinds:
        for number, (written, timescale) in enumerate(findings[attribute], start=1):
            paragraph, text = split_paragraph_number(written)
            extra = {"paragraph": paragraph} if paragraph else {}
            if timescale:
                extra["timescale"] = timescale
            add("finding", inspection=inspection_key, kind=kind, number=number, text=text, **extra)
    check_against_models(objects)
    return objects


def check_against_models(objects: list[dict]) -> None:
    """If Django is set up, check every model, field and choice exists; raise ValueError if not.

    This catches the fixture falling out of step with ``inspections/models.py``.
    """
    try:
        from django.apps import apps

        if not apps.ready:
            return
    except ImportError:  # pragma: no cover - Django is always installed in this project
        return
    problems = []
    for obj in objects:
        try:
            model = apps.get_model(obj["model"])
        except LookupError:
            problems.append(f"no model {obj['model']}")
            continue
        fields = {f.name: f for f in model._meta.get_fields()}
        for name, value in obj["fields"].items():
            field = fields.get(name)
            if field is None:
                problems.append(f"{obj['model']} has no field {name!r}")
            elif getattr(field, "choices", None) and value not in {c[0] for c in field.choices}:
                problems.append(f"{obj['model']}.{name} has no choice {value!r}")
    if problems:
        raise ValueError("the fixture does not match the models: " + "; ".join(problems))
