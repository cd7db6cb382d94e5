"""The inspections app's domain model: constraints, natural keys and derived facts."""

import datetime as dt
import re

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspections.models import (
    Authority,
    DatePrecision,
    Finding,
    FixtureLoad,
    Grade,
    Inspection,
    Intervention,
    Person,
    SourceDocument,
    Theme,
    VisitArea,
    format_with_precision,
    remembering_natural_keys,
)
from tests.constraints import (
    assert_deserializes_onto_existing_rows,
    errors_of,
    serialize,
    validation_messages,
    violates,
)
from tests.factories import (
    AuthorityFactory,
    FindingFactory,
    FindingFollowUpFactory,
    FixtureLoadFactory,
    InspectionFactory,
    InspectionInspectorFactory,
    InterventionFactory,
    JudgementFactory,
    PersonFactory,
    SourceDocumentFactory,
    ThemeFactory,
    VisitAreaFactory,
)

pytestmark = pytest.mark.django_db


# --- format_with_precision ---------------------------------------------------------------


class TestFormatWithPrecision:
    def test_it_formats_a_day(self):
        assert format_with_precision(dt.date(2022, 3, 9), DatePrecision.DAY) == "9 March 2022"

    def test_it_formats_a_month(self):
        assert format_with_precision(dt.date(2013, 4, 1), DatePrecision.MONTH) == "April 2013"

    def test_it_formats_a_year(self):
        assert format_with_precision(dt.date(2013, 1, 1), DatePrecision.YEAR) == "2013"

    def test_it_formats_nothing_as_empty(self):
        assert format_with_precision(None, DatePrecision.DAY) == ""


# --- Theme, Authority, Person, SourceDocument --------------------------------------------


class TestUniqueNames:
    def test_theme_slug_is_unique(self):
        theme = ThemeFactory()
        with violates(Theme, "slug"):
            ThemeFactory(slug=theme.slug)

    def test_theme_name_is_unique(self):
        theme = ThemeFactory()
        with violates(Theme, "name"):
            ThemeFactory(name=theme.name)

    def test_authority_short_name_is_unique(self):
        authority = AuthorityFactory()
        with violates(Authority, "short_name"):
            AuthorityFactory(short_name=authority.short_name, name="Another council")

    def test_authority_name_is_unique(self):
        authority = AuthorityFactory()
        with violates(Authority, "name"):
            AuthorityFactory(name=authority.name)

    def test_person_name_is_unique(self):
        person = PersonFactory()
        with violates(Person, "name"):
            PersonFactory(name=person.name)

    def test_source_document_reference_is_unique(self):
        document = SourceDocumentFactory()
        with violates(SourceDocument, "reference"):
            SourceDocumentFactory(reference=document.reference)

    def test_source_document_date_display_respects_precision(self):
        document = SourceDocumentFactory.build(date=dt.date(2013, 4, 1), date_precision=DatePrecision.MONTH)
        assert document.date_display == "April 2013"


# --- Inspection ----------------------------------------------------------------------------


