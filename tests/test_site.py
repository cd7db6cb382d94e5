"""Every page and form of the site, walked from its URL patterns: sign-in, CSRF and permissions.

The pages and forms are registered in tests/pages.py; a new one that is not fails here.
"""

import pytest
from django.conf import settings
from django.contrib import admin as admin_site
from django.contrib.auth.models import Permission
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from tests import pages
from tests.factories import UserFactory, factory_for

pytestmark = pytest.mark.django_db


def all_rows():
    """How many rows every table holds: what a refused request must leave as it was. One query,
    so that the walks that check it after every request stay quick."""
    from django.apps import apps
    from django.db import connection

    models = apps.get_models(include_auto_created=True)
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


def test_every_page_sends_an_anonymous_visitor_to_sign_in(client):
    failures = []
    for pattern in pages.site_pages():
        if pattern.name is None:
            failures.append(f"{pattern.route}: give it a name, so that it can be registered in tests/pages.py")
            continue
        url = pattern.url()
        response = client.get(url)
        if pattern.name in pages.PUBLIC_PAGES:
            if response.status_code != 200:
                failures.append(f"{url} is public but answered {response.status_code}")
        elif pages.outcome(response, url) != pages.SIGN_IN:
            failures.append(f"{url} answered {response.status_code} {response.get('Location', '')}, not sign-in")

    assert failures == []


def test_the_public_pages_are_pages_of_the_site():
    assert {pattern.name for pattern in pages.site_pages()} >= pages.PUBLIC_PAGES


def test_every_url_refuses_a_post_without_a_csrf_token(admin):
    # Every URL pattern, the admin's included: the CSRF check runs before any view.
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    before = all_rows()
    failures = []
    for pattern in pages.url_patterns():
        if pattern.name is None:
            continue  # the admin's catch-all, which only redirects
        url = pattern.example()
        response = client.post(url, {"confirm": "yes", "post": "yes"})
        if response.status_code != 403 or b"CSRF verification failed" not in response.content:
            failures.append(f"{url} ({pattern.name}) answered {response.status_code}")

    assert failures == []
    assert all_rows() == before


def signed_in_client(request, form, **client_options):
    client = Client(**client_options)
    user = request.getfixturevalue(form.persona) if form.persona else request.getfixturevalue("officer")
    if form.persona:
        client.force_login(user)
    return client, user


@pytest.mark.parametrize("key", pages.FORMS)
def test_every_form_refuses_a_post_without_a_csrf_token_and_writes_nothing(request, key):
    form = pages.FORMS[key]
    client, user = signed_in_client(request, form, enforce_csrf_checks=True)
    url, data = form.send(client, user)
    before = all_rows()

    refused = client.post(url, data)

    assert refused.status_code == 403 and b"CSRF verification failed" in refused.content
    assert all_rows() == before
    assert not form.did(client, refused)
    # The same post with a token does what the form is for, so the refusal above was the token's.
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)  # an uploaded file, read by the first post
    accepted = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert form.did(client, accepted), f"{key}: answered {accepted.status_code} and did nothing"


@pytest.mark.parametrize("persona", ["officer", "councillor", "admin"])
def test_every_form_on_the_site_is_registered(request, client, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    registered = {pages.form_url_name(key) for key in pages.FORMS}
    missing = set()
    for pattern in pages.url_patterns():
        if pattern.name is None or (pattern.in_admin and not pattern.custom_admin_view):
            continue
        url = pattern.url(user)
        response = client.get(url)
        if response.status_code == 200 and "html" in response["Content-Type"]:
            missing |= {name for name in pages.post_forms(url, response.content.decode()) if name not in registered}
    # The admin's own model pages post to themselves; they are covered by the tests below.
    missing = {name for name in missing if not (name.startswith("admin:") and not _custom(name))}

    assert missing == set(), "add these forms to FORMS in tests/pages.py"


def _custom(name):
    return next(p for p in pages.url_patterns() if p.name == name).custom_admin_view


@pytest.fixture
def staff_without_permissions(roles):
    """A staff user who may view everything in the admin and do nothing else: the permission
    checks, not the admin's staff gate, are what refuse them."""
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


@pytest.mark.parametrize("key", [key for key, form in pages.FORMS.items() if form.permission])
def test_every_form_that_needs_a_permission_refuses_a_user_without_it(request, staff_without_permissions, key):
    form = pages.FORMS[key]
    app_label, codename = form.permission.split(".")
    assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()
    assert not staff_without_permissions.has_perm(form.permission)
    client = Client()
    client.force_login(staff_without_permissions)
    url, data = form.send(client, staff_without_permissions)
    before = all_rows()

    response = client.post(url, data)

    assert response.status_code == 403
    assert all_rows() == before
    assert not form.did(client, response)


DOMAIN_ADMINS = [
    model for model in admin_site.site._registry if model._meta.app_label in {"inspections", "improvement", "scrutiny"}
]


@pytest.mark.parametrize("model", DOMAIN_ADMINS, ids=lambda model: model._meta.label_lower)
def test_a_staff_user_who_may_only_view_changes_nothing_through_the_admin(client, staff_without_permissions, model):
    obj = factory_for(model)()
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    client.force_login(staff_without_permissions)
    before = all_rows()

    responses = {
        "add": client.post(reverse(f"{info}_add"), {}),
        "change": client.post(reverse(f"{info}_change", args=[obj.pk]), {}),
        "delete": client.post(reverse(f"{info}_delete", args=[obj.pk]), {"post": "yes"}),
    }
    action = client.post(
        reverse(f"{info}_changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )

    assert {verb: response.status_code for verb, response in responses.items()} == {
        "add": 403,
        "change": 403,
        "delete": 403,
    }
    assert action.status_code in {200, 302}
    assert all_rows() == before
    assert model._base_manager.filter(pk=obj.pk).exists()
