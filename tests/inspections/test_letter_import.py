"""Tests for inspections.letter_import (plain pytest) and the import_letter command.

The Devon letter of 9 March 2022 is in tests/inspections/letters/ twice: as extracted from the
PDF (seed 003) and inside a committee agenda (seed 000). Both must give the same draft.
"""

import json
import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.letter_import import (
    LetterDraft,
    NotALetterError,
    decode_bytes,
    extract_letter,
    extract_letter_bytes,
)
from inspections.letter_import.dates import find_date, parse_standalone_date
from inspections.letter_import.fixture import draft_to_fixture
from inspections.letter_import.text import (
    Vocabulary,
    build_blocks,
    hyphen_decision,
    join_lines,
    mark_bullets,
    remove_furniture,
    split_lines,
)
from tests.conftest import required

LETTERS = Path(__file__).parent / "letters"
FROM_PDF = LETTERS / "devon_2022-03-09_from_pdf.txt"
IN_AGENDA = LETTERS / "devon_2022-03-09_in_agenda.txt"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"

KEYS = [
    "authority",
    "kind",
    "visit_start",
    "visit_end",
    "letter_date",
    "inspectors",
    "areas_covered",
    "headline_findings",
    "findings",
    "judgements",
    "warnings",
]


def read(path: Path) -> dict:
    return extract_letter_bytes(path.read_bytes(), source=path.name).to_dict()


def letter(
    visit_sentence="on 2 and 3 February 2022",
    date_line="9 March 2022",
    body="Leaders know their services well.",
    before="",
):
    """A small monitoring visit letter with the parts a test wants to vary."""
    return f"""{before}{date_line}

Chris Example
Director of Children's Services
Eastmoor County Council

Dear Chris

Monitoring visit to Eastmoor children's services

This letter summarises the findings of the monitoring visit to Eastmoor children's
services {visit_sentence}. Her Majesty's Inspectors for this visit were Tom Brown
and Amy Green.

Areas covered by the visit

- The quality of assessments.

Headline findings

Leaders know their services well.

Findings and evaluation of progress

{body}

Yours sincerely

Tom Brown
Her Majesty's Inspector
"""


# --------------------------------------------------------------------------------------------
# The Devon letter of 9 March 2022, both renderings


@pytest.fixture(scope="module", params=[FROM_PDF, IN_AGENDA], ids=["from_pdf", "in_agenda"])
def devon(request):
    return read(request.param)


def test_both_renderings_give_the_same_draft_field_by_field():
    from_pdf, in_agenda = read(FROM_PDF), read(IN_AGENDA)
    assert list(from_pdf) == KEYS
    for key in KEYS:
        assert from_pdf[key] == in_agenda[key], key


def test_devon_simple_fields(devon):
    assert devon["authority"] == "Devon"
    assert devon["kind"] == "monitoring_visit"
    assert devon["visit_start"] == "2022-02-02"
    assert devon["visit_end"] == "2022-02-03"
    assert devon["letter_date"] == "2022-03-09"
    assert devon["inspectors"] == ["Steve Lowe", "Tracey Ledder"]
    assert devon["judgements"] == {}  # "judged inadequate in January 2020" is the last inspection
    assert devon["warnings"] == []


def test_devon_areas_covered(devon):
    assert devon["areas_covered"] == [
        "Making sure that decisions taken by the multi-agency safeguarding hub (MASH) are acted on.",
        "Professional curiosity and the quality of assessments.",
        "The quality of recorded management oversight and critical challenge.",
    ]


def test_devon_headline_findings(devon):
    headlines = devon["headline_findings"]
    assert len(headlines) == 3
    assert headlines[0].startswith("A surge in referrals about children who may be in need")
    assert headlines[0].endswith("the help they need at the time they need it most.")
    # Not split at the page break; quotes straightened.
    assert (
        "Some families are unnecessarily subjected to repeated child protection investigations; "
        "managers' recommendations are not always followed" in headlines[1]
    )
    assert headlines[1].endswith("remain in unsafe and neglectful circumstances for too long.")
    assert headlines[2].startswith("However, in the last four months, a permanent senior")
    assert headlines[2].endswith("acknowledge the need to make changes more quickly.")