class TestInspectionConstraints:
    def test_it_allows_one_inspection_of_a_kind_per_start_date(self):
        inspection = InspectionFactory()
        with violates("inspection_unique_per_start"):
            InspectionFactory(authority=inspection.authority, kind=inspection.kind, visit_start=inspection.visit_start)

    def test_another_kind_may_start_the_same_day(self):
        inspection = InspectionFactory()
        InspectionFactory(
            authority=inspection.authority, kind=Inspection.Kind.FOCUSED_VISIT, visit_start=inspection.visit_start
        )
        same_day = Inspection.objects.filter(authority=inspection.authority, visit_start=inspection.visit_start)
        assert sorted(same_day.values_list("kind", flat=True)) == ["focused_visit", "monitoring_visit"]

    def test_the_visit_cannot_end_before_it_starts(self):
        with violates("inspection_visit_end_after_start"):
            InspectionFactory(visit_start=dt.date(2022, 2, 2), visit_end=dt.date(2022, 2, 1))

    def test_a_one_day_visit_may_end_the_day_it_starts(self):
        inspection = InspectionFactory(visit_start=dt.date(2022, 2, 2), visit_end=dt.date(2022, 2, 2), letter_date=None)
        inspection.refresh_from_db()
        assert errors_of(inspection.full_clean) == {}
        assert (inspection.visit_start, inspection.visit_end) == (dt.date(2022, 2, 2), dt.date(2022, 2, 2))
        assert inspection.visit_dates_display == "2 February 2022"

    def test_the_letter_cannot_be_dated_before_the_visit(self):
        with violates("inspection_letter_after_visit"):
            InspectionFactory(visit_start=dt.date(2022, 2, 2), visit_end=None, letter_date=dt.date(2022, 2, 1))

    def test_full_clean_gives_the_visit_dates_message(self):
        inspection = InspectionFactory.build(
            authority=AuthorityFactory(), visit_start=dt.date(2022, 2, 2), visit_end=dt.date(2022, 2, 1)
        )
        with pytest.raises(ValidationError, match="The visit cannot end before it starts") as info:
            inspection.full_clean()
        assert "The visit cannot end before it starts." in validation_messages(info.value)

    def test_full_clean_gives_the_letter_date_message(self):
        inspection = InspectionFactory.build(
            authority=AuthorityFactory(),
            visit_start=dt.date(2022, 2, 2),
            visit_end=None,
            letter_date=dt.date(2022, 1, 31),
        )
        with pytest.raises(ValidationError, match="The letter cannot be dated before the visit") as info:
            inspection.full_clean()
        assert "The letter cannot be dated before the visit." in validation_messages(info.value)


class TestVisitSequence:
    def test_only_a_monitoring_visit_has_a_visit_number(self):
        with violates("inspection_visit_number_for_monitoring_visits"):
            InspectionFactory(kind=Inspection.Kind.FOCUSED_VISIT, monitoring_visit_number=1)

    def test_monitoring_visits_are_numbered_from_one(self):
        with violates("inspection_visit_number_for_monitoring_visits"):
            InspectionFactory(monitoring_visit_number=0)

    def test_a_visit_cannot_follow_itself(self):
        visit = InspectionFactory()
        visit.previous_visit = visit
        with violates("inspection_not_its_own_previous_visit"):
            visit.save()

    def test_full_clean_refuses_a_previous_visit_that_started_later(self):
        later = InspectionFactory(visit_start=dt.date(2022, 2, 2))
        visit = InspectionFactory.build(
            authority=later.authority, visit_start=dt.date(2020, 9, 22), previous_visit=later, monitoring_visit_number=2
        )
        with pytest.raises(ValidationError) as info:
            visit.full_clean()
        assert info.value.message_dict["previous_visit"] == ["The visit this one follows must have started earlier."]

    def test_the_second_visit_follows_the_first(self):
        first = InspectionFactory(visit_start=dt.date(2020, 9, 22), monitoring_visit_number=1)
        second = InspectionFactory(visit_start=dt.date(2022, 2, 2), monitoring_visit_number=2, previous_visit=first)
        second.full_clean()
        assert list(first.later_visits.all()) == [second]


class TestInspectionDisplay:
    def test_a_month_precise_visit_shows_the_month(self):
        inspection = InspectionFactory.build(
            visit_start=dt.date(2013, 4, 1), visit_end=None, visit_date_precision=DatePrecision.MONTH
        )
        assert inspection.visit_dates_display == "April 2013"

    def test_a_visit_over_days_shows_both_dates(self):
        inspection = InspectionFactory.build(visit_start=dt.date(2022, 2, 2), visit_end=dt.date(2022, 2, 3))
        assert inspection.visit_dates_display == "2 February 2022 to 3 February 2022"

    def test_a_one_day_visit_shows_one_date(self):
        inspection = InspectionFactory.build(visit_start=dt.date(2022, 3, 9), visit_end=dt.date(2022, 3, 9))
        assert inspection.visit_dates_display == "9 March 2022"

    def test_str_names_the_kind_and_dates(self):
        inspection = InspectionFactory.build(
            kind=Inspection.Kind.FOCUSED_VISIT, visit_start=dt.date(2022, 3, 9), visit_end=None
        )
        assert str(inspection) == "Focused visit, 9 March 2022"


