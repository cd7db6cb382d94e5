"""`make demo`: a small synthetic county, labelled on every page, with demo users who own work
and packs published for past meetings; set up again, it changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from config import synthetic
from scrutiny.models import BriefingPackVersion

pytestmark = pytest.mark.django_db


def seed_demo():
    call_command("seed_demo", scale=0.05, stdout=StringIO())


def test_the_demo_users_own_work_in_a_labelled_county_with_published_packs(client, settings):
    settings.HOME_AUTHORITY = synthetic.SHORT_NAME
    seed_demo()
    officer = get_user_model().objects.get(username="officer")

    assert officer.person.owned_actions.exists()
    assert "(synthetic" in get_user_model().objects.get(username="councillor").person.name
    assert BriefingPackVersion.objects.count() == 3
    client.force_login(officer)
    page = client.get(reverse("my_work")).content.decode()
    assert 'id="synthetic-data-banner"' in page
    assert "Synthetic data: invented for testing and demonstration" in page
    assert 'id="no-person"' not in page


def test_setting_up_the_demo_again_changes_nothing(settings):
    settings.HOME_AUTHORITY = synthetic.SHORT_NAME
    seed_demo()
    people = sorted(get_user_model().objects.exclude(person=None).values_list("username", "person"))

    seed_demo()

    assert sorted(get_user_model().objects.exclude(person=None).values_list("username", "person")) == people
    assert BriefingPackVersion.objects.count() == 3


def test_it_refuses_to_run_unless_the_dashboards_follow_the_synthetic_county():
    with pytest.raises(CommandError, match="HOME_AUTHORITY=Synthetica"):
        seed_demo()


def test_the_real_record_shows_no_synthetic_banner(client, officer):
    client.force_login(officer)
    assert 'id="synthetic-data-banner"' not in client.get(reverse("home")).content.decode()