def test_devon_findings(devon):
    findings = devon["findings"]
    assert len(findings) == 16
    assert findings[0] == (
        "The oversight of contacts and referrals about children coming into the MASH is mostly "
        "timely in terms of making decisions more quickly and largely directs referrals to the "
        "right service in line with the needs of the child and their family. An unprecedented "
        "increase in referrals over the summer of 2021 has begun to plateau."
    )
    assert findings[3].endswith("resulting in uncertainty and stress for families.")
    assert findings[4].startswith("Revised processes are supporting clearer decision-making")
    assert findings[5] == (
        "Communication between the MASH and the IRT social workers remains under-developed, and "
        "prioritising who is going to visit children and by when sometimes suffers as a result."
    )
    assert "the confidence to 'hold' risk" in findings[6]
    assert "Bridges (the team supporting families to stay together rather than" in findings[10]
    assert findings[-1] == (
        "Importantly, elected members and corporate leaders are embracing the need to change "
        "after a long period of poor outcomes for families in Devon and are progressively "
        "prioritising children in the council's plans."
    )


def test_devon_text_is_clean(devon):
    paragraphs = devon["areas_covered"] + devon["headline_findings"] + devon["findings"]
    for text in paragraphs:
        assert "  " not in text and text == text.strip()
        assert not set("\u2018\u2019\u201c\u201d\u25fc\n") & set(text)
        assert "I am copying this letter" not in text and "Yours sincerely" not in text
        assert "(ILACS) framework" not in text  # the framework note is not a finding


def test_devon_agenda_does_not_pollute():
    draft = read(IN_AGENDA)
    assert draft["letter_date"] != "2022-03-29"  # the agenda's date
    assert "Committee" not in draft["authority"]
    assert not any("Scrutiny" in text for text in draft["findings"] + draft["headline_findings"])


def test_devon_notes_say_where_the_letter_was():
    draft = extract_letter_bytes(IN_AGENDA.read_bytes())
    assert any("rest was ignored" in note for note in draft.notes)
    assert draft.title == "Monitoring visit to Devon children's services"
    assert draft.recipient_council == "Devon County Council"
    assert draft.signed_by == "Steve Lowe"


# --------------------------------------------------------------------------------------------
# Cleaning PDF text


def test_hyphen_kept_for_compound_prefix_and_dropped_for_line_break_hyphenation():
    vocab = Vocabulary()
    assert hyphen_decision("under", "developed", vocab) == (True, "compound_prefix")
    assert hyphen_decision("multi", "agency", vocab) == (True, "compound_prefix")
    assert hyphen_decision("assess", "ment", vocab) == (False, "line_break_hyphenation")


def test_hyphen_decided_by_the_rest_of_the_text():
    lines = split_lines("an understanding of risk\ndecision-making is slow")
    vocab = Vocabulary.from_lines(lines)
    # "understanding" is written whole elsewhere, so "under-standing" is a broken word.
    assert hyphen_decision("under", "standing", vocab) == (False, "joined_elsewhere")
    # "decision-making" is written with its hyphen elsewhere.
    assert hyphen_decision("decision", "making", vocab) == (True, "hyphenated_elsewhere")
    assert hyphen_decision("non", "English", Vocabulary())[0] is True


def test_join_lines_repairs_breaks():
    vocab = Vocabulary()
    assert join_lines(["remains under-", "developed, and"], vocab) == "remains under-developed, and"
    assert join_lines(["the assess-", "ment of risk"], vocab) == "the assessment of risk"
    assert join_lines(["the council -", "which"], vocab) == "the council - which"
    assert join_lines(["a soft\u00ad", "ware"], vocab) == "a software"