class TestInspectionOverallJudgement:
    def test_it_annotates_the_overall_grade_only(self):
        judged = InspectionFactory()
        JudgementFactory(inspection=judged, grade=Grade.INADEQUATE)
        JudgementFactory(inspection=judged, name="Leadership", grade=Grade.GOOD)
        only_other = InspectionFactory()
        JudgementFactory(inspection=only_other, name="Children in care", grade=Grade.GOOD)
        unjudged = InspectionFactory()

        grades = {
            inspection.pk: inspection.overall_grade
            for inspection in Inspection.objects.filter(
                pk__in=[judged.pk, only_other.pk, unjudged.pk]
            ).with_overall_judgement()
        }

        assert grades == {judged.pk: Grade.INADEQUATE, only_other.pk: None, unjudged.pk: None}

    def test_a_grade_given_without_a_judgement_name_is_the_overall_grade(self):
        # "judged to be inadequate": the source names no judgement.
        unnamed = InspectionFactory()
        JudgementFactory(inspection=unnamed, name="", grade=Grade.INADEQUATE)
        both = InspectionFactory()
        JudgementFactory(inspection=both, name="", grade=Grade.INADEQUATE)
        JudgementFactory(inspection=both, grade=Grade.GOOD)  # the named overall judgement wins

        grades = dict(
            Inspection.objects.filter(pk__in=[unnamed.pk, both.pk])
            .with_overall_judgement()
            .values_list("pk", "overall_grade")
        )

        assert grades == {unnamed.pk: Grade.INADEQUATE, both.pk: Grade.GOOD}

    def test_an_unnamed_judgement_reads_as_the_grade(self):
        assert str(JudgementFactory.build(name="", grade=Grade.INADEQUATE)) == "Judged inadequate"
        assert str(JudgementFactory.build(grade=Grade.INADEQUATE)) == "Overall effectiveness: Inadequate"

    def test_it_annotates_in_one_query(self, django_assert_num_queries):
        for grade in (Grade.GOOD, Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT):
            JudgementFactory(grade=grade)
        with django_assert_num_queries(1):
            grades = sorted(i.overall_grade for i in Inspection.objects.with_overall_judgement())
        assert grades == sorted([Grade.GOOD, Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT])


# --- Judgement, InspectionInspector --------------------------------------------------------


class TestJudgementAndInspector:
    def test_a_judgement_name_is_given_once_per_inspection(self):
        judgement = JudgementFactory()
        with violates("judgement_unique_name"):
            JudgementFactory(inspection=judgement.inspection, grade=Grade.GOOD)

    def test_an_inspector_is_named_once_per_inspection(self):
        role = InspectionInspectorFactory()
        with violates("inspector_once_per_inspection"):
            InspectionInspectorFactory(inspection=role.inspection, person=role.person, role="Team inspector")

    def test_an_inspector_may_inspect_twice(self):
        role = InspectionInspectorFactory()
        InspectionInspectorFactory(person=role.person)
        assert role.person.inspections.count() == 2


# --- Finding -----------------------------------------------------------------------------


class TestFindingConstraints:
    def test_a_number_is_used_once_per_inspection_and_kind(self):
        finding = FindingFactory()
        with violates("finding_unique_number"):
            FindingFactory(inspection=finding.inspection, kind=finding.kind, number=finding.number)

    def test_another_kind_may_use_the_same_number(self):
        finding = FindingFactory(kind=Finding.Kind.AREA_FOR_IMPROVEMENT)
        FindingFactory(inspection=finding.inspection, kind=Finding.Kind.STRENGTH, number=finding.number)
        numbered = finding.inspection.findings.filter(number=finding.number)
        assert sorted(numbered.values_list("kind", flat=True)) == ["area_for_improvement", "strength"]

    def test_findings_are_numbered_from_one(self):
        with violates("finding_number_positive"):
            FindingFactory(number=0)

    def test_only_a_required_action_has_a_timescale(self):
        with violates("finding_timescale_only_for_required_actions"):
            FindingFactory(kind=Finding.Kind.AREA_FOR_IMPROVEMENT, timescale="immediately")

    def test_a_required_action_may_have_a_timescale(self):
        finding = FindingFactory(required_action=True)
        assert finding.timescale == "within_three_months"

    def test_full_clean_gives_the_timescale_message(self):
        finding = FindingFactory.build(
            inspection=InspectionFactory(), kind=Finding.Kind.STRENGTH, timescale="immediately"
        )
        with pytest.raises(ValidationError, match="Only a required action has a timescale") as info:
            finding.full_clean()
        assert "Only a required action has a timescale." in validation_messages(info.value)

    def test_full_clean_rejects_a_duplicate_number(self):
        finding = FindingFactory()
        duplicate = FindingFactory.build(inspection=finding.inspection, kind=finding.kind, number=finding.number)
        with pytest.raises(ValidationError, match="Finding with this Inspection, Kind and Number already exists"):
            duplicate.full_clean()


