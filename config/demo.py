"""Demo users: one per role, for trying the app locally. Never created by a migration."""

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
