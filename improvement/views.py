from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from improvement.models import Action, ImprovementPlan, Measure, Priority


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
            Prefetch(
                "actions", Action.objects.with_current_rating().select_related("owner").prefetch_related("findings")
            ),
            Prefetch("measures", Measure.objects.with_latest_values()),
        ),
        pk=pk,
    )
    breadcrumbs = [("Improvement plan", reverse("improvement:plan")), (str(priority), None)]
    context = {"priority": priority, "breadcrumbs": breadcrumbs, "timeline": priority.timeline()}
    return render(request, "improvement/priority_detail.html", context)


def measure_list(request):
    measures = Measure.objects.with_latest_values().select_related("priority").prefetch_related("themes")
    return render(request, "improvement/measure_list.html", {"measures": measures})


def measure_detail(request, pk):
    measure = get_object_or_404(
        Measure.objects.with_latest_values()
        .select_related("priority__plan")
        .prefetch_related("findings__inspection", "themes", "values__source", "comparator_values__group"),
        pk=pk,
    )
    breadcrumbs = [("Measures", reverse("improvement:measure_list")), (measure.title, None)]
    context = {"measure": measure, "breadcrumbs": breadcrumbs, "timeline": measure.timeline()}
    return render(request, "improvement/measure_detail.html", context)