def blocks_of(text):
    lines = split_lines(text)
    mark_bullets(lines)
    remove_furniture(lines, [("page_number", __import__("re").compile(r"\d{1,3}|Page \d+ of \d+"))])
    return build_blocks(lines, lambda t: t == "Findings", Vocabulary.from_lines(lines))


def test_stray_spaces_and_hard_line_breaks():
    (block,) = blocks_of("   Children  are seen   \n quickly by   social workers.  \n")
    assert block.text == "Children are seen quickly by social workers."


def test_paragraph_continues_after_blank_line_when_sentence_is_unfinished():
    blocks = blocks_of("Some families are subjected to repeated child\n\nprotection investigations.")
    assert [b.text for b in blocks] == ["Some families are subjected to repeated child protection investigations."]


def test_blank_line_after_full_stop_starts_a_new_paragraph():
    blocks = blocks_of("First paragraph ends here.\n\nSecond paragraph.")
    assert [b.text for b in blocks] == ["First paragraph ends here.", "Second paragraph."]


def test_indented_capital_after_full_stop_starts_a_new_paragraph():
    # As in seed 003: a new page's first line is indented by a space; a new paragraph if the
    # line before ended a sentence and this one starts with a capital, else a continuation.
    text = "Uncertainty and\nstress for families.\n Revised processes help in the\n protection of children."
    assert [b.text for b in blocks_of(text)] == [
        "Uncertainty and stress for families.",
        "Revised processes help in the protection of children.",
    ]


def test_text_indented_throughout_has_no_indented_lines():
    text = "    Uncertainty and\n    stress for families.\n    Revised processes help."
    assert [b.text for b in blocks_of(text)] == ["Uncertainty and stress for families. Revised processes help."]


@pytest.mark.parametrize("furniture", ["2", "Page 2 of 6", "\f", "\f3"])
def test_page_numbers_are_removed_and_the_paragraph_rejoined(furniture):
    text = f"Plans are written to\n\n{furniture}\n\nchildren in words they understand."
    assert [b.text for b in blocks_of(text)] == ["Plans are written to children in words they understand."]


def test_running_header_next_to_page_numbers_is_removed():
    letter_text = (
        (FROM_PDF.read_text())
        .replace(
            "The oversight of contacts and referrals about children coming into the MASH is \n",
            "The oversight of contacts and referrals about children coming into the MASH is \n"
            "Devon monitoring visit letter\nPage 2 of 6\n",
        )
        .replace(
            "Management oversight in the MASH",
            "Devon monitoring visit letter\nPage 3 of 6\n\nManagement oversight in the MASH",
        )
    )
    assert extract_letter(letter_text).findings == read(FROM_PDF)["findings"]


@pytest.mark.parametrize("bullet", ["\u2022", "-", "\u2013", "\u25fc", "\u25aa", "\uf0b7"])
def test_bullets(bullet):
    text = letter().replace(
        "- The quality of assessments.",
        f"{bullet} The quality of\nassessments.\n{bullet} Supervision.",
    )
    assert extract_letter(text).areas_covered == ["The quality of assessments.", "Supervision."]


def test_dash_inside_a_wrapped_sentence_is_not_a_bullet():
    blocks = blocks_of("Leaders have acted quickly\n\u2013 as inspectors found \u2013 to recruit staff.")
    assert [b.kind for b in blocks] == ["para"]


def test_curly_quotes_are_straightened():
    body = "Leaders\u2019 \u2018front door\u2019 is a \u201csingle\u201d service."
    draft = extract_letter(letter(body=body))
    assert draft.findings == ["Leaders' 'front door' is a \"single\" service."]


