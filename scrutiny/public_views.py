"""The public address: approved briefing packs, readable without signing in.

Every view here is `@login_not_required` and reads only `BriefingPackVersion.objects.approved()`,
rendered through `briefing.public_copy()`: anything else, whatever its id, is a 404.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from scrutiny.briefing import public_copy
from scrutiny.models import BriefingPackVersion

# Public pages may be cached by browsers and proxies for a while: a published version never
# changes, and approval is never withdrawn silently (there is no way to withdraw it).
public_page = cache_control(public=True, max_age=300)


@login_not_required
@require_GET
@public_page
def pack_list(request):
    versions = (
        BriefingPackVersion.objects.approved()
        .defer("content")
        .select_related("meeting__committee", "approval")
        .order_by("-meeting__date", "meeting__committee__name", "-number")
    )
    return render(request, "public/pack_list.html", {"versions": versions})


@login_not_required
@require_GET
@public_page
def pack(request, pk):
    version = get_object_or_404(
        BriefingPackVersion.objects.approved().select_related("meeting__committee", "approval"), pk=pk
    )
    context = {
        "version": version,
        "pack": public_copy(version.pack),
        "breadcrumbs": [("Briefing packs", reverse("public:pack_list")), (str(version.meeting), None)],
    }
    return render(request, "public/pack.html", context)
