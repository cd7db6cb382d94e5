"""Each layout rule on a small hand-made snippet (issue 24): inspection reports (ILACS, the single
inspection framework, the 2013 protection inspections), focused visit wordings, the joint
targeted area inspection, page furniture, and what is refused. Monitoring visits have their
own module (test_letter_import_monitoring_visits.py)."""

from datetime import date
from pathlib import Path

import pytest

from inspections.letter_import import NotALetterError, extract_letter, extract_letter_bytes
from inspections.letter_import.fixture import draft_to_fixture
from inspections.letter_import.text import remove_footnotes, remove_furniture, split_lines

LETTERS = Path(__file__).parent / "letters"


def read(name: str):
    return extract_letter_bytes((LETTERS / name).read_bytes(), source=name)


def findings_of(objects, kind):
    return [o["fields"] for o in objects if o["model"] == "inspections.finding" and o["fields"]["kind"] == kind]


# --------------------------------------------------------------------------------------------
# ILACS reports


def test_an_ilacs_report_laid_out_in_columns():
    draft = read("ilacs_report_columns.txt")

    assert (draft.kind, draft.authority, draft.title) == (
        "ilacs_inspection",
        "Northmoor",
        "Inspection of Northmoor local authority children's services",
    )
    assert (draft.visit_start, draft.visit_end, draft.letter_date) == (date(2025, 3, 3), date(2025, 3, 14), None)
    assert "letter date: not found (left empty)" in draft.warnings  # a report has no date of its own
    assert draft.inspectors == ["Priya Desai"] and draft.lead == "Priya Desai"
    # Grades that wrap ("Requires improvement" / "to be good"), one above and below its label,
    # children in care and care leavers judged apart.
    assert draft.judgements == {
        "The impact of leaders on social work practice with children and families": "requires improvement to be good",
        "The experiences and progress of children who need help and protection": "inadequate",
        "The experiences and progress of children in care": "good",
        "The experiences and progress of care leavers": "requires improvement to be good",
        "Overall effectiveness": "inadequate",
    }
    # The summary under the table, which has no heading, is the headline.
    assert [h[:40] for h in draft.headline_findings] == [
        "Since the last inspection in 2021, when ",
        "Children in care are well supported by c",
    ]
    # "What needs to improve?1": the footnote and its marker are gone.
    assert draft.areas_for_improvement == [
        "The timeliness of strategy discussions when children are at risk of significant harm. "
        "(outcome 3, national framework)",
        "The quality of assessments and plans for children in need.",
    ]
    assert [f[:3] for f in draft.findings] == ["1. ", "2. ", "3. ", "4. ", "5. "]
    # Running footers with their page numbers never join a paragraph.
    assert not any("March 2025" in f or "Northmoor" in f for f in draft.findings + draft.headline_findings)
    assert draft.areas_covered == [] and not any(w.startswith("areas covered") for w in draft.warnings)


def test_an_ilacs_reports_fixture_has_its_judgements_areas_for_improvement_and_numbered_findings():
    objects = draft_to_fixture(read("ilacs_report_columns.txt"))

    judgements = [o["fields"] for o in objects if o["model"] == "inspections.judgement"]
    assert {(j["name"], j["grade"]) for j in judgements} >= {("Overall effectiveness", "inadequate")}
    assert [(f["number"], f["text"][:20]) for f in findings_of(objects, "area_for_improvement")] == [
        (1, "The timeliness of st"),
        (2, "The quality of asses"),
    ]
    findings = findings_of(objects, "finding")
    assert [(f["number"], f["paragraph"]) for f in findings] == [(n, str(n)) for n in range(1, 6)]
    assert all("paragraph" not in f for f in findings_of(objects, "headline"))  # unnumbered
    assert findings[0]["text"].startswith("Children who need help and protection wait")
    roles = [o["fields"] for o in objects if o["model"] == "inspections.inspectioninspector"]
    # A report names its lead; nobody signs it.
    assert [(r["person"], r["role"], r["signed_letter"]) for r in roles] == [
        (["Priya Desai"], "Lead inspector, His Majesty's Inspector", False)
    ]


