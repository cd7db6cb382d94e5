from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from config.lists import ListPage
from improvement.filters import ActionFilterSet, MeasureFilterSet, PriorityFilterSet
from improvement.models import Action, ImprovementPlan, Measure, Priority, ProgressUpdate
from improvement.tables import ActionTable, MeasureTable, PriorityTable


def plan(request):
    """Every plan, newest first, with its priorities and their current ratings."""
    priorities = Priority.objects.with_current_rating().select_related("lead").prefetch_related("findings")
    plans = (
        ImprovementPlan.objects.select_related("authority", "independent_chair")
        .prefetch_related("phases", Prefetch("priorities", priorities))
        .order_by("-period_start")
    )
    return render(request, "improvement/plan.html", {"plans": plans})


def priority_detail(request, pk):
    priority = get_object_or_404(
        Priority.objects.with_current_rating()
        .select_related("plan", "lead")
        .prefetch_related(
            "findings__inspection",
            "themes",
            Prefetch("updates", ProgressUpdate.objects.select_related("author")),
            Prefetch(
                "actions", Action.objects.with_current_rating().select_related("owner").prefetch_related("findings")
            ),
            Prefetch("measures", Measure.objects.with_latest_values()),
        ),
        pk=pk,
    )
    breadcrumbs = [("Improvement plan", reverse("improvement:plan")), (str(priority), None)]
    return render(request, "improvement/priority_detail.html", {"priority": priority, "breadcrumbs": breadcrumbs})


class PriorityList(ListPage):
    filterset_class = PriorityFilterSet
    table_class = PriorityTable
    template_name = "improvement/priority_list.html"
    export_name = "priorities"
    noun, singular = "Priorities", "priority"

    def get_queryset(self):
        return Priority.objects.with_current_rating().select_related("lead").prefetch_related("themes")


class ActionList(ListPage):
    filterset_class = ActionFilterSet
    table_class = ActionTable
    template_name = "improvement/action_list.html"
    export_name = "actions"
    noun, singular = "Actions", "action"

    def get_queryset(self):
        return Action.objects.with_current_rating().select_related("priority", "owner")


class MeasureList(ListPage):
    filterset_class = MeasureFilterSet
    table_class = MeasureTable
    template_name = "improvement/measure_list.html"
    export_name = "measures"
    noun, singular = "Measures", "measure"

    def get_queryset(self):
        return Measure.objects.with_latest_rating().select_related("owner").prefetch_related("themes")


def measure_detail(request, pk):
    measure = get_object_or_404(
        Measure.objects.with_latest_values()
        .select_related("priority__plan")
        .prefetch_related("findings__inspection", "themes", "values__source", "comparator_values__group"),
        pk=pk,
    )
    breadcrumbs = [("Measures", reverse("improvement:measure_list")), (measure.title, None)]
    return render(request, "improvement/measure_detail.html", {"measure": measure, "breadcrumbs": breadcrumbs})
