"""The inspections timeline: every inspection and visit of the home authority (others only when
chosen), with judgement, inspectors, areas covered and findings grouped by kind."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils.html import escape

from inspections.models import Authority, Finding, Inspection
from inspections.themes import sync_themes
from tests.factories import (
    AuthorityFactory,
    FindingFactory,
    InspectionFactory,
    InspectionInspectorFactory,
    JudgementFactory,
    VisitAreaFactory,
)
from tests.lists import queries_to_build

pytestmark = pytest.mark.django_db

TIMELINE = reverse("inspections:inspection_list")


@pytest.fixture
def signed_in(client, councillor):
    client.force_login(councillor)
    return client


@pytest.fixture
def record(db):
    sync_themes(apps)
    call_command("load_letters", verbosity=0)


def entries(page):
    """The timeline's entries, each as its text from its date to the next entry."""
    return re.split(r'<li class="app-timeline__item"', page)[1:]


def test_a_finding_kinds_plural_is_its_heading_over_several():
    assert Finding.Kind.AREA_FOR_IMPROVEMENT.plural == "Areas for improvement"
    assert Finding.Kind.REQUIRED_ACTION.plural == "Required actions"
    assert Finding.Kind.HEADLINE.plural == "Headline findings"
    assert Finding.Kind.STRENGTH.plural == "Strengths"


def test_the_timeline_shows_the_loaded_record_newest_first(signed_in, record):
    page = signed_in.get(TIMELINE).content.decode()
    shown = entries(page)

    devon = Inspection.objects.filter(authority__short_name="Devon").order_by("-visit_start")
    assert "6 inspections and visits." in page
    assert len(shown) == devon.count() == 6
    for entry, inspection in zip(shown, devon, strict=True):
        assert escape(inspection.title) in entry
        kinds = inspection.findings.values_list("kind").annotate(n=Count("pk"))
        for kind, n in kinds:
            assert f"{Finding.Kind(kind).plural} ({n})" in entry

    february_2022 = shown[0]
    assert "2 February 2022 to 3 February 2022" in february_2022
    assert "Steve Lowe (Her Majesty&#x27;s Inspector), signed the letter" in february_2022
    assert "Tracey Ledder (Her Majesty&#x27;s Inspector)" in february_2022
    assert "Professional curiosity and the quality of assessments." in february_2022
    assert "Headline findings (3)" in february_2022 and "Findings (16)" in february_2022
    assert "Not graded" in february_2022

    january_2020 = shown[3]
    assert "Inspection of Local Authority Children&#x27;s Services (ILACS)" in january_2020
    assert '<strong class="govuk-tag govuk-tag--red">Inadequate</strong>' in january_2020
    assert "Areas for improvement (8)" in january_2020
    assert "Area for improvements" not in page


def test_each_finding_links_to_its_own_page(signed_in, record):
    page = signed_in.get(TIMELINE).content.decode()

    for finding in Finding.objects.filter(inspection__authority__short_name="Devon"):
        assert f'href="{finding.get_absolute_url()}"' in page


def test_other_authorities_appear_only_when_chosen(signed_in, record):
    other = InspectionFactory(authority=AuthorityFactory(short_name="Somerset"), title="Somerset's ILACS")

    default = signed_in.get(TIMELINE).content.decode()
    chosen = signed_in.get(f"{TIMELINE}?authority=Somerset").content.decode()

    assert "Somerset&#x27;s ILACS" not in default
    assert len(entries(chosen)) == 1 and escape(other.title) in chosen
    assert "Monitoring visit to Devon children&#x27;s services" not in chosen


def test_without_a_home_authority_no_other_authoritys_inspections_are_shown(signed_in):
    InspectionFactory(title="Someone else's visit")

    page = signed_in.get(TIMELINE).content.decode()

    assert entries(page) == []
    assert "Someone else" not in page
    assert '<option value="" selected>Choose an authority</option>' in page
    assert "Choose an authority from the list." in page


def test_an_authority_not_on_the_list_is_an_error(signed_in):
    InspectionFactory(authority=AuthorityFactory(short_name=settings.HOME_AUTHORITY))

    page = signed_in.get(f"{TIMELINE}?authority=Atlantis").content.decode()

    assert '<div class="govuk-error-summary"' in page
    assert entries(page) == []


def build_inspections(n, per_collection):
    home = Authority.objects.home() or AuthorityFactory(short_name=settings.HOME_AUTHORITY)
    for _ in range(n):
        inspection = InspectionFactory(authority=home)
        JudgementFactory(inspection=inspection)
        for number in range(1, per_collection + 1):
            JudgementFactory(inspection=inspection, name=f"Judgement {number}")
            InspectionInspectorFactory(inspection=inspection)
            VisitAreaFactory(inspection=inspection, number=number)
            for kind in (Finding.Kind.AREA_FOR_IMPROVEMENT, Finding.Kind.STRENGTH):
                FindingFactory(inspection=inspection, kind=kind, number=number)


# The loaded record has six inspections: the larger set is ten times that, with more judgements,
# inspectors, areas and findings on each.
def test_the_timeline_has_a_fixed_number_of_queries(signed_in):
    build_inspections(2, per_collection=1)
    small = queries_to_build(signed_in, TIMELINE)
    other = queries_to_build(signed_in, f"{TIMELINE}?authority={settings.HOME_AUTHORITY}")

    build_inspections(60, per_collection=3)

    page = signed_in.get(TIMELINE).content.decode()
    # Ten a page, newest first: the last of seven pages holds the remaining two.
    assert len(entries(page)) == 10 and "62 inspections and visits." in page
    assert len(entries(signed_in.get(f"{TIMELINE}?page=7").content.decode())) == 2
    assert queries_to_build(signed_in, TIMELINE) == small == queries_to_build(signed_in, f"{TIMELINE}?page=7")
    assert queries_to_build(signed_in, f"{TIMELINE}?authority={settings.HOME_AUTHORITY}") == other


def test_an_inspection_without_a_letter_date_or_findings_says_so(signed_in):
    InspectionFactory(
        authority=AuthorityFactory(short_name=settings.HOME_AUTHORITY),
        letter_date=None,
        visit_start=dt.date(2021, 5, 1),
    )

    page = signed_in.get(TIMELINE).content.decode()

    assert "Date not given" in page
    assert "No findings have been recorded for this visit." in page
