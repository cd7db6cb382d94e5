from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from scrutiny.models import Attendance, Meeting, ScrutinyAction


def meeting_list(request):
    meetings = (
        Meeting.objects.select_related("committee")
        .annotate(
            item_count=Count("agenda_items", distinct=True), action_count=Count("scrutiny_actions", distinct=True)
        )
        .order_by("-date", "committee__name")
    )
    return render(request, "scrutiny/meeting_list.html", {"meetings": meetings})


def meeting_detail(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("committee", "agenda", "record").prefetch_related(
            "agenda_items__inspection",
            "agenda_items__document",
            "discussion_points",
            Prefetch("attendances", Attendance.objects.select_related("person")),
            Prefetch("scrutiny_actions", ScrutinyAction.objects.select_related("owner").prefetch_related("findings")),
        ),
        pk=pk,
    )
    breadcrumbs = [("Scrutiny", reverse("scrutiny:meeting_list")), (str(meeting), None)]
    return render(request, "scrutiny/meeting_detail.html", {"meeting": meeting, "breadcrumbs": breadcrumbs})