class TestFindingDisplay:
    def test_str_gives_kind_number_and_paragraph(self):
        finding = FindingFactory.build(kind=Finding.Kind.REQUIRED_ACTION, number=2, paragraph="14")
        assert str(finding) == "Required action 2 (paragraph 14)"

    def test_summary_shortens_long_text_at_a_word(self):
        finding = FindingFactory.build(text="word " * 40)
        assert finding.summary.endswith("word…")
        assert len(finding.summary) <= 118

    def test_summary_keeps_short_text(self):
        assert FindingFactory.build(text="Short.").summary == "Short."


class TestFindingReportOrder:
    def test_it_orders_findings_as_a_letter_gives_them(self):
        inspection = InspectionFactory()

        def finding(kind, number):
            extra = {"timescale": "immediately"} if kind == Finding.Kind.REQUIRED_ACTION else {}
            return FindingFactory(inspection=inspection, kind=kind, number=number, **extra)

        created = [
            finding(Finding.Kind.STRENGTH, 1),
            finding(Finding.Kind.REQUIRED_ACTION, 1),
            finding(Finding.Kind.AREA_FOR_IMPROVEMENT, 2),
            finding(Finding.Kind.HEADLINE, 1),
            finding(Finding.Kind.AREA_FOR_IMPROVEMENT, 1),
            finding(Finding.Kind.CONCERN, 1),
            finding(Finding.Kind.FINDING, 1),
        ]

        ordered = [(f.kind, f.number) for f in Finding.objects.filter(inspection=inspection).in_report_order()]

        assert len(ordered) == len(created)
        assert ordered == [
            ("headline", 1),
            ("area_for_improvement", 1),
            ("area_for_improvement", 2),
            ("required_action", 1),
            ("finding", 1),
            ("strength", 1),
            ("concern", 1),
        ]


# --- FindingFollowUp ---------------------------------------------------------------------


class TestFindingFollowUp:
    def test_a_finding_revisits_an_earlier_one_once(self):
        follow_up = FindingFollowUpFactory()
        with violates("follow_up_once"):
            FindingFollowUpFactory(finding=follow_up.finding, earlier=follow_up.earlier)

    def test_a_finding_cannot_revisit_itself(self):
        finding = FindingFactory()
        with violates("follow_up_not_itself"):
            FindingFollowUpFactory(finding=finding, earlier=finding)

    def test_clean_accepts_a_finding_of_an_earlier_inspection(self):
        earlier = FindingFactory(inspection=InspectionFactory(visit_start=dt.date(2021, 1, 4)))
        later = FindingFactory(inspection=InspectionFactory(visit_start=dt.date(2022, 1, 4)))
        assert errors_of(FindingFollowUpFactory.build(finding=later, earlier=earlier).full_clean) == {}

    def test_clean_rejects_a_finding_of_a_later_inspection(self):
        earlier = FindingFactory(inspection=InspectionFactory(visit_start=dt.date(2021, 1, 4)))
        later = FindingFactory(inspection=InspectionFactory(visit_start=dt.date(2022, 1, 4)))
        with pytest.raises(
            ValidationError, match="A finding can only revisit a finding of an earlier inspection"
        ) as info:
            FindingFollowUpFactory.build(finding=earlier, earlier=later).full_clean()
        assert info.value.message_dict["earlier"] == ["A finding can only revisit a finding of an earlier inspection."]

    def test_clean_rejects_a_finding_of_the_same_inspection(self):
        inspection = InspectionFactory()
        first, second = FindingFactory(inspection=inspection), FindingFactory(inspection=inspection)
        with pytest.raises(
            ValidationError, match="A finding can only revisit a finding of an earlier inspection"
        ) as info:
            FindingFollowUpFactory.build(finding=second, earlier=first).clean()
        assert "earlier" in info.value.message_dict

    def test_revisits_and_revisited_by_follow_the_follow_up(self):
        follow_up = FindingFollowUpFactory()
        assert list(follow_up.finding.revisits.all()) == [follow_up.earlier]
        assert list(follow_up.earlier.revisited_by.all()) == [follow_up.finding]


