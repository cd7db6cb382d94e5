"""Monitoring visit letters, the letters an inadequate authority receives most: other
authorities, the first to the eighth visit, older and newer wordings, letters without a date
line, and partial texts. No real monitoring visit letter but Devon's could be found, so these
are hand-made on the pattern of Ofsted's letters (issue 24)."""

from datetime import date

import pytest

from inspections.letter_import import NotALetterError, extract_letter

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]

LETTERHEAD = """Ofsted
Piccadilly Gate              T 0300 123 1231
Store Street                 Textphone 0161 618 8524
Manchester                   enquiries@ofsted.gov.uk
M1 2WD                       www.gov.uk/ofsted

"""


def monitoring_letter(
    *,
    authority="Birchford",
    council="Birchford City Council",
    title="Monitoring visit to Birchford children’s services",
    ordinal="third",
    dates="on 5 and 6 March 2024",
    date_line="11 April 2024",
    inspectors="His Majesty’s Inspectors for this visit were Joanne Ellis and\nMark Okafor.",
    areas="Areas covered by the visit\n\nInspectors reviewed the progress made in the following areas:\n\n"
    "◼ The quality of assessments.\n\n◼ Management oversight.\n",
    findings_heading="Findings and evaluation of progress",
):
    return f"""{LETTERHEAD}{date_line}

Sam Director
Director of Children’s Services
{council}
Town Hall
Birchford
BF1 1AA

Dear Sam

{title}

This letter summarises the findings of the {ordinal} monitoring visit to {authority} children’s
services {dates}. This was the {ordinal} monitoring visit since the local authority was judged
inadequate in May 2022. {inspectors}

{areas}
This visit was carried out in line with the inspection of local authority children’s
services (ILACS) framework.

Headline findings

Leaders have made steady progress since the last visit.

{findings_heading}

Referrals are dealt with promptly and decisions are recorded.
                                                                                       2
\fManagers check the quality of assessments every month.

I am copying this letter to the Department for Education.

Yours sincerely

Joanne Ellis
His Majesty’s Inspector
"""


@pytest.mark.parametrize("ordinal", ORDINALS)
def test_the_first_to_the_eighth_visit(ordinal):
    title = f"{ordinal.capitalize()} monitoring visit to Birchford children’s services"

    draft = extract_letter(monitoring_letter(title=title, ordinal=ordinal))

    assert (draft.kind, draft.authority, draft.recipient_council) == (
        "monitoring_visit",
        "Birchford",
        "Birchford City Council",
    )
    assert (draft.visit_start, draft.visit_end, draft.letter_date) == (
        date(2024, 3, 5),
        date(2024, 3, 6),
        date(2024, 4, 11),
    )
    assert draft.inspectors == ["Joanne Ellis", "Mark Okafor"]
    assert draft.areas_covered == ["The quality of assessments.", "Management oversight."]
    assert draft.headline_findings == ["Leaders have made steady progress since the last visit."]
    # The page number and form feed between the two paragraphs are gone.
    assert draft.findings == [
        "Referrals are dealt with promptly and decisions are recorded.",
        "Managers check the quality of assessments every month.",
    ]
    assert draft.warnings == []


@pytest.mark.parametrize(
    ("authority", "council", "title", "expected"),
    [
        (
            "the Royal Borough of Kensington and Chelsea",
            "Town Hall",
            "Monitoring visit to the Royal Borough of Kensington and Chelsea children’s services",
            ("Kensington and Chelsea", "Royal Borough of Kensington and Chelsea"),
        ),
        (
            "Kingston upon Thames",
            "Royal Borough of Kingston upon Thames",
            "Monitoring visit of Kingston upon Thames local authority children’s services",
            ("Kingston upon Thames", "Royal Borough of Kingston upon Thames"),
        ),
        (
            "St Helens",
            "St Helens Borough Council",
            "Monitoring visit to St Helens children’s services",
            ("St Helens", "St Helens Borough Council"),
        ),
    ],
)
def test_other_authorities_and_how_they_are_named(authority, council, title, expected):
    draft = extract_letter(monitoring_letter(authority=authority, council=council, title=title))

    assert (draft.authority, draft.recipient_council) == expected
    assert draft.kind == "monitoring_visit"


