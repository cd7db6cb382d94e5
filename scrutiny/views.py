from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from config.lists import ListPage
from scrutiny.filters import RecommendationFilterSet, ScrutinyActionFilterSet
from scrutiny.models import Attendance, Meeting, Recommendation, ScrutinyAction
from scrutiny.tables import RecommendationTable, ScrutinyActionTable


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


class ScrutinyActionList(ListPage):
    filterset_class = ScrutinyActionFilterSet
    table_class = ScrutinyActionTable
    template_name = "scrutiny/scrutiny_action_list.html"
    export_name = "scrutiny-actions"
    noun, singular = "Scrutiny actions", "scrutiny action"

    def get_queryset(self):
        return ScrutinyAction.objects.select_related("meeting__committee", "owner")


class RecommendationList(ListPage):
    filterset_class = RecommendationFilterSet
    table_class = RecommendationTable
    template_name = "scrutiny/recommendation_list.html"
    export_name = "recommendations"
    noun, singular = "Recommendations", "recommendation"

    def get_queryset(self):
        return Recommendation.objects.select_related("committee", "meeting__committee")
