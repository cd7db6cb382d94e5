"""Every admin page an administrator can reach renders, over the whole loaded record."""

import pytest
from django.contrib import admin as admin_site
from django.core.management import call_command
from django.forms.models import _get_foreign_key
from django.urls import reverse

from improvement.admin import HistoryInline
from tests.factories import factory_for
from tests.pages import INLINE_ROWS, PARENTS, admin_form_data

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"inspections", "improvement", "scrutiny"}
REGISTERED = [model for model in admin_site.site._registry if model._meta.app_label in DOMAIN_APPS]


@pytest.fixture
def record():
    call_command("load_letters", verbosity=0)


def test_admin_pages_render_for_an_administrator(client, admin, record):
    # One test over every model, so that the record is loaded once.
    client.force_login(admin)
    failures = []
    for model in REGISTERED:
        app_label, model_name = model._meta.app_label, model._meta.model_name
        urls = [reverse(f"admin:{app_label}_{model_name}_changelist"), reverse(f"admin:{app_label}_{model_name}_add")]
        obj = model._default_manager.first()
        if obj is not None:
            urls += [
                reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]),
                reverse(f"admin:{app_label}_{model_name}_history", args=[obj.pk]),
            ]
        for url in urls:
            status = client.get(url).status_code
            # 403: adding is refused where the model is history (progress updates).
            if status not in {200, 403} or (status == 403 and "/add/" not in url):
                failures.append(f"{url}: {status}")

    assert failures == []


def test_progress_updates_cannot_be_changed_or_deleted_in_the_admin(client, admin, record):
    from improvement.models import ProgressUpdate

    client.force_login(admin)
    update = ProgressUpdate.objects.first()

    response = client.post(reverse("admin:improvement_progressupdate_delete", args=[update.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


@pytest.mark.parametrize("persona", ["officer", "councillor"])
def test_officers_and_councillors_do_not_use_the_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


RECORDING_INLINES = [
    (model, inline)
    for model, model_admin in admin_site.site._registry.items()
    for inline in model_admin.inlines
    if any(field.name == "recorded_by" for field in inline.model._meta.get_fields())
]


def _read_only(inline):
    return issubclass(inline, HistoryInline)


def test_ratings_and_scrutiny_updates_are_only_read_in_the_admin():
    # They are recorded through their verbs on the officers' pages, which keep versions and dates.
    assert {inline.model._meta.label_lower for _, inline in RECORDING_INLINES if _read_only(inline)} >= {
        "improvement.progressupdate",
        "scrutiny.scrutinyactionupdate",
    }


@pytest.mark.parametrize(
    ("model", "inline"),
    RECORDING_INLINES,
    ids=[f"{m._meta.model_name}-{i.model._meta.model_name}" for m, i in RECORDING_INLINES],
)
def test_the_admin_records_who_added_each_row_of_history_or_adds_none(client, admin, model, inline):
    label = inline.model._meta.label_lower
    assert label in INLINE_ROWS, f"add what a new {label} row sends to INLINE_ROWS in tests/pages.py"
    parent = factory_for(model)(**PARENTS.get(model._meta.label_lower, {}))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[parent.pk])
    prefix = _get_foreign_key(model, inline.model, fk_name=inline.fk_name).remote_field.get_accessor_name()
    client.force_login(admin)
    data = admin_form_data(client, url)
    rows = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    data.update({f"{prefix}-TOTAL_FORMS": str(rows + 1), f"{prefix}-INITIAL_FORMS": str(rows)})
    data.update({f"{prefix}-{rows}-{name}": value for name, value in INLINE_ROWS[label].items()})

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    if _read_only(inline):
        assert not getattr(parent, prefix).exists()
    else:
        assert getattr(parent, prefix).get().recorded_by == admin
