"""Demo users: one per role, for trying the app locally. Never created by a migration."""

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q

from config.roles import ADMINISTRATORS, COUNCILLORS, OFFICERS, sync_roles

DEMO_USERS = [
    # username, first name, last name, group
    ("officer", "Olivia", "Officer", OFFICERS),
    ("councillor", "Colin", "Councillor", COUNCILLORS),
    ("admin", "Ada", "Administrator", ADMINISTRATORS),
]


def ensure_roles():
    """Make sure the three groups exist with their permissions (idempotent)."""
    sync_roles(django_apps)


def user_in_role(username, group_name, password, first_name="", last_name=""):
    """Create or update a user so that it has exactly this role and password."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    user.first_name = first_name
    user.last_name = last_name
    user.is_active = True
    user.is_staff = group_name == ADMINISTRATORS
    user.is_superuser = False
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=group_name)])
    return user, created


def link_to_synthetic_people():
    """Link each demo user to a person of the synthetic county, so that their pages show work:
    the officer and the administrator to officers who own actions, measures and scrutiny
    actions (people no synthetic account is linked to), the councillor to a councillor.
    Returns how many links were made; run again, it keeps the links it made."""
    from inspections.models import Person

    User = get_user_model()
    synthetic_name = Q(name__contains="(synthetic")
    owners = Person.objects.filter(synthetic_name, owned_actions__isnull=False).distinct().order_by("pk")
    wanted = {
        "officer": owners.filter(Q(user=None) | Q(user__username="officer")),
        "admin": owners.filter(Q(user=None) | Q(user__username="admin")),
        "councillor": Person.objects.filter(synthetic_name, title="Councillor").filter(
            Q(user=None) | Q(user__username="councillor")
        ),
    }
    linked = 0
    for username, people in wanted.items():
        user = User.objects.get(username=username)
        if Person.objects.filter(user=user).exists():
            continue
        person = people.order_by("pk").first()
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
            linked += 1
    return linked


def publish_past_packs(*, by, count=3):
    """Publish the briefing packs of the latest `count` past meetings of the first committee
    that receives the current plan, through the verb an officer uses; a meeting whose pack
    is already published is left alone. Returns the versions published."""
    from django.utils import timezone

    from improvement.models import ImprovementPlan
    from scrutiny.briefing import briefing_pack_publish
    from scrutiny.models import Committee, Meeting

    plan = ImprovementPlan.objects.current()
    committee = Committee.objects.filter(plans=plan).order_by("pk").first()
    if committee is None:
        return []
    meetings = Meeting.objects.filter(committee=committee, date__lt=timezone.localdate()).order_by("-date")[:count]
    return [
        briefing_pack_publish(meeting=meeting, by=by)
        for meeting in meetings
        if not meeting.briefing_pack_versions.exists()
    ]
