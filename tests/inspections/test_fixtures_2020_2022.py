"""The fixtures transcribed from Devon's 2020-2022 papers load, say what the papers say, and
load again without duplicating anything.

Four files, loaded in filename order in one call: the 2020 report "Post Ofsted improvements
to children's services" (undated, so held to the year), the Children's Standing Overview Group
report of 21 February 2022, Ofsted's monitoring visit letter of 9 March 2022, and the Children's
Scrutiny Committee agenda for 6 April 2022.
"""

from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from improvement.models import (
    ImprovementPlan,
    Measure,
    MeasureValue,
    PlanPhase,
    Priority,
    ProgressUpdate,
    Qualifier,
    Rating,
)
from inspections.loading import FixtureFile, load_fixtures
from inspections.models import Finding, FindingFollowUp, Inspection, Intervention, Judgement, Person, VisitArea
from scrutiny.models import AgendaItem, Attendance, Committee, Meeting, Membership, Recommendation, ScrutinyAction
from tests.constraints import errors_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FILES = [
    FIXTURES / "2020-post-ofsted-improvements-report.json",
    FIXTURES / "2022-02-21-childrens-standing-overview-group-report.json",
    FIXTURES / "2022-03-09-ofsted-monitoring-visit-letter.json",
    FIXTURES / "2022-04-06-childrens-scrutiny-committee-agenda.json",
]

ILACS = ("Devon", "ilacs_inspection", "2020-01-01")
FIRST_VISIT = ("Devon", "monitoring_visit", "2020-09-22")
SECOND_VISIT = ("Devon", "monitoring_visit", "2022-02-02")
FOCUSED_VISIT = ("Devon", "focused_visit", "2021-05-01")
CSOG = "Children's Standing Overview Group"


def load():
    call_command("loaddata", *[str(path) for path in FILES], verbosity=0)


