"""The inspections pages: list, inspection and finding, for every role, with flat query counts."""

import pytest
from django.conf import settings
from django.urls import reverse

from inspections.models import Authority, Finding
from tests.factories import (
    ActionFactory,
    AuthorityFactory,
    FindingFactory,
    FindingFollowUpFactory,
    InspectionFactory,
    InspectionInspectorFactory,
    JudgementFactory,
    MeasureFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    ScrutinyActionFactory,
    SourceDocumentFactory,
    ThemeFactory,
    VisitAreaFactory,
)
from tests.pages import count_queries, keep_permissions

pytestmark = pytest.mark.django_db


def inspection_with_findings(n):
    # The home authority's, which the inspections timeline shows by default.
    home = Authority.objects.home() or AuthorityFactory(short_name=settings.HOME_AUTHORITY)
    inspection = InspectionFactory(authority=home, title="Monitoring visit to Borsetshire children's services")
    JudgementFactory(inspection=inspection)
    InspectionInspectorFactory(inspection=inspection, signed_letter=True)
    VisitAreaFactory(inspection=inspection, number=1)
    theme = ThemeFactory()
    for number in range(1, n + 1):
        FindingFactory(inspection=inspection, kind=Finding.Kind.FINDING, number=number, themes=[theme])
    return inspection


@pytest.mark.parametrize("persona", ["officer", "councillor", "admin"])
def test_every_role_reads_the_inspections(client, request, persona):
    inspection = inspection_with_findings(2)
    client.force_login(request.getfixturevalue(persona))

    listing = client.get(reverse("inspections:inspection_list"))
    detail = client.get(inspection.get_absolute_url())

    assert "Monitoring visit to Borsetshire children&#x27;s services" in listing.content.decode()
    assert "Inadequate" in listing.content.decode()
    assert detail.status_code == 200
    assert inspection.findings.first().text in detail.content.decode()


def test_a_grade_given_without_a_judgement_name_reads_as_judged(client, councillor):
    # "judged to be inadequate": the page names no judgement the source does not name.
    home = Authority.objects.home() or AuthorityFactory(short_name=settings.HOME_AUTHORITY)
    inspection = InspectionFactory(authority=home, title="Inspection of Borsetshire children's services")
    JudgementFactory(inspection=inspection, name="", grade="inadequate")
    client.force_login(councillor)

    detail = client.get(inspection.get_absolute_url()).content.decode()
    listing = client.get(reverse("inspections:inspection_list")).content.decode()

    assert "Judged <strong" in detail and ">Inadequate</strong>" in detail
    assert "Overall effectiveness" not in detail
    assert ">Inadequate</strong>" in listing


def test_the_inspection_page_says_which_findings_nothing_answers(client, councillor):
    inspection = inspection_with_findings(2)
    answered, unanswered = (
        FindingFactory(inspection=inspection, kind=Finding.Kind.AREA_FOR_IMPROVEMENT, number=number)
        for number in (1, 2)
    )
    PriorityFactory(findings=[answered])
    client.force_login(councillor)

    page = client.get(inspection.get_absolute_url()).content.decode()

    # Only the area for improvement with nothing answering it; the visit's findings ask for nothing.
    assert page.count("Nothing answers this yet") == 1
    assert page.index("Nothing answers this yet") > page.index(f'id="finding-{unanswered.pk}"')


def test_the_finding_page_shows_everything_that_answers_it(client, councillor):
    finding = FindingFactory(text="Too many children wait too long for a visit.")
    priority = PriorityFactory(title="Front door", findings=[finding])
    ActionFactory(priority=priority, description="Recruit four social workers to the IRT.", findings=[finding])
    MeasureFactory(title="Visits within 5 working days", priority=priority)
    later = FindingFollowUpFactory(
        earlier=finding, finding__inspection__visit_start=finding.inspection.visit_start.replace(year=2030)
    )
    client.force_login(councillor)

    page = client.get(finding.get_absolute_url()).content.decode()

    assert "Too many children wait too long for a visit." in page
    assert "Front door" in page
    assert "Recruit four social workers to the IRT." in page
    assert "Visits within 5 working days" in page
    assert "What later visits said" in page and later.finding.inspection.title in page


def test_an_unknown_inspection_is_not_found(client, councillor):
    client.force_login(councillor)

    assert client.get(reverse("inspections:inspection_detail", args=[999999])).status_code == 404
    assert client.get(reverse("inspections:finding_detail", args=[999999])).status_code == 404


def inspection_with_everything(n):
    """An inspection with n of each thing its pages show: judgements, inspectors, areas covered
    (each revisiting a finding of an earlier inspection), findings (with themes, some answered),
    and its report."""
    earlier = InspectionFactory()
    inspection = InspectionFactory(report=SourceDocumentFactory())
    for number in range(1, n + 1):
        JudgementFactory(inspection=inspection, name=f"Judgement {number}")
        InspectionInspectorFactory(inspection=inspection)
        revisited = FindingFactory(inspection=earlier, number=number, themes=[ThemeFactory()])
        VisitAreaFactory(inspection=inspection, number=number, identified_by=earlier).revisits.add(revisited)
        finding = FindingFactory(inspection=inspection, kind=Finding.Kind.FINDING, number=number)
        finding.themes.add(ThemeFactory(), ThemeFactory())
        FindingFollowUpFactory(finding=finding, earlier=revisited)
        if number % 2:
            PriorityFactory(findings=[finding])
    return inspection


def finding_with_everything(n):
    """A finding with n of each thing its page shows: themes, the findings it revisits and that
    revisit it, and what answers it (priorities, actions, measures, scrutiny actions,
    recommendations), with their owners and leads."""
    finding = FindingFactory()
    for _ in range(n):
        finding.themes.add(ThemeFactory())
        FindingFollowUpFactory(finding=finding)
        FindingFollowUpFactory(earlier=finding)
        priority = PriorityFactory(findings=[finding], lead=PersonFactory())
        action = ActionFactory(priority=priority, owner=PersonFactory(), findings=[finding])
        ProgressUpdateFactory(action=action)
        MeasureFactory(priority=priority)
        MeasureFactory(findings=[finding])
        ScrutinyActionFactory(owner=PersonFactory(), findings=[finding])
        RecommendationFactory(findings=[finding])
    return finding


def test_query_counts_do_not_grow_with_the_data(client, councillor):
    client.force_login(councillor)
    keep_permissions(client)
    small_inspection, small_finding = inspection_with_everything(1), finding_with_everything(1)
    small = {
        "list": count_queries(client, reverse("inspections:inspection_list")),
        "inspection": count_queries(client, small_inspection.get_absolute_url()),
        "finding": count_queries(client, small_finding.get_absolute_url()),
    }

    large_inspection, large_finding = inspection_with_everything(6), finding_with_everything(6)
    for _ in range(4):
        inspection_with_everything(2)

    assert {
        "list": count_queries(client, reverse("inspections:inspection_list")),
        "inspection": count_queries(client, large_inspection.get_absolute_url()),
        "finding": count_queries(client, large_finding.get_absolute_url()),
    } == small