# --------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("2 and 3 February 2022", date(2022, 2, 2), date(2022, 2, 3)),
        ("2\u20133 February 2022", date(2022, 2, 2), date(2022, 2, 3)),
        ("2-3 February 2022", date(2022, 2, 2), date(2022, 2, 3)),
        ("2 to 3 February 2022", date(2022, 2, 2), date(2022, 2, 3)),
        ("22/23 September 2020", date(2020, 9, 22), date(2020, 9, 23)),
        ("28 February to 1 March 2022", date(2022, 2, 28), date(2022, 3, 1)),
        ("30 December 2021 to 2 January 2022", date(2021, 12, 30), date(2022, 1, 2)),
        ("4, 5 and 6 March 2019", date(2019, 3, 4), date(2019, 3, 6)),
        ("12 May 2021", date(2021, 5, 12), date(2021, 5, 12)),
        ("2nd and 3rd Feb 2022", date(2022, 2, 2), date(2022, 2, 3)),
    ],
)
def test_date_shapes(written, start, end):
    found = find_date(f"on {written}.")
    assert found.resolve() == (start, end)


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("on 2\u20133 February 2022", "2022-02-02", "2022-02-03"),
        ("on 2 to 3 February 2022", "2022-02-02", "2022-02-03"),
        ("on 28 February to 1 March 2022", "2022-02-28", "2022-03-01"),
        ("on 12 January 2022", "2022-01-12", "2022-01-12"),
    ],
)
def test_visit_dates_in_a_letter(written, start, end):
    draft = extract_letter(letter(visit_sentence=written)).to_dict()
    assert (draft["visit_start"], draft["visit_end"]) == (start, end)
    assert draft["warnings"] == []


def test_visit_dates_without_a_year_take_it_from_the_letter_date_with_a_warning():
    draft = extract_letter(letter("on 22/23 September", date_line="20 October 2020"))
    assert (draft.visit_start, draft.visit_end) == (date(2020, 9, 22), date(2020, 9, 23))
    assert any("no year" in w and "2020" in w for w in draft.warnings)


def test_visit_in_december_letter_in_january():
    draft = extract_letter(letter("on 8 and 9 December", date_line="20 January 2022"))
    assert draft.visit_start == date(2021, 12, 8)


def test_single_day_visit_sample():
    draft = read(LETTERS / "single_day_visit.txt")
    assert draft["visit_start"] == draft["visit_end"] == "2021-05-12"
    assert draft["letter_date"] == "2021-06-12"
    assert draft["inspectors"] == ["Priya Shah"]
    assert draft["areas_covered"] == [
        "The quality of care planning for children in care.",
        "The stability of the social work workforce.",
    ]
    # Page numbers after form feeds are dropped and the broken paragraph joined.
    assert draft["findings"][0].endswith("Plans are written to children in language they understand.")
    assert draft["warnings"] == []


def test_missing_letter_date_is_null_with_a_warning():
    draft = read(LETTERS / "no_letter_date.txt")
    assert draft["letter_date"] is None
    assert draft["visit_start"] is None and draft["visit_end"] is None
    assert "letter date: not found (left empty)" in draft["warnings"]
    assert any(w.startswith("visit dates:") and "no year" in w for w in draft["warnings"])
    assert draft["authority"] == "Eastmoor"


def test_letterhead_before_the_date():
    letterhead = (
        "Ofsted\nAgora\n6 Cumberland Place\nNottingham\nNG1 6HJ\n\nT 0300 123 1231\n"
        "Textphone 0161 618 8524\nenquiries@ofsted.gov.uk\nwww.gov.uk/ofsted\n\n"
    )
    draft = extract_letter(letter(before="Date: 1 April 2022\nAgenda item 5\n\n" + letterhead))
    assert draft.letter_date == date(2022, 3, 9)
    assert draft.authority == "Eastmoor"
    assert draft.warnings == []


def test_standalone_date_lines():
    assert parse_standalone_date("9 March 2022") == date(2022, 3, 9)
    assert parse_standalone_date("Wednesday, 9 March 2022") == date(2022, 3, 9)
    assert parse_standalone_date("09/03/2022") == date(2022, 3, 9)
    assert parse_standalone_date("Minutes of 9 March 2022") is None
    assert parse_standalone_date("2 and 3 March 2022") is None