# --- VisitArea, Intervention, FixtureLoad ------------------------------------------------


class TestVisitArea:
    def test_a_number_is_used_once_per_inspection(self):
        area = VisitAreaFactory()
        with violates("visit_area_unique_number"):
            VisitAreaFactory(inspection=area.inspection, number=area.number)

    def test_areas_are_numbered_from_one(self):
        with violates("visit_area_number_positive"):
            VisitAreaFactory(number=0)


class TestIntervention:
    def test_a_title_is_used_once_per_authority_and_kind(self):
        intervention = InterventionFactory()
        with violates("intervention_unique_title"):
            InterventionFactory(authority=intervention.authority, title=intervention.title)

    def test_date_display_respects_precision(self):
        assert InterventionFactory.build(date=dt.date(2013, 6, 1)).date_display == "June 2013"


class TestFixtureLoad:
    def test_a_loaded_load_has_a_loaded_time(self):
        with violates("fixture_load_loaded_at_when_loaded"):
            FixtureLoadFactory(status=FixtureLoad.Status.LOADED, loaded_at=None)

    def test_only_a_loaded_load_has_a_loaded_time(self):
        with violates("fixture_load_loaded_at_when_loaded"):
            FixtureLoadFactory(status=FixtureLoad.Status.PREVIEWED, loaded_at=timezone.now())

    def test_a_loaded_load_with_its_time_is_saved(self):
        load = FixtureLoadFactory(status=FixtureLoad.Status.LOADED, loaded_at=timezone.now())
        assert str(load) == "letters.json (loaded)"


# --- Natural keys ------------------------------------------------------------------------


class TestNaturalKeys:
    def test_a_findings_key_expands_its_inspections_key(self):
        inspection = InspectionFactory(
            authority=AuthorityFactory(short_name="Devon"),
            kind=Inspection.Kind.FOCUSED_VISIT,
            visit_start=dt.date(2022, 2, 2),
        )
        finding = FindingFactory(inspection=inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=3)

        key = finding.natural_key()

        assert key == ("Devon", "focused_visit", "2022-02-02", "area_for_improvement", 3)
        assert Finding.natural_key_fields() == ["short_name", "kind", "visit_start", "kind", "number"]
        assert Finding.objects.get_by_natural_key(*key) == finding

    def test_a_follow_ups_key_expands_both_findings(self):
        follow_up = FindingFollowUpFactory()
        assert follow_up.natural_key() == follow_up.finding.natural_key() + follow_up.earlier.natural_key()

    def test_an_unknown_key_is_not_found(self):
        authority = AuthorityFactory()
        with pytest.raises(Inspection.DoesNotExist, match="Inspection matching query does not exist"):
            Inspection.objects.get_by_natural_key(authority.short_name, "focused_visit", "2022-02-02")

    def test_a_key_with_an_unknown_part_raises_the_models_own_does_not_exist(self):
        # Django's deserializer and inspections.loading._resolve catch only Model.DoesNotExist.
        with pytest.raises(Inspection.DoesNotExist, match=re.escape("No authority has the key ['Nowhere'].")):
            Inspection.objects.get_by_natural_key("Nowhere", "focused_visit", "2022-02-02")
        with pytest.raises(
            Finding.DoesNotExist,
            match=re.escape("No inspection has the key ['Nowhere', 'focused_visit', '2022-02-02']."),
        ):
            Finding.objects.get_by_natural_key("Nowhere", "focused_visit", "2022-02-02", "finding", 1)


