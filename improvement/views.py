from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from config import record_cache
from config.lists import ListPage
from improvement.charts import measure_chart, measure_table
from improvement.filters import ActionFilterSet, MeasureFilterSet, PriorityFilterSet
from improvement.models import (
    Action,
    ComparatorValue,
    ImprovementPlan,
    Measure,
    MeasureValue,
    Priority,
)
from improvement.tables import ActionTable, MeasureTable, PriorityTable


def _plan_page(request, plan):
    """A plan in full, and every plan listed with its dates: the home authority's current plan
    first, then its earlier plans, then other authorities', each most recently reported first."""
    current = ImprovementPlan.objects.current()
    plans = sorted(
        ImprovementPlan.objects.select_related("authority").with_latest_update(),
        key=lambda other: (
            other != current,
            other.authority.short_name != settings.HOME_AUTHORITY,
            -other.last_reported.toordinal(),
            -other.pk,
        ),
    )
    if plan is not None:
        priorities = Priority.objects.with_rating_change().select_related("lead").prefetch_related("findings")
        plan = (
            ImprovementPlan.objects.select_related("authority", "independent_chair")
            .with_latest_update()
            .prefetch_related("phases", Prefetch("priorities", priorities))
            .get(pk=plan.pk)
        )
    return render(request, "improvement/plan.html", {"plan": plan, "plans": plans, "current": current})


@require_GET
def plan(request):
    """The home authority's current plan, with earlier plans listed, never mixed in."""
    return _plan_page(request, ImprovementPlan.objects.current())


@require_GET
def plan_detail(request, pk):
    return _plan_page(request, get_object_or_404(ImprovementPlan, pk=pk))


@require_GET
def priority_detail(request, pk):
    def work_out():
        priority = get_object_or_404(
            Priority.objects.with_current_rating()
            .select_related("plan", "lead")
            .prefetch_related(
                "findings__inspection",
                "themes",
                Prefetch(
                    "actions",
                    Action.objects.with_current_rating().select_related("owner").prefetch_related("findings"),
                ),
                Prefetch("measures", Measure.objects.with_latest_values()),
            ),
            pk=pk,
        )
        breadcrumbs = [("Improvement plan", reverse("improvement:plan")), (str(priority), None)]
        context = {"priority": priority, "timeline": priority.timeline()}
        return str(priority), breadcrumbs, "improvement/priority_detail.html", context

    return record_cache.cached_page(request, f"priority:{pk}", work_out)


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
        return Action.objects.with_current_rating().select_related("priority", "owner").in_plan_order()


class MeasureList(ListPage):
    filterset_class = MeasureFilterSet
    table_class = MeasureTable
    template_name = "improvement/measure_list.html"
    export_name = "measures"
    noun, singular = "Measures", "measure"

    def get_queryset(self):
        # Owners by a second query, not a join: PostgreSQL cannot estimate how many measures a
        # rating filter keeps, and joined every measure to every person to find out.
        return Measure.objects.with_latest_rating().prefetch_related("owner", "themes")


@require_GET
def measure_detail(request, pk):
    def work_out():
        measure = get_object_or_404(
            Measure.objects.with_latest_values()
            .select_related("priority__plan")
            .prefetch_related(
                "findings__inspection",
                "priority__findings__inspection",
                "themes",
                Prefetch("values", MeasureValue.objects.select_related("source").latest_first()),
                Prefetch("comparator_values", ComparatorValue.objects.select_related("group")),
            ),
            pk=pk,
        )
        breadcrumbs = [("Measures", reverse("improvement:measure_list")), (measure.title, None)]
        context = {
            "measure": measure,
            "chart": measure_chart(measure),
            "table": measure_table(measure),
            "trajectory": measure.trajectory(),
            "timeline": measure.timeline(),
        }
        return measure.title, breadcrumbs, "improvement/measure_detail.html", context

    return record_cache.cached_page(request, f"measure:{pk}", work_out)