# --------------------------------------------------------------------------------------------
# Other layouts


def test_focused_visit_sample():
    draft = read(LETTERS / "focused_visit.txt")
    assert draft["authority"] == "Northshire"
    assert draft["kind"] == "focused_visit"
    assert (draft["visit_start"], draft["visit_end"]) == ("2019-10-02", "2019-10-03")
    assert draft["letter_date"] == "2019-11-14"
    assert draft["inspectors"] == ["Jane Smith", "Ravi Patel"]
    assert draft["headline_findings"] == [
        'Senior leaders have a clear understanding of the "front door" and its weaknesses. '
        "The multi-agency safeguarding hub is well established."
    ]
    # Running footer and "Page 1 of 3" removed, paragraph rejoined across them.
    assert draft["findings"][0].endswith(
        "the quality of supervision is improving for most social workers. Caseloads are manageable."
    )
    assert len(draft["findings"]) == 3
    assert not any("Ofsted will take" in f or "Northshire" in f for f in draft["findings"])
    # A statement of what the visit looked at is one area, as written (issue 24).
    assert draft["areas_covered"] == [
        "Inspectors looked at the local authority's arrangements for the 'front door', including decisions about "
        "referrals and the quality of assessments of children in need."
    ]
    assert any(w.startswith("areas covered:") for w in draft["warnings"])


def test_inspection_report_judgements():
    draft = read(LETTERS / "ilacs_report.txt")
    assert draft["kind"] == "ilacs_inspection"
    assert draft["authority"] == "Southbay"
    assert (draft["visit_start"], draft["visit_end"]) == ("2019-06-10", "2019-06-21")
    assert draft["letter_date"] == "2019-08-02"
    assert draft["inspectors"] == ["Maria Lopez"]
    assert draft["judgements"] == {
        "The impact of leaders on social work practice with children and families": ("requires improvement to be good"),
        "The experiences and progress of children who need help and protection": "inadequate",
        "The experiences and progress of children in care and care leavers": "good",
        "Overall effectiveness": "requires improvement to be good",
    }
    assert draft["findings"] == ["Children wait too long for help."]


def test_previous_judgement_is_not_a_judgement_of_this_letter():
    body = (
        "The local authority was judged inadequate in January 2020. Overall effectiveness was judged to be inadequate."
    )
    assert extract_letter(letter(body=body)).judgements == {}


@pytest.mark.parametrize(
    ("sentence", "names", "roles", "lead"),
    [
        (
            "His Majesty's Inspectors for this visit were Ann Lee, Bob Roe and Cat Doe (lead inspector)",
            ["Ann Lee", "Bob Roe", "Cat Doe"],
            ["His Majesty's Inspector"] * 3,
            "Cat Doe",
        ),
        (
            "The inspectors for this visit were Ann Lee HMI and Bob Roe, Ofsted Inspector",
            ["Ann Lee", "Bob Roe"],
            ["HMI", "Ofsted Inspector"],
            "Tom Brown",
        ),
        (
            "Her Majesty's Inspector for this visit was Dr Ann Lee-Smith",
            ["Ann Lee-Smith"],
            ["Her Majesty's Inspector"],
            "Tom Brown",
        ),
    ],
)
def test_inspector_names_lose_their_titles(sentence, names, roles, lead):
    text = letter().replace("Her Majesty's Inspectors for this visit were Tom Brown\nand Amy Green", sentence)
    draft = extract_letter(text)
    # The lead first (issue 24): the one named lead inspector, else Tom Brown, who signs the letter.
    assert draft.inspectors == [lead, *(name for name in [*names, "Tom Brown"] if name != lead)]
    assert [draft.inspector_roles[name] for name in names] == roles
    assert draft.signed_by == "Tom Brown"


