from django.conf import settings
from django.urls import reverse

from config.roles import role_of

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


def service(request):
    """Service name, council name, the signed-in user's role and the navigation."""
    path = request.path
    user = getattr(request, "user", None)
    items = SERVICE_NAVIGATION
    if user is not None and user.has_perm(OFFICER_PERMISSION):
        items = items + OFFICER_NAVIGATION
    navigation = []
    for label, name in items:
        url = reverse(name)
        active = path == url if url == "/" else path.startswith(url)
        navigation.append({"label": label, "url": url, "active": active})
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "service_navigation": navigation,
        "user_role": role_of(user) if user is not None and user.is_authenticated else None,
    }