def test_the_first_ilacs_layout_names_the_council_above_the_title():
    text = (
        "Eastmoor County Council\nInspection of children’s social care services\n"
        "Inspection dates: 4 June 2018 to 15 June 2018\n\nLead inspector: Ann Lee HMI\n\n"
        "Judgement   Grade\n"
        "The impact of leaders on social work practice with children    Good\nand families\n\n"
        "Overall effectiveness   Good\n\nLeaders know their services well.\n\nWhat needs to improve\n\n"
        "◼ The timeliness of assessments.\n"
    )

    draft = extract_letter(text)

    assert (draft.kind, draft.authority, draft.recipient_council) == (
        "ilacs_inspection",
        "Eastmoor",
        "Eastmoor County Council",
    )
    assert draft.inspectors == ["Ann Lee"] and draft.inspector_roles == {"Ann Lee": "HMI"}
    assert draft.judgements == {
        "The impact of leaders on social work practice with children and families": "good",
        "Overall effectiveness": "good",
    }
    assert draft.headline_findings == ["Leaders know their services well."]


def test_a_grade_in_no_known_judgement_is_kept_with_a_warning():
    text = (
        "Inspection of Eastmoor local authority children’s services\n"
        "Inspection dates: 3 to 14 March 2031\n\nJudgement   Grade\n\n"
        "The quality of family help                 Good\n\n"
        "Overall effectiveness                      Good\n\nWhat needs to improve?\n\n◼ Supervision.\n"
    )

    draft = extract_letter(text)

    assert draft.judgements == {"The quality of family help": "good", "Overall effectiveness": "good"}
    assert "judgements: 'The quality of family help' is not a judgement this importer knows; check it" in draft.warnings


def test_a_grade_closing_a_sentence_at_the_left_margin_is_not_a_table_cell():
    text = (
        "Inspection of Eastmoor local authority children’s services\n"
        "Inspection dates: 3 to 14 March 2025\n\n"
        "Children’s services in Eastmoor have improved and most are now\ngood\n\n"
        "What needs to improve?\n\n◼ Supervision.\n"
    )

    draft = extract_letter(text)

    assert draft.judgements == {}
    assert "judgements: an inspection report, but no judgement and grade were found" in draft.warnings


# --------------------------------------------------------------------------------------------
# The single inspection framework, 2013-2017


def test_a_single_inspection_framework_report():
    draft = read("sif_report.txt")

    assert (draft.kind, draft.authority, draft.recipient_council) == (
        "sif_inspection",
        "Westvale",
        "Westvale Metropolitan Borough Council",
    )
    assert (draft.visit_start, draft.visit_end) == (date(2015, 11, 3), date(2015, 11, 26))
    assert draft.letter_date == date(2016, 2, 5)  # "Report published"
    # The overall grade and the LSCB's are sentences; the table's grades are its words
    # ("Requires improvement"). The summary's "Overall effectiveness: inadequate" of 2012 is not
    # read: only the front of the report is.
    assert draft.judgements == {
        "Overall effectiveness": "inadequate",
        "Children who need help and protection": "inadequate",
        "Children looked after and achieving permanence": "requires improvement to be good",
        "Adoption performance": "good",
        "Experiences and progress of care leavers": "requires improvement to be good",
        "Leadership, management and governance": "inadequate",
        "The effectiveness of the Local Safeguarding Children Board": "requires improvement to be good",
    }
    assert not any(w.startswith("judgements:") for w in draft.warnings)
    # The team on the last page: a name broken over a line, a line break for a comma, "(OI)";
    # the data analyst and the quality assurance manager are not inspectors.
    assert draft.inspectors == [
        "Karen Blake",
        "Amir Khan",
        "Lucy Hart",
        "Owen Price",
        "Maria Gonzalez-Ruiz",
        "Samuel Ode",
        "Grace Lin",
        "Tom Reed",
        "Nadia Shah",
    ]
    assert draft.lead_inspector == "Karen Blake"
    assert draft.required_actions == [
        (
            "3. Ensure that all children at risk of significant harm are seen within the timescales set by "
            "the local authority.",
            "immediately",
        )
    ]
    assert draft.areas_for_improvement == [
        "4. Improve the quality of supervision.",
        "5. Ensure that care leavers live in suitable accommodation.",
    ]
    assert draft.title.endswith("children looked after and care leavers")  # the footnote marker is gone


