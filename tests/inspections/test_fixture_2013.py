"""The September 2013 Safeguarding Children Task Group interim report, as transcribed into a fixture.

Facts are checked by value against the source (seeds/004): a wrong transcription fails here.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from improvement.models import ComparatorValue, ImprovementPlan, Measure, MeasureValue, Qualifier
from inspections.models import DatePrecision, Finding, Inspection, Intervention, Timescale
from scrutiny.models import Commitment, Committee, Membership, Recommendation, ScrutinyFinding, Witness

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "2013-09-safeguarding-children-task-group-interim-report.json"
TASK_GROUP = "Safeguarding Children Task Group"
REPORT = "2013-09-safeguarding-children-task-group-interim-report"


@pytest.fixture
def loaded(db):
    call_command("loaddata", str(FIXTURE), verbosity=0)


@pytest.fixture
def inspection(loaded):
    return Inspection.objects.get_by_natural_key("Devon", "protection_inspection", "2013-04-01")


def row_counts():
    """Rows in every table of the three apps, history and many-to-many tables included."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in {"inspections", "improvement", "scrutiny"}:
            counts[model._meta.label] = model._base_manager.count()
    return counts


def test_the_inspection_was_judged_inadequate(inspection):
    assert inspection.visit_start == date(2013, 4, 1)
    assert inspection.visit_date_precision == "month"
    assert inspection.visit_end is None
    assert inspection.letter_date is None
    assert inspection.judgements.get(name="Overall effectiveness").grade == "inadequate"
    assert inspection.report.title == (
        "Inspection of local authority arrangements for the protection of children – Devon County Council"
    )


def test_required_actions_are_verbatim_with_their_timescales(inspection):
    actions = inspection.findings.filter(kind=Finding.Kind.REQUIRED_ACTION).order_by("number")
    assert [a.timescale for a in actions] == [Timescale.IMMEDIATELY] * 4 + [Timescale.WITHIN_THREE_MONTHS] * 2 + [
        Timescale.WITHIN_SIX_MONTHS
    ]
    assert actions.get(number=7).text == (
        "ensure that the early help offer is reviewed, evaluated and an action plan to address areas of weakness "
        "is put in place."
    )
    assert actions.get(number=1).text == (
        "ensure that effective risk assessment and analysis informs decision making and management oversight is "
        "fully in place for all child protection work"
    )
    assert actions.get(number=1).source.reference == "2013-09-safeguarding-children-task-group-interim-report"


def test_quoted_findings_carry_their_paragraph_numbers(inspection):
    paragraphs = set(inspection.findings.exclude(paragraph="").values_list("paragraph", flat=True))
    assert paragraphs == {"13", "50", "51", "14", "16", "29", "18", "57", "58", "54", "41", "21", "20"}
    recruitment = inspection.findings.get(paragraph="57")
    assert recruitment.kind == Finding.Kind.STRENGTH
    assert recruitment.text == (
        "There is a coherent recruitment and retention strategy in place which includes a number of incentives for "
        "new starters. The council has implemented a strategy to address the reliance on agency staff in some area "
        "teams. This has resulted in a more stable and consistent workforce with reducing numbers of agency staff."
    )
    assert (
        inspection.findings.get(paragraph="20").text
        == "...in the absence of a strategy the delivery of early help is inconsistent"
    )