def row_counts():
    labels = ("inspections", "improvement", "scrutiny")
    return {
        model._meta.label: model._base_manager.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture
def loaded(db):
    load()


# --- 2020: "Post Ofsted improvements to children's services" ---------------------------------


@pytest.mark.django_db
def test_ilacs_inspection_judged_inadequate(loaded):
    ilacs = Inspection.objects.get_by_natural_key(*ILACS)
    assert ilacs.visit_date_precision == "month"
    assert ilacs.visit_dates_display == "January 2020"
    # "judged to be inadequate": the report names no judgement, so none is named here.
    judgement = Judgement.objects.get(inspection=ilacs)
    assert (judgement.name, judgement.grade) == ("", "inadequate")
    assert not Judgement.objects.filter(inspection=ilacs, name=Judgement.OVERALL).exists()
    assert Inspection.objects.with_overall_judgement().get(pk=ilacs.pk).overall_grade == "inadequate"
    assert ilacs.summary.startswith("In January 2020 Devon County Council's Children's Services were judged")


@pytest.mark.django_db
def test_eight_areas_for_improvement_in_the_reports_order(loaded):
    areas = Finding.objects.filter(inspection__kind="ilacs_inspection", kind="area_for_improvement").order_by("number")
    assert areas.count() == 8
    assert areas[0].text == "Services to care leavers"
    assert areas[1].text == (
        "The quality of social work practice, to assess, support and protect children who experience neglect, "
        "and the effective use of pre-proceedings"
    )
    assert areas[7].text == (
        "Strategic oversight and grip on areas for improvement and oversight of senior leaders, including case "
        "audits and supervision"
    )
    assert all(area.source.reference == "2020-post-ofsted-improvements-report" for area in areas)
    assert list(areas[0].themes.values_list("slug", flat=True)) == ["care-leavers"]


@pytest.mark.django_db
def test_ilacs_concern_about_care_leavers_in_tents(loaded):
    concern = Finding.objects.get_by_natural_key(*ILACS, "concern", 2)
    assert concern.text == (
        "They were unaware that a very small minority of their care leavers were or had been living in tents on "
        "the streets. These were not judged to be isolated incidents."
    )
    assert concern.paragraph == "2.1"


@pytest.mark.django_db
def test_first_monitoring_visit_dates_and_follow_ups(loaded):
    visit = Inspection.objects.get_by_natural_key(*FIRST_VISIT)
    assert (visit.visit_start, visit.visit_end) == (date(2020, 9, 22), date(2020, 9, 23))
    assert visit.letter_date is None
    assert visit.monitoring_visit_number == 1  # "Devon received its first Monitoring Visit"
    health = Finding.objects.get(inspection=visit, paragraph="3.7")
    follow_up = FindingFollowUp.objects.get(finding=health)
    assert follow_up.earlier.text == "Services to care leavers"
    assert follow_up.progress == ""  # the report never says which of Ofsted's categories applies
    assert FindingFollowUp.objects.filter(finding__inspection=visit).count() == 6


@pytest.mark.django_db
def test_2020_plan_phases_and_priorities(loaded):
    plan = ImprovementPlan.objects.get(reference="2020-improvement-plan")
    assert plan.independent_chair.name == "Nigel Richardson"
    assert list(plan.responds_to.all()) == [Inspection.objects.get_by_natural_key(*ILACS)]
    # The report names each phase by its months, with no year, and not when the plan began: the
    # months stay in the phases' titles, as written, and no date is inferred.
    assert plan.period_start is None
    phases = PlanPhase.objects.filter(plan=plan).order_by("number")
    assert [(p.title, p.start, p.end, p.governance_body) for p in phases] == [
        ("Phase 1 (April – July)", None, None, "Devon Children and Families Partnership Executive"),
        ("Phase 2 (July – November)", None, None, "Improvement Partnership"),
        ("Next phase (December to March)", None, None, ""),
    ]
    priorities = Priority.objects.filter(plan=plan).with_current_rating()
    assert priorities.count() == 8
    assert {p.current_rating for p in priorities} == {None}  # the report gives no RAG ratings
    assert ProgressUpdate.objects.filter(priority__plan=plan, rating__isnull=False).count() == 0
    partnership = Committee.objects.get(name="Improvement Partnership")
    assert partnership.memberships.get(role="independent_chair").person.name == "Nigel Richardson"
    assert plan in partnership.plans.all()


@pytest.mark.django_db
def test_commissioner(loaded):
    intervention = Intervention.objects.get(kind="commissioner")
    assert intervention.commissioner.name == "Eleanor Brazil"
    assert "is with the Minister, Vicky Ford" in intervention.description


@pytest.mark.django_db
def test_2020_quality_assurance_figures(loaded):
    values = {
        value.measure.reference: value
        for value in MeasureValue.objects.filter(measure__reference__startswith="dcc-2020-").select_related("measure")
    }
    assert values["dcc-2020-practice-evaluations-completed"].value == Decimal("125")
    assert values["dcc-2020-practice-evaluations-judged-good"].value == Decimal("21")
    assert values["dcc-2020-practice-evaluations-judged-requires-improvement"].value == Decimal("67")
    assert values["dcc-2020-practice-evaluations-judged-inadequate"].value == Decimal("11")
    assert values["dcc-2020-practice-evaluations-downgraded-at-moderation"].value == Decimal("17")
    # "In one quarter" (which quarter is not given), in a report dated only to 2020: the values
    # are dated by the report and read as such, never as the whole of 2020.
    for value in values.values():
        assert (value.period_end, value.period_precision, value.dated_by_report) == (date(2020, 1, 1), "year", True)
    good = values["dcc-2020-practice-evaluations-judged-good"]
    assert good.period_display == "In one quarter, as reported in 2020"
    downgraded = values["dcc-2020-practice-evaluations-downgraded-at-moderation"]
    assert downgraded.period_display == "Since July, as reported in 2020"
    measures = Measure.objects.filter(reference__startswith="dcc-2020-")
    assert set(measures.values_list("polarity", "frequency", "data_period")) == {("", "", "")}


# --- 21 February 2022: Children's Standing Overview Group --------------------------------------


@pytest.mark.django_db
def test_csog_meeting_time_and_attendance(loaded):
    meeting = Meeting.objects.get(committee__name=CSOG, date=date(2022, 2, 21))
    assert (meeting.start_time, meeting.end_time) == (time(14, 0), time(15, 46))
    assert meeting.committee.parent.name == "Children's Scrutiny Committee"
    assert meeting.attendances.count() == 19
    chair = Attendance.objects.get(meeting=meeting, person__name="Rob Hannaford")
    assert (chair.capacity, chair.role_at_meeting) == ("member", "Chair")
    lead = Attendance.objects.get(meeting=meeting, person__name="Nigel Denning")
    assert (lead.capacity, lead.role_at_meeting) == ("officer", "Improvement Lead")
    assert Person.objects.get(name="Christina Mabin").title == "Mrs"


@pytest.mark.django_db
def test_csog_attendees_are_not_made_members(loaded):
    # The report lists the Committee's members; the cabinet member, adviser and scrutiny officer
    # only attend.
    assert not Membership.objects.filter(committee__name=CSOG).exists()
    meeting = Meeting.objects.get(committee__name=CSOG, date=date(2022, 2, 21))
    for name, capacity in [
        ("Andrew Leadbetter", "cabinet_member"),
        ("Kevin Crompton", "adviser"),
        ("Charlie Fisher", "scrutiny_officer"),
    ]:
        assert meeting.attendances.get(person__name=name).capacity == capacity
        assert not Membership.objects.filter(person__name=name).exists()
    committee = Committee.objects.get(name="Children's Scrutiny Committee")
    assert committee.memberships.count() == 10
    assert committee.memberships.get(role="chair").person.name == "Rob Hannaford"


@pytest.mark.django_db
def test_green_priority_and_its_current_rating(loaded):
    priorities = Priority.objects.filter(plan__reference="ofsted-improvement-plan").with_current_rating()
    green = priorities.get(current_rating="green")
    assert green.title == "Voice and influence of children, young people and families"
    assert green.rated_on == date(2022, 2, 21)
    amber = priorities.filter(current_rating="amber")
    assert amber.count() == 3
    assert {p.title for p in amber} == {""}  # the record does not name them
    assert {p.number for p in priorities} == {None}


@pytest.mark.django_db
def test_icpc_measure_latest_value(loaded):
    icpc = Measure.objects.with_latest_values().get(reference="dcc-icpc-within-15-days-of-section-47")
    assert icpc.latest_value == Decimal("60")
    assert icpc.latest_period_end == date(2022, 2, 21)
    assert icpc.latest_period_display == "As reported on 21 February 2022"
    assert icpc.target is None
    assert icpc.current_rating is None  # no target given, so the tracker works out no RAG
    value = icpc.values.get()
    assert "performance has dipped and not recovered" in value.note
    # "...this could potentially mean we move from a RAG rating of Green to Amber or Red."
    assert (value.reported_rating, value.reported_rating_risk) == (Rating.GREEN, "Amber or Red")
    assert MeasureValue.objects.exclude(reported_rating="").count() == 1


@pytest.mark.django_db
def test_csog_figures_are_dated_by_the_report_with_their_qualifiers(loaded):
    values = MeasureValue.objects.filter(source__reference="2022-02-21-childrens-standing-overview-group-report")
    assert values.count() == 7
    for value in values:
        assert (value.period_end, value.period_precision, value.period_label, value.dated_by_report) == (
            date(2022, 2, 21),
            "day",
            "",
            True,
        )
        assert value.period_display == "As reported on 21 February 2022"
    # "(+23)": an increase, not a count of 23.
    assert dict(values.exclude(qualifier="").values_list("measure__reference", "qualifier")) == {
        "dcc-newly-qualified-social-workers-appointed": Qualifier.INCREASE,
        "dcc-family-practitioners-appointed": Qualifier.INCREASE,
    }
    assert values.get(measure__reference="dcc-family-practitioners-appointed").value == Decimal("23")
    assert values.get(measure__reference="dcc-retention-payments-taken-up").value == Decimal("168")
    measures = Measure.objects.filter(values__in=values)
    assert set(measures.values_list("polarity", "frequency", "data_period")) == {("", "", "")}


@pytest.mark.django_db
def test_the_discussion_points_to_the_visit_whose_feedback_it_heard(loaded):
    item = AgendaItem.objects.get(meeting__committee__name=CSOG, meeting__date=date(2022, 2, 21), number=1)
    assert "feedback given to the Council after the recent Ofsted Monitoring Visit" in item.description
    assert item.inspection.natural_key() == SECOND_VISIT
    assert (item.inspection.visit_start, item.inspection.visit_end) == (date(2022, 2, 2), date(2022, 2, 3))


@pytest.mark.django_db
def test_csog_scrutiny_actions(loaded):
    meeting = Meeting.objects.get(committee__name=CSOG, date=date(2022, 2, 21))
    actions = ScrutinyAction.objects.filter(meeting=meeting).order_by("number")
    assert actions.count() == 5
    first = actions[0]
    assert first.text == "Scrutiny Officer to circulate Ofsted Monitoring Visit letter to Members once it is published."
    # The minutes name the role, not the person (Charlie Fisher attended as Scrutiny Officer).
    assert (first.owner, first.owner_role) == (None, "Scrutiny Officer")
    recommendation = actions[4]
    assert recommendation.owner_role == "The Committee"
    assert recommendation.due_date == date(2022, 3, 15)
    assert meeting.discussion_points.count() == 15
    # No source gives their status or the response to the recommendation.
    csog_recommendation = Recommendation.objects.get(committee__name=CSOG)
    assert (csog_recommendation.status, csog_recommendation.response) == ("", "")


# --- 9 March 2022: Ofsted's monitoring visit letter ---------------------------------------------


@pytest.mark.django_db
def test_second_monitoring_visit_letter(loaded):
    visit = Inspection.objects.get_by_natural_key(*SECOND_VISIT)
    assert (visit.visit_end, visit.letter_date) == (date(2022, 2, 3), date(2022, 3, 9))
    assert visit.title == "Monitoring visit to Devon children's services"
    # Who signed, not who led: the letter does not say who led.
    assert [(i.person.name, i.role, i.signed_letter) for i in visit.inspection_inspectors.all()] == [
        ("Steve Lowe", "Her Majesty's Inspector", True),
        ("Tracey Ledder", "Her Majesty's Inspector", False),
    ]
    # "This was the second monitoring visit ... It follows a monitoring visit in September 2020"
    assert visit.monitoring_visit_number == 2
    assert visit.previous_visit.natural_key() == FIRST_VISIT
    addressee = visit.report.addressee
    assert (addressee.name, addressee.job_title, addressee.organisation) == (
        "Melissa Caslake",
        "Chief Officer for Children's Services",
        "Devon County Council",
    )
    areas = VisitArea.objects.filter(inspection=visit).order_by("number")
    assert [area.text for area in areas] == [
        "Making sure that decisions taken by the multi-agency safeguarding hub (MASH) are acted on.",
        "Professional curiosity and the quality of assessments.",
        "The quality of recorded management oversight and critical challenge.",
    ]
    assert {area.identified_by.natural_key() for area in areas} == {ILACS}


@pytest.mark.django_db
def test_second_monitoring_visit_findings(loaded):
    visit = Inspection.objects.get_by_natural_key(*SECOND_VISIT)
    headline = Finding.objects.get_by_natural_key(*SECOND_VISIT, "headline", 1)
    assert headline.text == (
        "A surge in referrals about children who may be in need or at risk of harm during the COVID-19 pandemic, "
        "acute staff shortages and high caseloads in the initial response teams (IRT) are all contributing to many "
        "children and families not yet receiving the help they need at the time they need it most."
    )
    assert visit.findings.filter(kind="headline").count() == 3
    assert visit.findings.filter(kind="finding").count() == 16
    assert "\u2019" not in "".join(visit.findings.values_list("text", flat=True))  # straight apostrophes


@pytest.mark.django_db
def test_letter_links_to_the_focused_visit(loaded):
    focused = Inspection.objects.get_by_natural_key(*FOCUSED_VISIT)
    assert focused.visit_dates_display == "May 2021"
    follow_up = FindingFollowUp.objects.get(earlier__inspection=focused, earlier__number=1)
    assert follow_up.earlier.text == (
        "During the focused visit in May 2021, concerns were raised about managers changing decisions without "
        "consultation."
    )
    assert follow_up.finding.inspection.natural_key() == SECOND_VISIT
    assert follow_up.evaluation.endswith("this practice continues, resulting in uncertainty and stress for families.")


# --- 6 April 2022: Children's Scrutiny Committee agenda -----------------------------------------


@pytest.mark.django_db
def test_agenda_item_5_is_the_letter(loaded):
    meeting = Meeting.objects.get(committee__name="Children's Scrutiny Committee", date=date(2022, 4, 6))
    assert (meeting.start_time, meeting.venue) == (time(10, 30), "Council Chamber - County Hall")
    assert meeting.agenda.date == date(2022, 3, 29)
    item = AgendaItem.objects.get(meeting=meeting, number=5)
    assert item.title == "Ofsted Monitoring Visit Letter"
    assert item.pages == "Pages 1 - 6"
    assert item.inspection.natural_key() == SECOND_VISIT
    assert item.document.reference == "2022-03-09-ofsted-monitoring-visit-letter"
    assert meeting.agenda_items.count() == 5


# --- All four ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_twice_changes_nothing(loaded):
    # Through the loader: plain loaddata saves every row again, which history rows refuse.
    before = row_counts()
    result = load_fixtures([FixtureFile.from_path(path) for path in FILES])
    assert result.total("created") == result.total("updated") == 0
    assert row_counts() == before


@pytest.mark.django_db
def test_every_loaded_object_is_valid(loaded):
    checked, invalid = 0, {}
    for label in ("inspections", "improvement", "scrutiny"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name.startswith("historical"):
                continue
            for obj in model._base_manager.all():
                checked += 1
                if errors := errors_of(obj.full_clean):
                    invalid[f"{model._meta.label} {obj.pk}"] = errors
    assert invalid == {}
    assert checked > 200  # the loaded record was checked, not an empty database