def test_a_sif_reports_required_action_keeps_its_paragraph_and_timescale_in_the_fixture():
    objects = draft_to_fixture(read("sif_report.txt"))

    (action,) = findings_of(objects, "required_action")
    assert (action["paragraph"], action["timescale"], action["text"][:12]) == ("3", "immediately", "Ensure that ")
    assert [f["paragraph"] for f in findings_of(objects, "area_for_improvement")] == ["4", "5"]
    # "This local authority is inadequate because" introduces the list: a sub-heading, not a finding.
    assert [f.get("paragraph") for f in findings_of(objects, "headline")] == ["1", "2", None]


# --------------------------------------------------------------------------------------------
# The 2013 inspections of arrangements for the protection of children


def test_a_protection_inspection_report_of_2013():
    draft = read("protection_inspection_2013.txt")

    assert (draft.kind, draft.authority) == ("protection_inspection", "Eastmoor")  # on the line below the title
    assert (draft.visit_start, draft.visit_end, draft.letter_date) == (
        date(2013, 4, 15),
        date(2013, 4, 26),
        date(2013, 5, 24),
    )
    assert draft.inspectors == ["Helen Ward", "Robert Ellis", "Joanne Marsh"]
    assert draft.judgements == {
        "Overall effectiveness": "inadequate",
        "The effectiveness of the help and protection provided to children, young people, families and carers": (
            "inadequate"
        ),
        "The quality of practice": "inadequate",
        "Leadership and governance": "requires improvement to be good",
    }
    # Lists under "Immediately:", "Within three months:" and "Within six months:".
    assert draft.required_actions == [
        (
            "ensure that every child at risk of significant harm is seen by a social worker within one working day",
            "immediately",
        ),
        ("ensure that risk is identified and managed in all early help work.", "immediately"),
        ("ensure that an effective quality assurance system is in place.", "within_three_months"),
        ("review the early help offer.", "within_six_months"),
    ]
    assert draft.findings == [
        "12. Early help is not well coordinated, and children wait too long for a service.",
        "13. Child protection enquiries are not always completed within timescales.",
    ]


# --------------------------------------------------------------------------------------------
# Focused visits: how letters name their inspectors and what the visit looked at


FOCUSED = """Ofsted
Piccadilly Gate
Store Street
Manchester
M1 2WD

1 July 2022

Dear Sam

Focused visit to Eastmoor children’s services

This letter summarises the findings of the focused visit to Eastmoor children’s services
on 25 and 26 May 2022. {inspectors}

{scope}

This visit was carried out in line with the inspection of local authority children’s
services (ILACS) framework.

Headline findings

Children are helped quickly.

Main findings

Assessments are thorough.

Yours sincerely

{signer}
Her Majesty’s Inspector
"""


def focused(inspectors="Her Majesty’s Inspectors for this visit were Ann Lee and Bob Roe.", scope="", signer="Ann Lee"):
    return extract_letter(FOCUSED.format(inspectors=inspectors, scope=scope, signer=signer))


@pytest.mark.parametrize(
    ("sentence", "expected", "lead"),
    [
        (
            "Her Majesty’s Inspectors for this visit were Ann Lee, lead inspector, Bob Roe, team inspector and "
            "Cat Doe, who observed the visit.",
            ["Ann Lee", "Bob Roe", "Cat Doe"],
            "Ann Lee",
        ),
        (
            "Her Majesty’s Inspectors (HMI) for this visit were Ann Lee and Bob Roe, with Cat Doe,\nHMI designate.",
            ["Ann Lee", "Bob Roe", "Cat Doe"],
            "Ann Lee",
        ),
        (
            "His Majesty’s Inspectors for this visit were lead inspector Bob Roe and team inspectors Ann Lee "
            "and Cat\nDoe.",
            ["Bob Roe", "Ann Lee", "Cat Doe"],
            "Bob Roe",
        ),
        (
            "The inspectors were Her Majesty’s Inspectors (HMI) Social Care, Ann Lee, Bob Roe and Cat\nDoe, and "
            "Dan Poe, Senior HMI.",
            ["Ann Lee", "Bob Roe", "Cat Doe", "Dan Poe"],
            "Ann Lee",
        ),
        (
            "The inspectors were Ann Lee,\nHer Majesty’s Inspector, and Bob Roe, Senior Her Majesty’s Inspector.",
            ["Ann Lee", "Bob Roe"],
            "Ann Lee",
        ),
        ("Her Majesty’s Inspectors were Bob Roe, Ann\nLee and Cat Doe.", ["Ann Lee", "Bob Roe", "Cat Doe"], "Ann Lee"),
    ],
)
def test_every_inspector_the_letter_names_lead_first(sentence, expected, lead):
    draft = focused(inspectors=sentence)

    assert draft.inspectors[0] == lead
    assert sorted(draft.inspectors) == sorted(expected)
    assert not any(w.startswith("inspectors:") for w in draft.warnings)


