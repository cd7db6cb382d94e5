"""Who may do what, read once a request.

Django's ModelBackend reads a user's own permissions and their groups' permissions in two
queries, and the role shown beside their name took a third. `RoleBackend` reads all three in
one, the first time any is asked for, and keeps them on the user object for the request. Every
page asks, so what it read is kept in the record cache, under a token of its own that the tables
of roles and permissions replace when they change (`RecordVersion.ROLES`,
`config.record_cache.ROLE_TABLES`): a role given or taken away applies from the next request,
and a write to the record leaves the permissions cached.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, F, Value

from config import record_cache
from config.models import RecordVersion


def group_names(user):
    """The names of the user's groups (their roles), read with their permissions."""
    _load(user)
    return user._group_names


def _load(user):
    if hasattr(user, "_group_names"):
        return
    names, own_perms, group_perms = record_cache.cached(
        f"permissions:{user.pk}", lambda: _read(user), of=RecordVersion.ROLES
    )
    user._group_names = names
    # ModelBackend's own caches; a superuser's hold every permission, which ModelBackend reads itself.
    if not user.is_superuser:
        user._user_perm_cache, user._group_perm_cache = own_perms, group_perms


def _read(user):
    """(the names of the user's groups, their own permissions, their groups' permissions)."""
    own = Permission.objects.filter(user=user).annotate(
        role=Value("", output_field=CharField()), app=F("content_type__app_label"), code=F("codename")
    )
    # A group with no permissions still names a role: the join to its permissions is an outer one.
    groups = Group.objects.filter(user=user).annotate(
        role=F("name"), app=F("permissions__content_type__app_label"), code=F("permissions__codename")
    )
    columns = ("role", "app", "code")
    # Unordered: SQLite allows no ORDER BY (Permission's default) inside a UNION.
    rows = own.order_by().values_list(*columns).union(groups.order_by().values_list(*columns), all=True)
    own_perms, group_perms, names = set(), set(), set()
    for role, app, code in rows:
        if role:
            names.add(role)
        if code:
            (group_perms if role else own_perms).add(f"{app}.{code}")
    return names, own_perms, group_perms


class RoleBackend(ModelBackend):
    """ModelBackend whose permissions and role come from one query a request (`_load`)."""

    def _get_permissions(self, user_obj, obj, from_name):
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            _load(user_obj)
        return super()._get_permissions(user_obj, obj, from_name)
