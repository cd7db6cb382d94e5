"""The public address: an anonymous visitor reads approved briefing packs, and nothing else is
reachable there, by guessing ids, through a link inside a pack, or through an export."""

import datetime as dt
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, resolve, reverse

from improvement.models import Rating
from scrutiny import public_urls
from tests.factories import (
    AgendaItemFactory,
    BriefingPackApprovalFactory,
    BriefingPackVersionFactory,
    FindingFactory,
    FindingFollowUpFactory,
    MeasureValueFactory,
    MeetingFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    SourceDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PREVIOUS, MEETING = dt.date(2022, 3, 1), dt.date(2022, 4, 1)


@pytest.fixture
def meeting():
    MeasureValueFactory(period_end=dt.date(2021, 6, 1))
    previous = MeetingFactory(date=PREVIOUS)
    return MeetingFactory(committee=previous.committee, date=MEETING)


@pytest.fixture
def packs(meeting):
    """A rich pack published three times: version 1 approved, 2 published only; another
    meeting's pack approved; and the ids of everything else the database holds."""
    officer = UserFactory(first_name="Olivia", last_name="Officer")
    PersonFactory(name="Olivia Officer", user=officer)
    ProgressUpdateFactory(
        priority=PriorityFactory(findings=[FindingFactory()]),
        action=None,
        date=MEETING,
        rating=Rating.RED,
        commentary="Caseloads rose.",
        recorded_by=officer,
    )
    ProgressUpdateFactory(
        priority=PriorityFactory(),
        action=None,
        date=MEETING,
        author=PersonFactory(name="Lisa Bursill"),
        source=SourceDocumentFactory(),
    )
    follow_up = FindingFollowUpFactory(
        earlier__inspection__visit_start=dt.date(2021, 5, 1),
        finding__inspection__visit_start=dt.date(2022, 2, 2),
        finding__inspection__letter_date=MEETING,
    )
    AgendaItemFactory(
        meeting=meeting,
        inspection=follow_up.finding.inspection,
        document=SourceDocumentFactory(location="https://files.ofsted.gov.uk/v1/file/50180373"),
    )
    approved = BriefingPackApprovalFactory(version__meeting=meeting, version__number=1).version
    unapproved = BriefingPackVersionFactory(meeting=meeting, number=2)
    other = BriefingPackApprovalFactory(version__meeting=MeetingFactory(date=MEETING)).version
    return {"approved": approved, "unapproved": unapproved, "other": other}


def public_url(version):
    return reverse("public:pack", args=[version.pk])


def test_an_anonymous_visitor_reads_an_approved_pack(client, packs):
    version = packs["approved"]

    response = client.get(public_url(version))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Briefing pack for 1 April 2022" in page
    assert "Caseloads rose." in page
    assert version.checksum in page
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]


def test_the_list_shows_approved_packs_only(client, packs):
    page = client.get(reverse("public:pack_list")).content.decode()

    assert public_url(packs["approved"]) in page
    assert public_url(packs["other"]) in page
    assert public_url(packs["unapproved"]) not in page


def test_every_other_id_is_not_found(client, packs):
    approved = {packs["approved"].pk, packs["other"].pk}
    highest = max(version.pk for version in packs.values())
    for pk in range(0, highest + 5):
        status = client.get(f"/public/packs/{pk}/").status_code
        assert status == (200 if pk in approved else 404), pk


def test_every_route_under_the_public_address_is_not_found_for_an_unapproved_pack(client, packs):
    unapproved, meeting = packs["unapproved"], packs["unapproved"].meeting
    routes = [pattern for pattern in public_urls.urlpatterns if isinstance(pattern, URLPattern)]
    with_ids = [pattern for pattern in routes if pattern.pattern.converters]
    assert [pattern.name for pattern in with_ids] == ["pack"]  # a new route must be added here too
    for pattern in with_ids:
        for pk in (unapproved.pk, meeting.pk, 10_000):
            assert client.get(reverse(f"public:{pattern.name}", args=[pk])).status_code == 404
    guesses = [
        f"/public/packs/{packs['approved'].pk}/content.json",
        f"/public/packs/{packs['approved'].pk}/versions/2/",
        f"/public/packs/{unapproved.pk}/print/",
        f"/public/meetings/{meeting.pk}/",
        f"/public/meetings/{meeting.pk}/briefing/",
        "/public/packs/",
        "/public/admin/",
    ]
    for url in guesses:
        assert client.get(url).status_code == 404, url


def test_publishing_does_not_make_a_pack_public(client, meeting, officer):
    client.force_login(officer)
    client.post(reverse("scrutiny:publish_briefing_pack", args=[meeting.pk]))
    client.logout()

    assert "/public/packs/" not in client.get(reverse("public:pack_list")).content.decode()


class Links(HTMLParser):
    """Every address a page points at: links, forms, scripts, styles and images."""

    def __init__(self):
        super().__init__()
        self.addresses = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action"):
            if attrs.get(name):
                self.addresses.append(attrs[name])


def addresses_on(client, url):
    parser = Links()
    parser.feed(client.get(url).content.decode())
    return parser.addresses


@pytest.mark.parametrize("page", ["list", "pack"])
def test_no_signed_in_page_is_reachable_from_the_public_pages(client, packs, page):
    url = reverse("public:pack_list") if page == "list" else public_url(packs["approved"])
    addresses = addresses_on(client, url)
    assert addresses

    for address in addresses:
        parts = urlsplit(address)
        if parts.scheme in ("http", "https") or address.startswith("data:"):
            assert parts.netloc != "testserver", address  # elsewhere, never this service
            continue
        if address.startswith("#") or parts.path.startswith("/static/"):
            continue
        assert resolve(parts.path).namespace in ("public", ""), address
        response = client.get(address)
        assert response.status_code == 200, f"{address} answered {response.status_code} to an anonymous visitor"


def test_the_public_pack_links_only_to_the_public_address_and_the_papers_themselves(client, packs):
    internal = [
        address
        for address in addresses_on(client, public_url(packs["approved"]))
        if not address.startswith(("#", "/static/", "https://", "data:"))
    ]

    assert sorted(set(internal)) == [reverse("accessibility"), reverse("public:pack_list")]
    assert "https://files.ofsted.gov.uk/v1/file/50180373" in addresses_on(client, public_url(packs["approved"]))


def test_officers_are_named_in_public_only_where_the_source_documents_name_them(client, packs):
    page = client.get(public_url(packs["approved"])).content.decode()

    assert "Lisa Bursill" in page
    assert "Olivia Officer" not in page


def test_a_signed_in_visitor_is_not_cached(client, packs, councillor):
    client.force_login(councillor)

    response = client.get(public_url(packs["approved"]))

    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_every_public_view_lets_anonymous_visitors_in():
    # A view without @login_not_required would send the public to the sign-in page.
    for pattern in public_urls.urlpatterns:
        assert getattr(pattern.callback, "login_required", True) is False, pattern.name