def test_a_sentence_about_the_evidence_names_no_inspector():
    scope = "While two inspectors were on site, three inspectors were speaking to managers."

    draft = focused(scope=scope)

    assert draft.inspectors == ["Ann Lee", "Bob Roe"]
    assert not any(w.startswith("inspectors:") for w in draft.warnings)


@pytest.mark.parametrize(
    ("scope", "areas"),
    [
        (
            "Inspectors looked at the local authority’s arrangements for children in care. The visit\nfocused on "
            "matching and placement decision-\nmaking. Inspectors considered a range of evidence, including case "
            "records.",
            [
                "Inspectors looked at the local authority's arrangements for children in care. The visit focused on "
                "matching and placement decision-making."
            ],
        ),
        (
            "Inspectors reviewed the local authority’s arrangements at the ‘front door’. This included the role of "
            "the designated officer.",
            [
                "Inspectors reviewed the local authority's arrangements at the 'front door'. This included the role "
                "of the designated officer."
            ],
        ),
        (
            "Inspectors looked at the local authority’s arrangements for care leavers, with a particular focus "
            "on:\n\n    ◼    Planning.\n    ◼    Accommodation.",
            [
                "Inspectors looked at the local authority's arrangements for care leavers, with a particular focus on:",
                "Planning.",
                "Accommodation.",
            ],
        ),
        ("Inspectors looked at a range of evidence, including case records.", []),
    ],
)
def test_what_the_visit_looked_at_is_its_statement_of_scope_as_written(scope, areas):
    draft = focused(scope=scope)

    assert draft.areas_covered == areas
    assert any(w.startswith("areas covered:") for w in draft.warnings)


def test_priority_actions_are_required_actions_and_the_list_after_them_areas_for_improvement():
    text = FOCUSED.format(inspectors="", scope="", signer="Ann Lee").replace(
        "Main findings",
        "Areas for priority action:\n\nThe local authority needs to act on the following:\n\n"
        "◼ The sufficiency of placements\n\nAreas for improvement:\n\n◼ The quality of assessment work.\n\n"
        "Main findings",
    )

    draft = extract_letter(text)

    assert draft.required_actions == [("The sufficiency of placements", "")]
    assert draft.areas_for_improvement == ["The quality of assessment work."]
    assert draft.findings == ["Assessments are thorough."]


def test_a_joint_targeted_area_inspection_letter_is_other():
    text = """12 February 2024

Dear Eastmoor Safeguarding Partnership

Joint targeted area inspection of London Borough of Eastmoor

This letter summarises the findings of the joint targeted area inspection (JTAI) of the
multi-agency response to serious youth violence in Eastmoor.

This inspection took place from 4 to 8 December 2023. It was carried out by inspectors
from Ofsted, the Care Quality Commission and His Majesty’s Inspectorate of Probation.

Context

The findings in the report evaluate the effectiveness of the multi-agency response to
children at risk of serious youth violence. Even where the report does not refer to this
group, all findings relate to it.

Headline findings

Most children are well protected.

Yours sincerely

Yvette Stanley
National Director Regulation and Social Care, Ofsted

Michelle Skeer OBE QPM
His Majesty’s Inspector of Constabulary
"""

    draft = extract_letter(text)

    assert (draft.kind, draft.authority, draft.recipient_council) == (
        "other",
        "Eastmoor",
        "London Borough of Eastmoor",
    )
    assert (draft.visit_start, draft.visit_end, draft.letter_date) == (
        date(2023, 12, 4),
        date(2023, 12, 8),
        date(2024, 2, 12),
    )
    assert draft.areas_covered == [
        "The findings in the report evaluate the effectiveness of the multi-agency response to children at risk "
        "of serious youth violence."
    ]
    # Signatories of the inspectorates are not the inspection team.
    assert draft.inspectors == []
    assert "kind: a type of inspection this importer does not record; set to 'other'" in draft.warnings
    assert "inspectors: no names found" in draft.warnings


# --------------------------------------------------------------------------------------------
# Page furniture