def test_unknown_kind_and_missing_fields_are_warnings():
    text = "Dear Chris\n\nOfsted inspectors wrote to you.\n\nYours sincerely\n\nTom Brown\nHer Majesty's Inspector\n"
    draft = extract_letter(text).to_dict()
    assert draft["kind"] == "other"
    assert draft["authority"] == "" and draft["letter_date"] is None
    assert draft["inspectors"] == ["Tom Brown"]
    for field in ("kind", "authority", "letter date", "visit dates", "areas covered", "findings"):
        assert any(w.startswith(field + ":") for w in draft["warnings"]), field


def test_to_dict_has_exactly_the_agreed_keys():
    assert list(LetterDraft().to_dict()) == KEYS


def test_grades_and_kinds_are_the_agreed_values():
    from inspections.letter_import import GRADES, KINDS, rules

    assert set(rules.GRADES.values()) == set(GRADES)
    assert {rule.value for rule in rules.TITLE_RULES + rules.INTRO_RULES} <= set(KINDS)


# --------------------------------------------------------------------------------------------
# Not letters


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The text is empty"),
        ("   \n\n  ", "The text is empty"),
        (
            "Shopping list\n\nMilk, eggs and bread.\n\nDear diary, nothing happened.",
            "The text does not look like an Ofsted letter",
        ),
        (
            "Dear Sam\n\nThe football match is on Saturday.\n\nYours sincerely\n\nAlex",
            "The text does not look like an Ofsted letter",
        ),
        ("bin\x00ary\x00data", "The text is binary"),
    ],
)
def test_not_a_letter(text, message):
    with pytest.raises(NotALetterError, match=message):
        extract_letter(text)


def test_binary_and_undecodable_bytes():
    with pytest.raises(NotALetterError, match="binary"):
        decode_bytes(b"%PDF-1.4\x00\x01\x02", "letter.pdf")
    with pytest.raises(NotALetterError, match="empty"):
        decode_bytes(b"", "empty.txt")
    with pytest.raises(NotALetterError, match="decoded"):
        decode_bytes(b"\x81\x8d\x8f\x90\x9d", "odd.txt")


def test_cp1252_is_read_with_a_warning():
    # cp1252 has curly quotes (0x92) and "•" but no "◼".
    text = FROM_PDF.read_text(encoding="utf-8").replace("\u25fc", "\u2022")
    draft = extract_letter_bytes(text.encode("cp1252")).to_dict()
    assert draft.pop("warnings")[0].startswith("text: the file is not valid UTF-8")
    expected = read(FROM_PDF)
    expected.pop("warnings")
    assert draft == expected


@pytest.mark.parametrize("name", ["001_e5c1d1584b03a8f5", "002_f6faf2d291ead4ee", "004_f858f6e9b8539fde"])
def test_other_seed_documents_are_not_letters(name):
    seed = required(SEEDS / f"{name}.txt")
    with pytest.raises(NotALetterError, match="The file does not look like an Ofsted letter"):
        extract_letter_bytes(seed.read_bytes())


# --------------------------------------------------------------------------------------------
# The management command (no database)


def test_command_json_prints_exactly_the_object():
    out = StringIO()
    call_command("import_letter", str(FROM_PDF), json=True, stdout=out)
    printed = out.getvalue()
    assert json.loads(printed) == read(FROM_PDF)
    assert printed.rstrip("\n") == json.dumps(read(FROM_PDF), indent=2, ensure_ascii=False)


def test_command_summary():
    out = StringIO()
    call_command("import_letter", str(IN_AGENDA), stdout=out)
    text = out.getvalue()
    assert "Authority:   Devon" in text
    assert "Inspectors:  Steve Lowe, Tracey Ledder" in text
    assert "Findings (16):" in text
    assert "Warnings: none" in text


