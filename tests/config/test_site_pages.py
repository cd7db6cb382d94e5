"""Site-wide faults councillors met: which navigation item is current, a link to the admin for
administrators, and 404 and 500 pages in the site's own style (with DEBUG off)."""

import pytest
from django.conf import settings
from django.test import override_settings

from config.context_processors import navigation_for
from tests.pages import text_by_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Overview"),
        ("/inspections/3/coverage/", "Inspections"),
        ("/plan/", "Improvement plan"),
        ("/plan/priorities/", "Improvement plan"),
        ("/plan/measures/", "Measures"),
        ("/plan/measures/12/", "Measures"),
        ("/scrutiny/actions/", "Scrutiny"),
        ("/accessibility", None),
    ],
)
def test_one_navigation_item_is_current(path, current, councillor):
    items = navigation_for(path, councillor)

    assert [item["label"] for item in items if item["active"]] == ([current] if current else [])


def test_only_administrators_have_a_link_to_the_admin(client, councillor, officer, admin):
    for user, sees_admin in ((councillor, False), (officer, False), (admin, True)):
        client.force_login(user)
        navigation = text_by_id(client.get("/").content.decode(), "navigation")
        assert ("Admin" in navigation.split()) is sees_admin, user.username
    assert '<a class="govuk-service-navigation__link" href="/admin/"' in client.get("/").content.decode()


def test_the_404_page_is_in_the_sites_style(client, councillor):
    assert not settings.DEBUG
    client.force_login(councillor)

    response = client.get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found – Improvement Tracker" in page
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in page
    assert "govuk-service-navigation" in page and "Devon County Council" in page


@override_settings(ROOT_URLCONF="tests.config.error_urls")
def test_the_500_page_is_in_the_sites_style(client, councillor):
    assert not settings.DEBUG
    client.raise_request_exception = False
    client.force_login(councillor)

    response = client.get("/fail/")

    page = response.content.decode()
    assert response.status_code == 500
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in page
    assert (
        "<title>Sorry, there is a problem with the service – Improvement Tracker – Devon County Council</title>" in page
    )
    assert "/static/css/app.css" in page