def inspection_record():
    """A small record touching every inspections model, in dependency order for serializing."""
    theme = ThemeFactory()
    authority = AuthorityFactory()
    inspector = PersonFactory()
    report = SourceDocumentFactory()
    earlier_inspection = InspectionFactory(authority=authority, report=report, visit_start=dt.date(2021, 1, 4))
    later_inspection = InspectionFactory(authority=authority, visit_start=dt.date(2022, 1, 4))
    judgement = JudgementFactory(inspection=earlier_inspection)
    role = InspectionInspectorFactory(inspection=later_inspection, person=inspector, signed_letter=True)
    earlier = FindingFactory(inspection=earlier_inspection, themes=[theme])
    later = FindingFactory(inspection=later_inspection, source=report)
    follow_up = FindingFollowUpFactory(finding=later, earlier=earlier)
    area = VisitAreaFactory(inspection=later_inspection, identified_by=earlier_inspection)
    area.revisits.set([earlier])
    intervention = InterventionFactory(authority=authority, follows=earlier_inspection, issued_by=inspector)
    return [
        theme,
        authority,
        inspector,
        report,
        earlier_inspection,
        later_inspection,
        judgement,
        role,
        earlier,
        later,
        follow_up,
        area,
        intervention,
    ]


class TestSerialization:
    def test_natural_keys_replace_primary_keys(self):
        data = serialize(inspection_record())
        assert '"pk"' not in data

    def test_deserializing_maps_onto_the_existing_rows(self):
        assert_deserializes_onto_existing_rows(inspection_record())

    def test_a_record_reloads_into_an_emptied_database(self):
        record = inspection_record()
        data = serialize(record)
        keys = [(type(obj), obj.natural_key()) for obj in record]
        theme, authority, inspector, report, *_rest, area, intervention = record
        area.delete()
        intervention.delete()
        Inspection.objects.filter(authority=authority).delete()  # cascades to findings and the rest
        for obj in (inspector, report, authority, theme):
            obj.delete()
        assert not Finding.objects.filter(inspection__authority__short_name=authority.short_name).exists()

        for deserialized in serializers.deserialize("json", data):
            deserialized.save()

        for model, key in keys:
            assert model.objects.get_by_natural_key(*key)
        earlier, later = (Finding.objects.get_by_natural_key(*record[i].natural_key()) for i in (8, 9))
        assert list(earlier.themes.values_list("slug", flat=True)) == [theme.slug]
        assert list(later.revisits.all()) == [earlier]
        area = VisitArea.objects.get(inspection__authority__short_name=authority.short_name)
        assert list(area.revisits.all()) == [earlier]
        assert area.identified_by.visit_start == dt.date(2021, 1, 4)
        assert Intervention.objects.get(title=intervention.title).issued_by.name == inspector.name


class TestRememberingNaturalKeys:
    """A fixture load looks each natural key up once (`remembering_natural_keys`)."""

    def test_a_key_found_is_looked_up_once_within_the_block(self, django_assert_num_queries):
        authority = AuthorityFactory()
        with remembering_natural_keys(), django_assert_num_queries(1):
            assert Authority.objects.get_by_natural_key(authority.short_name) == authority
            assert Authority.objects.get_by_natural_key(authority.short_name) == authority

    def test_outside_the_block_every_lookup_reads_the_database(self, django_assert_num_queries):
        authority = AuthorityFactory()
        with django_assert_num_queries(2):
            Authority.objects.get_by_natural_key(authority.short_name)
            Authority.objects.get_by_natural_key(authority.short_name)

    def test_a_key_not_found_is_not_remembered(self):
        with remembering_natural_keys():
            with pytest.raises(Authority.DoesNotExist):
                Authority.objects.get_by_natural_key("Ambridge")
            created = AuthorityFactory(short_name="Ambridge")
            assert Authority.objects.get_by_natural_key("Ambridge") == created
