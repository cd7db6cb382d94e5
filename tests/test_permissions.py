"""The permission matrix: every URL pattern of the site × anonymous, councillor, officer and
administrator × GET and POST, with the status each gets and, where the request should change
nothing, proof that it did not.

The expectations for the site's own URLs are declared in tests/pages.py (ACCESS); a URL without
an entry fails here. The admin's model pages follow one rule, checked for every model the admin
registers: only administrators get in, and then only as far as the model's admin allows.
"""

import pytest
from django.contrib import admin as admin_site
from django.test import Client
from django.urls import reverse

from tests import pages
from tests.factories import factory_for
from tests.officer_pages import snapshot
from tests.test_site import all_rows

pytestmark = pytest.mark.django_db


def _state():
    """What a request that should change nothing must leave as it was."""
    return all_rows(), snapshot()


@pytest.fixture
def personas(officer, councillor, admin):
    return {"anonymous": None, "councillor": councillor, "officer": officer, "admin": admin}


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def site_patterns():
    return [pattern for pattern in pages.url_patterns() if not pattern.in_admin or pattern.custom_admin_view]


def test_every_url_of_the_site_has_an_entry_in_the_matrix():
    names = {pattern.name for pattern in site_patterns()}

    assert None not in names, "every URL of the site needs a name to be in the matrix"
    assert names - set(pages.ACCESS) == set(), "add these URLs to ACCESS in tests/pages.py"
    assert set(pages.ACCESS) - names == set(), "these ACCESS entries name no URL"


@pytest.mark.parametrize("name", sorted(pages.ACCESS))
def test_each_persona_gets_what_the_matrix_says(personas, name):
    access = pages.ACCESS[name]
    pattern = next(p for p in site_patterns() if p.name == name)
    found, failures = {}, []
    for index, (persona, user) in enumerate(personas.items()):
        for method, expected in (("GET", access.get[index]), ("POST", access.post[index])):
            # A fresh object for each request: a POST that writes must not change the next one's page.
            url = pattern.url(user or personas["officer"])
            client = _client(user)
            before = _state()
            response = client.get(url) if method == "GET" else client.post(url, {})
            found[persona, method] = outcome = pages.outcome(response, url)
            if outcome != expected:
                failures.append(f"{persona} {method} {url}: {outcome}, expected {expected}")
            elif not (method == "POST" and persona in access.writes) and _state() != before:
                failures.append(f"{persona} {method} {url} changed the record")

    assert failures == []


# --- The admin's own pages and its pages for every model --------------------------------------


def _admin_model_urls(model):
    """The admin's pages for `model`, with a real object where the page is one object's."""
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    obj = model._default_manager.first()
    if obj is None:
        try:
            obj = factory_for(model)()
        except LookupError:
            obj = None  # e.g. sign-in attempts, which only django-axes writes
    urls = {"changelist": reverse(f"{info}_changelist"), "add": reverse(f"{info}_add")}
    if obj is not None:
        urls |= {view: reverse(f"{info}_{view}", args=[obj.pk]) for view in ("change", "delete", "history")}
    return urls


def _admin_may(model, view, method, request):
    """What the model's admin allows the administrator: the page, or a 403. A change page is
    shown read-only to someone who may only view; sending it back needs the change permission."""
    model_admin = admin_site.site._registry[model]
    may_view = model_admin.has_view_or_change_permission(request)
    allowed = {
        "changelist": may_view,
        "add": model_admin.has_add_permission(request),
        "change": may_view if method == "GET" else model_admin.has_change_permission(request),
        "delete": model_admin.has_delete_permission(request),
        "history": may_view,
    }[view]
    return 200 if allowed else 403


@pytest.mark.parametrize("model", list(admin_site.site._registry), ids=lambda model: model._meta.label_lower)
def test_only_administrators_use_the_admin_for_each_model(rf, personas, model):
    failures = []
    urls = _admin_model_urls(model)
    request = rf.get("/")
    request.user = personas["admin"]
    for persona, user in personas.items():
        client = _client(user)
        for view, url in urls.items():
            for method in ("GET", "POST"):
                expected = pages.SIGN_IN if user is None else pages.ADMIN_SIGN_IN
                if persona == "admin":
                    expected = _admin_may(model, view, method, request)
                before = _state()
                # An empty POST: the add and change forms show their errors; delete asks to confirm.
                response = client.get(url) if method == "GET" else client.post(url, {})
                outcome = pages.outcome(response, url)
                if persona == "admin" and method == "POST" and view == "changelist" and outcome == 302:
                    outcome = 200  # no action chosen: the list again
                if outcome != expected:
                    failures.append(f"{persona} {method} {url}: {outcome}, expected {expected}")
                if _state() != before:
                    failures.append(f"{persona} {method} {url} changed the record")

    assert failures == []


def test_only_administrators_reach_the_admin_index(personas):
    url = reverse("admin:index")
    found = {persona: pages.outcome(_client(user).get(url), url) for persona, user in personas.items()}

    assert found == {
        "anonymous": pages.ADMIN_SIGN_IN,
        "councillor": pages.ADMIN_SIGN_IN,
        "officer": pages.ADMIN_SIGN_IN,
        "admin": 200,
    }
