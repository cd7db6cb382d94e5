"""The three roles, as Django groups, and the model permissions each carries.

Groups are created and kept in step by data migrations (see `sync_roles`), never by hand, so
every database — SQLite for a newcomer, PostgreSQL in production — has the same roles.
"""

from config.auth import group_names

OFFICERS = "Officers"
COUNCILLORS = "Councillors"
ADMINISTRATORS = "Administrators"

# Singular names shown beside a user's name.
ROLE_LABELS = {
    ADMINISTRATORS: "Administrator",
    OFFICERS: "Officer",
    COUNCILLORS: "Councillor",
}

DOMAIN_APPS = ("inspections", "improvement", "scrutiny")

# Models whose rows are history: nobody changes or deletes them once written.
APPEND_ONLY_MODELS = {"progressupdate", "scrutinyactionupdate", "duedatechange", "fixtureload"}

# Reading the audit trail (config/audit.py): administrators only (`_role_holds`, action "read").
AUDIT_TRAIL_PERMISSION = "inspections.read_audit_trail"

# What officers keep current: the plan, the scorecard and scrutiny actions. Inspections and
# findings come from Ofsted's letters and are loaded by administrators.
OFFICER_APPS = ("improvement", "scrutiny")


def role_of(user):
    """The label of the user's role, the most privileged first; None for no role."""
    names = group_names(user)
    for group, label in ROLE_LABELS.items():
        if group in names:
            return label
    if user.is_superuser:
        return "Administrator"
    return None


def _role_holds(group_name, app_label, model, action):
    """Whether a role holds the permission `<action>_<model>` of a domain app."""
    if model.startswith("historical"):
        # Audit history is read in the admin by administrators only.
        return group_name == ADMINISTRATORS and action == "view"
    is_history = model in APPEND_ONLY_MODELS
    if group_name == COUNCILLORS:
        return action == "view"
    # Briefing packs: officers and administrators publish them (`publish_briefingpack`); only
    # administrators approve a published one for the public (`approve_briefingpack`).
    if group_name == OFFICERS:
        return action in {"view", "publish"} or (
            app_label in OFFICER_APPS and (action == "add" or (action == "change" and not is_history))
        )
    if group_name == ADMINISTRATORS:
        # `read_audit_trail`: the audit trail of every change, for administrators only.
        return action in {"view", "add", "load", "publish", "approve", "read"} or (
            action in {"change", "delete"} and not is_history
        )
    return False


def _codenames_for(group_name, permissions):
    """Pick, from (app_label, model, codename) triples, the ones a role should hold."""
    return [
        (app_label, codename)
        for app_label, model, codename in permissions
        if app_label in DOMAIN_APPS and _role_holds(group_name, app_label, model, codename.split("_", 1)[0])
    ]


def sync_roles(apps, schema_editor=None):
    """Create the three groups and give each exactly its permissions.

    Called from data migrations with the historical `apps`. Permissions for models created
    in the same `migrate` run do not exist yet (Django adds them after migrating), so they
    are created here first.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    triples = [
        (p.content_type.app_label, p.content_type.model, p.codename)
        for p in Permission.objects.select_related("content_type")
    ]
    for group_name in (OFFICERS, COUNCILLORS, ADMINISTRATORS):
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = _codenames_for(group_name, triples)
        if group_name == ADMINISTRATORS:
            wanted += [("auth", "view_user"), ("auth", "view_group")]
        permission_ids = [
            p.pk
            for p in Permission.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in set(wanted)
        ]
        group.permissions.set(permission_ids)
