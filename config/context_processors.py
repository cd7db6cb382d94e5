from django.conf import settings
from django.urls import reverse

from config import synthetic
from config.roles import AUDIT_TRAIL_PERMISSION, role_of

# The service navigation, in the order the council's papers follow the golden thread.
SERVICE_NAVIGATION = [
    ("Overview", "home"),
    ("Inspections", "inspections:inspection_list"),
    ("Improvement plan", "improvement:plan"),
    ("Measures", "improvement:measure_list"),
    ("Scrutiny", "scrutiny:meeting_list"),
]
# Shown only to those who keep the plan current (officers and administrators).
OFFICER_NAVIGATION = [("My work", "my_work")]
OFFICER_PERMISSION = "improvement.add_progressupdate"
# Shown only to administrators.
AUDIT_NAVIGATION = [("Audit trail", "audit_trail")]


def navigation_for(path, user):
    """The navigation items, the one whose address is the longest start of `path` marked
    current (only one: /plan/measures/3/ is under Measures, not also under Improvement plan),
    My work for those who keep the plan current, the audit trail for administrators, and the
    admin for those who may use it."""
    signed_in = user is not None and user.is_authenticated
    names = SERVICE_NAVIGATION + (OFFICER_NAVIGATION if signed_in and user.has_perm(OFFICER_PERMISSION) else [])
    names += AUDIT_NAVIGATION if signed_in and user.has_perm(AUDIT_TRAIL_PERMISSION) else []
    items = [{"label": label, "url": reverse(name)} for label, name in names]
    if signed_in and user.is_staff:
        items.append({"label": "Admin", "url": reverse("admin:index")})
    matches = [item for item in items if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))]
    current = max(matches, key=lambda item: len(item["url"]), default=None)
    for item in items:
        item["active"] = item is current
    return items


def service(request):
    """Service name, council name, the signed-in user's role and the navigation."""
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "service_navigation": navigation_for(request.path, user),
        "user_role": role_of(user) if user is not None and user.is_authenticated else None,
        # Every page of a synthetic county says so, whoever set it up (`make demo`, `make bench`).
        "synthetic_notice": synthetic.LABEL if settings.HOME_AUTHORITY == synthetic.SHORT_NAME else None,
    }
