"""Every admin page an administrator can reach renders, over the whole loaded record."""

import pytest
from django.contrib import admin as admin_site
from django.core.management import call_command
from django.urls import reverse

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