def test_command_summary_lists_warnings():
    out = StringIO()
    call_command("import_letter", str(LETTERS / "no_letter_date.txt"), stdout=out)
    assert "letter date: not found" in out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Minutes of the allotment society.\n\nThe hedges were trimmed.\n", "Ofsted letter"),
    ],
)
def test_command_rejects_non_letters_and_writes_nothing(tmp_path, content, message):
    source = tmp_path / "not-a-letter.txt"
    source.write_bytes(content)
    target = tmp_path / "fixture.json"
    with pytest.raises(CommandError, match=message) as error:
        call_command("import_letter", str(source), output=str(target), stdout=StringIO())
    assert "not-a-letter.txt" in str(error.value)
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-letter.txt"]


def test_command_json_and_output_together_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--json"):
        call_command("import_letter", str(FROM_PDF), json=True, output=str(tmp_path / "x.json"))
    assert not (tmp_path / "x.json").exists()


def test_command_missing_file():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_letter", "/nonexistent/letter.txt")


def test_command_exit_status_is_1_for_a_non_letter(tmp_path):
    source = tmp_path / "notes.txt"
    source.write_text("Nothing to see here.\n")
    env = {**os.environ, "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, str(MANAGE), "import_letter", str(source)],
        capture_output=True,
        text=True,
        env=env,
        cwd=MANAGE.parent,
    )
    assert result.returncode == 1
    assert "notes.txt" in result.stderr and "Ofsted letter" in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------------------------
# Fixture


def test_fixture_objects():
    draft = extract_letter_bytes(FROM_PDF.read_bytes())
    objects = draft_to_fixture(draft, source_location=FROM_PDF.name)
    assert all("pk" not in obj for obj in objects)
    by_model = {}
    for obj in objects:
        by_model.setdefault(obj["model"], []).append(obj["fields"])
    assert by_model["inspections.authority"] == [{"short_name": "Devon", "name": "Devon County Council"}]
    (inspection,) = by_model["inspections.inspection"]
    assert inspection["authority"] == ["Devon"]
    assert (inspection["kind"], inspection["visit_start"], inspection["visit_end"]) == (
        "monitoring_visit",
        "2022-02-02",
        "2022-02-03",
    )
    assert inspection["letter_date"] == "2022-03-09"
    key = ["Devon", "monitoring_visit", "2022-02-02"]
    roles = by_model["inspections.inspectioninspector"]
    assert [(r["person"], r["signed_letter"]) for r in roles] == [
        (["Steve Lowe"], True),
        (["Tracey Ledder"], False),
    ]
    assert len(by_model["inspections.visitarea"]) == 3
    kinds = [f["kind"] for f in by_model["inspections.finding"]]
    assert kinds == ["headline"] * 3 + ["finding"] * 16
    assert all(f["inspection"] == key for f in by_model["inspections.finding"])
    assert "inspections.judgement" not in by_model


def test_fixture_needs_authority_and_visit_start():
    with pytest.raises(ValueError, match="visit start"):
        draft_to_fixture(LetterDraft(authority="Devon"))


def test_command_writes_a_fixture(tmp_path):
    target = tmp_path / "devon.json"
    call_command("import_letter", str(FROM_PDF), output=str(target), stdout=StringIO())
    objects = json.loads(target.read_text(encoding="utf-8"))
    assert objects == draft_to_fixture(extract_letter_bytes(FROM_PDF.read_bytes()), source_location=FROM_PDF.name)
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_letter", str(FROM_PDF), output=str(target), stdout=StringIO())


@pytest.mark.django_db
def test_fixture_loads(tmp_path):
    from inspections.models import Finding, Inspection

    target = tmp_path / "devon.json"
    call_command("import_letter", str(IN_AGENDA), output=str(target), stdout=StringIO())
    call_command("loaddata", str(target), stdout=StringIO())
    call_command("loaddata", str(target), stdout=StringIO())  # natural keys: loads again in place
    inspection = Inspection.objects.get()
    assert inspection.authority.short_name == "Devon"
    assert inspection.visit_end == date(2022, 2, 3)
    assert Finding.objects.filter(inspection=inspection, kind="finding").count() == 16
    assert inspection.inspection_inspectors.get(signed_letter=True).person.name == "Steve Lowe"