def test_recommendations_are_verbatim_and_linked(loaded):
    recommendations = Recommendation.objects.filter(committee__name=TASK_GROUP).order_by("number")
    assert list(recommendations.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    fifth = recommendations.get(number=5)
    assert fifth.text == (
        "That a business plan for the Multi Agency Safeguarding Hub (MASH) be developed with multi-agency partners "
        "which includes a GP presence within the MASH."
    )
    assert fifth.made_on == date(2013, 9, 1)
    assert fifth.made_on_precision == "month"
    assert fifth.addressed_to == "People's Scrutiny Committee"
    # The report does not say how they were received: no status ("made, awaiting response").
    assert set(recommendations.values_list("status", flat=True)) == {""}
    assert list(fifth.findings.values_list("paragraph", flat=True)) == ["14"]


def test_witnesses_are_listed_as_written(loaded):
    witnesses = Witness.objects.filter(committee__name=TASK_GROUP).order_by("number")
    assert witnesses.count() == 23
    pearson = witnesses.get(number=9)
    assert pearson.name_as_written == "Dr Virginia Pearson"
    assert pearson.position == "Director of Public Health"
    assert pearson.person.name == "Virginia Pearson"
    staff = witnesses.get(number=6)
    assert (staff.name_as_written, staff.person) == ("12 Staff", None)


def test_child_protection_vacancies_as_at_24_july_2013(loaded):
    value = MeasureValue.objects.get(measure__reference="dcc-2013-child-protection-social-work-vacancies")
    assert value.value == Decimal("12")
    assert value.period_end == date(2013, 7, 24)
    assert value.period_label == "As at 24 July 2013"
    agency = MeasureValue.objects.get(measure__reference="dcc-2013-child-protection-agency-staff")
    assert (agency.value, agency.period_end) == (Decimal("24"), date(2013, 7, 24))


def test_improvement_notice(inspection):
    notice = Intervention.objects.get(authority__short_name="Devon", kind="improvement_notice")
    assert notice.date == date(2013, 9, 13)
    assert notice.issued_by.name == "Edward Timpson"
    assert notice.issued_by.job_title == "Parliamentary Under-Secretary of State for Children and Families"
    assert notice.duration == "12 months"
    assert notice.follows == inspection


def test_task_group_members_and_chair(loaded):
    task_group = Committee.objects.get(name=TASK_GROUP)
    assert task_group.parent.name == "People's Scrutiny Committee"
    assert task_group.established_on == date(2013, 6, 18)
    chair = Membership.objects.get(committee=task_group, role=Membership.Role.CHAIR)
    assert chair.person.name == "Sara Randall Johnson"
    assert set(task_group.members.values_list("name", flat=True)) == {
        "Sara Randall Johnson",
        "Frank Biederman",
        "Christine Channon",
        "Alistair Dewhirst",
        "Rob Hannaford",
        "Philip Sanders",
    }


def test_action_plan_funding_and_work_streams(inspection):
    plan = ImprovementPlan.objects.get(reference="2013-ofsted-action-plan")
    assert plan.funding == Decimal("1450000")
    assert plan.funding_period == "2013/14"
    assert plan.signed_off_on == date(2013, 9, 13)
    assert plan.independent_chair is None
    assert list(plan.responds_to.all()) == [inspection]
    leads = {p.title: p.lead.name for p in plan.priorities.all()}
    assert leads == {
        "Quality Assurance": "David Taylor",
        "Quality of Practice": "Rory McCallum",
        "Early Help": "Virginia Pearson",
    }


def test_table_4_regional_comparators(loaded):
    london_good = ComparatorValue.objects.get(
        measure__reference="dcc-2013-child-protection-inspections-judged-good", group__name="London"
    )
    assert london_good.value == Decimal("2")
    assert (london_good.period_start, london_good.period_end) == (date(2012, 6, 1), date(2013, 5, 30))
    assert ComparatorValue.objects.filter(group__name="South West", value__gt=0).count() == 2
    devon = MeasureValue.objects.get(measure__reference="dcc-2013-child-protection-inspections-judged-inadequate")
    assert devon.value == Decimal("1")


def test_qualified_figures_keep_their_qualifier(loaded):
    def value(reference):
        return MeasureValue.objects.get(measure__reference=reference)

    # "The number of assessments have now reduced to about 200 per week."
    per_week = value("dcc-2013-assessments-per-week")
    assert (per_week.qualifier, per_week.value) == (Qualifier.APPROXIMATELY, Decimal("200"))
    # "The system accessibility to CareFirst is over 99.6% over the last 12 months"
    carefirst = value("dcc-2013-carefirst-system-accessibility")
    assert (carefirst.qualifier, carefirst.value) == (Qualifier.MORE_THAN, Decimal("99.6"))
    assert carefirst.measure.target == Decimal("99.5")
    # "There are about 1000 families identified under the Troubled Families program"
    families = value("dcc-2013-troubled-families-identified")
    assert (families.qualifier, families.value) == (Qualifier.APPROXIMATELY, Decimal("1000"))
    # Exact in the source, so unqualified: "working with 300 of these", "from 450 to 1000 initial
    # assessments per month" (no "about" there), "12 social work vacancies".
    assert value("dcc-2013-troubled-families-worked-with").qualifier == ""
    assert value("dcc-2013-initial-assessments-per-month").qualifier == ""
    assert value("dcc-2013-child-protection-social-work-vacancies").qualifier == ""
    qualified = MeasureValue.objects.exclude(qualifier="").values_list("measure__reference", flat=True)
    assert sorted(qualified) == [
        "dcc-2013-assessments-per-week",
        "dcc-2013-carefirst-system-accessibility",
        "dcc-2013-troubled-families-identified",
    ]


UNDATED = {
    # reference: the period as shown; the report gives no date, so the value is dated by it.
    "dcc-2013-assessments-per-week": "As reported in September 2013",
    "dcc-2013-initial-assessments-per-month": "As reported in September 2013",
    "dcc-2013-qualified-childrens-social-worker-population-increase": (
        "Over the past 5 years, as reported in September 2013"
    ),
    "dcc-2013-social-work-vacancy-rate": "As reported in September 2013",
    "dcc-2013-carefirst-system-accessibility": "Over the last 12 months, as reported in September 2013",
    "dcc-2013-troubled-families-identified": "As reported in September 2013",
    "dcc-2013-troubled-families-worked-with": "As reported in September 2013",
}


def test_undated_figures_are_dated_by_the_report_and_say_so(loaded):
    undated = MeasureValue.objects.filter(dated_by_report=True).select_related("measure")
    assert {value.measure.reference: value.period_display for value in undated} == UNDATED
    assert {(value.period_end, value.period_precision) for value in undated} == {(date(2013, 9, 1), "month")}
    # Figures the report dates keep their own period and precision.
    april, june = MeasureValue.objects.filter(measure__reference="dcc-2013-assessments-per-month").order_by(
        "period_end"
    )
    assert (april.period_display, april.dated_by_report) == ("April 2013", False)
    assert (june.period_display, june.period_precision, june.dated_by_report) == ("By June 2013", "month", False)
    vacancies = MeasureValue.objects.get(measure__reference="dcc-2013-child-protection-social-work-vacancies")
    assert (vacancies.period_display, vacancies.dated_by_report) == ("As at 24 July 2013", False)


def test_measures_carry_no_setting_the_report_does_not_state(loaded):
    measures = Measure.objects.filter(reference__startswith="dcc-2013-")
    assert measures.count() == 14
    assert set(measures.values_list("polarity", flat=True)) == {""}
    assert set(measures.values_list("data_period", flat=True)) == {""}
    # The one it states: vacancy rates "have been reported annually".
    assert dict(measures.exclude(frequency="").values_list("reference", "frequency")) == {
        "dcc-2013-social-work-vacancy-rate": "annually"
    }


def test_the_task_groups_own_findings_sit_with_its_recommendations(loaded, inspection):
    findings = ScrutinyFinding.objects.filter(committee__name=TASK_GROUP, source__reference=REPORT)
    assert findings.count() == 21
    # The Summary, paragraph by paragraph...
    summary = findings.filter(section="Summary").order_by("number")
    assert list(summary.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    assert summary[5].text.startswith(
        "The Task Group are disappointed that the Ofsted Action Plan has not been used as a document to evidence "
        "adequately the initial progress to improve."
    )
    assert summary[5].text.endswith(
        "However if the recommendations of the Stabilising the Social Work Workforce HR report are acted upon "
        "swiftly this should lead to improvements."
    )
    assert not any(finding.findings.exists() for finding in summary)
    # ...then each view the Task Group states in a section, linked to the Ofsted finding quoted there.
    unconvinced = findings.get(number=18)
    assert (unconvinced.section, unconvinced.text) == (
        "Social Care Recruitment",
        "Contrary to Ofsted's findings the Task Group was unconvinced there was currently an effective recruitment "
        "and retention strategy in place for children's social care staff.",
    )
    assert [f.natural_key() for f in unconvinced.findings.all()] == [inspection.natural_key() + ("strength", 1)]
    voice = findings.get(number=8)
    assert voice.section == "The Voice of the Child"
    assert voice.text.startswith("The Task Group also found in discussion with young people")
    assert list(voice.findings.values_list("text", flat=True)) == [
        "children and young people's views are not being consistently taken into account to inform assessments "
        "and planning"
    ]
    assert list(findings.filter(section="Management Structure").values_list("number", flat=True)) == [9, 10, 11, 12]


def test_commitments_with_their_dates(loaded):
    commitments = Commitment.objects.filter(committee__name=TASK_GROUP, source__reference=REPORT).order_by("number")
    assert commitments.count() == 3
    dscb, it_review, early_help = commitments
    assert dscb.text == (
        "David Taylor is now responsible for restructuring the DSCB having been appointed its new Chair in August 2013."
    )
    assert (dscb.owner.name, dscb.due_on) == ("David Taylor", None)
    assert it_review.text.endswith("a review has been commissioned with a report due at the end of September 2013.")
    assert (it_review.due_on, it_review.due_on_precision) == (date(2013, 9, 1), DatePrecision.MONTH)
    assert it_review.due_display == "at the end of September 2013"
    assert early_help.text == "The Early Help Strategy will be approved by the DSCB in September 2013."
    assert (early_help.owner_role, early_help.due_on, early_help.due_on_precision) == (
        "DSCB",
        date(2013, 9, 1),
        DatePrecision.MONTH,
    )
    assert early_help.due_display == "September 2013"
    # The appointment itself, on the membership, to the month the report gives.
    chair = Membership.objects.get(committee__short_name="DSCB", role=Membership.Role.CHAIR)
    assert (chair.person.name, chair.start, chair.start_precision) == ("David Taylor", date(2013, 8, 1), "month")
    assert chair.start_display == "August 2013"


def test_loading_twice_changes_nothing(loaded):
    before = row_counts()
    call_command("loaddata", str(FIXTURE), verbosity=0)
    assert row_counts() == before