def test_a_letter_of_the_single_inspection_framework_years():
    # 2016-2017: "Monitoring visit of ...", inspectors named with their titles, the areas in
    # prose under the heading, "Evaluation of progress".
    text = monitoring_letter(
        title="Monitoring visit of Birchford local authority children’s services",
        ordinal="fifth",
        dates="on 21 and 22 February 2017",
        date_line="17 March 2017",
        inspectors="The inspectors were Ann Lee, Her Majesty’s Inspector (HMI), and Bob Roe, HMI.",
        areas="Areas covered by the visit\n\nDuring the course of this visit, inspectors reviewed the progress "
        "made in the quality\nof help for children in need.\n",
        findings_heading="Evaluation of progress",
    ).replace("Joanne Ellis\nHis Majesty’s Inspector", "Ann Lee\nHer Majesty’s Inspector")

    draft = extract_letter(text)

    assert (draft.visit_start, draft.letter_date) == (date(2017, 2, 21), date(2017, 3, 17))
    assert draft.inspectors == ["Ann Lee", "Bob Roe"]
    assert draft.inspector_roles == {"Ann Lee": "Her Majesty's Inspector", "Bob Roe": "HMI"}
    assert draft.areas_covered == [
        "During the course of this visit, inspectors reviewed the progress made in the quality of help for "
        "children in need."
    ]
    assert any(w.startswith("areas covered:") for w in draft.warnings)
    assert len(draft.findings) == 2


def test_the_visit_carried_out_by():
    draft = extract_letter(
        monitoring_letter(
            inspectors="The visit was carried out by His Majesty’s Inspectors Joanne Ellis and Mark Okafor."
        )
    )

    assert draft.inspectors == ["Joanne Ellis", "Mark Okafor"]


def test_a_letter_without_a_date_line():
    draft = extract_letter(monitoring_letter(date_line=""))

    assert draft.letter_date is None
    assert "letter date: not found (left empty)" in draft.warnings
    assert (draft.visit_start, draft.visit_end) == (date(2024, 3, 5), date(2024, 3, 6))


def test_a_letter_without_a_date_line_or_the_visits_year():
    draft = extract_letter(monitoring_letter(date_line="", dates="on 5 and 6 March"))

    assert draft.visit_start is None and draft.letter_date is None
    assert any(w.startswith("visit dates:") and "no year" in w for w in draft.warnings)


def test_a_partial_text_from_the_subject_line_to_the_middle_of_the_findings():
    text = monitoring_letter(ordinal="eighth")
    partial = text[text.index("Monitoring visit to") : text.index("Managers check")]

    draft = extract_letter(partial)

    assert (draft.kind, draft.authority, draft.visit_start) == ("monitoring_visit", "Birchford", date(2024, 3, 5))
    assert draft.inspectors == ["Joanne Ellis", "Mark Okafor"]  # from the opening: the signature is missing
    assert draft.findings == ["Referrals are dealt with promptly and decisions are recorded."]
    assert "letter date: not found (left empty)" in draft.warnings


def test_a_partial_text_of_the_opening_sentence_and_findings():
    text = monitoring_letter()
    partial = text[text.index("This letter summarises") : text.index("I am copying")]

    draft = extract_letter(partial)

    assert (draft.kind, draft.authority) == ("monitoring_visit", "Birchford")
    assert draft.title == ""
    assert len(draft.findings) == 2


def test_a_partial_text_that_says_whose_visit_it_was_nowhere_is_refused():
    text = monitoring_letter()
    partial = text[text.index("Headline findings") : text.index("I am copying")]

    with pytest.raises(NotALetterError, match="no subject line or title .* opening sentence or salutation"):
        extract_letter(partial, source="The pasted text")