def test_a_footnote_at_the_foot_of_a_page_and_its_marker_go():
    lines = split_lines(
        "What needs to improve?1\n\nPlans are written to\nchildren in words they understand.\nThey are reviewed.\n"
        "Managers check them.\n\n1\n  Cross-referenced with the national framework.\n\f2 Next page"
    )

    removed = remove_footnotes(lines)

    assert removed == ["1", "Cross-referenced with the national framework."]
    assert lines[0].text == "What needs to improve?"


def test_a_date_at_the_foot_of_a_page_is_no_footnote():
    lines = split_lines("Letter text\nmore text\n\n1 July 2022\nSam Director\n\fNext page")

    assert remove_footnotes(lines) == []


def test_a_running_footer_with_its_page_number_goes_but_a_heading_listed_in_the_contents_stays():
    text = "\n".join(
        ["Contents", "Executive summary   2", "Findings   3", ""]
        + [f"Eastmoor report\n1 to 5 May 2025     {n}\n\fParagraph {n}." for n in range(2, 5)]
        + ["Executive summary", "", "Leaders act."]
    )
    lines = split_lines(text)

    removed = remove_furniture(lines, [], protect=lambda lines, i: lines[i].text == "Executive summary")

    assert removed.count("Eastmoor report") == 3 and "1 to 5 May 2025 3" in removed
    assert "Executive summary" in [line.text for line in lines]


# --------------------------------------------------------------------------------------------
# Refused


def test_a_council_report_about_an_ofsted_inspection_is_refused():
    text = (
        "Report to the Children's Scrutiny Committee\n\nOfsted inspection of children's services\n\n"
        "Recommendations\n\nThat the committee notes the report.\n\nBackground\n\n"
        "Ofsted inspectors visited in March and judged services to require improvement.\n"
    )

    with pytest.raises(NotALetterError, match="The pasted text does not look like an Ofsted letter or report"):
        extract_letter(text, source="The pasted text")


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("18 to 29 July 2022", date(2022, 7, 18), date(2022, 7, 29)),
        ("8 July 2019 to 12 July 2019 and 7 August 2019 to\n8 August 2019", date(2019, 7, 8), date(2019, 8, 8)),
        ("4 to 8 March and 18 to 22 March 2024", date(2024, 3, 4), date(2024, 3, 22)),
        ("30 December to 3 January and 10 to 14 January 2025", date(2024, 12, 30), date(2025, 1, 14)),
        ("14 January 2014 – 5 February 2014", date(2014, 1, 14), date(2014, 2, 5)),
    ],
)
def test_a_reports_fieldwork_in_one_or_two_periods(written, start, end):
    text = (
        "Inspection of Eastmoor local authority children’s services\n"
        f"Inspection dates: {written}\n\nLead inspector: Ann Lee\n\nWhat needs to improve?\n\n◼ Supervision.\n"
    )

    draft = extract_letter(text)

    assert (draft.visit_start, draft.visit_end) == (start, end)
    assert draft.letter_date is None  # the last line of the dates is no letter date
    assert not any(w.startswith("visit dates:") for w in draft.warnings)


def test_an_older_joint_targeted_area_inspection_title_names_the_area_at_its_end():
    text = (
        "12 February 2019\n\nDear Partners\n\n"
        "Joint targeted area inspection of the multi-agency response to abuse and neglect in Westvale\n\n"
        "This letter summarises the findings of the joint targeted area inspection (JTAI) of the multi-agency\n"
        "response to abuse and neglect in Westvale. Inspectors from Ofsted and the Care Quality Commission\n"
        "took part.\n\nHeadline findings\n\nChildren are protected.\n"
    )

    draft = extract_letter(text)

    assert (draft.kind, draft.authority) == ("other", "Westvale")


@pytest.mark.parametrize("bullet", ["\uf06e", "\uf02d", "\u25fc", "\u2212", "\u2022"])
def test_the_bullets_pdfs_print_are_never_part_of_an_item(bullet):
    text = FOCUSED.format(inspectors="", scope="", signer="Ann Lee").replace(
        "Main findings",
        f"What needs to improve in this area of social work practice\n\n{bullet} the existing audit\n"
        f"  methodology, to focus on impact\n\n{bullet} initial front door decision-making\n\nMain findings",
    )

    draft = extract_letter(text)

    assert draft.areas_for_improvement == [
        "the existing audit methodology, to focus on impact",
        "initial front door decision-making",
    ]
