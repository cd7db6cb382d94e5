"""The filters of the plan's list pages: priorities, actions and measures.

Each list follows the home authority's current plan unless another plan is chosen: earlier
plans stay reachable, never mixed in.
"""

import django_filters
from django.db.models import Q
from django.http import QueryDict

from config import record_cache
from config.filters import ListFilterSet, date_filter, yes_filter
from config.lists import rating_filter
from improvement.models import Action, ImprovementPlan, Priority
from inspections.filters import person_filter
from inspections.models import Theme


def theme_filter(field_name):
    return django_filters.ModelChoiceFilter(
        label="Theme", queryset=Theme.objects.all(), to_field_name="slug", field_name=field_name, empty_label="Any"
    )


class PlanFilterSet(ListFilterSet):
    """`plan` is the home authority's current plan unless another is chosen; with no current
    plan, only what belongs to no plan is listed, never every plan mixed together."""

    plan = django_filters.ModelChoiceFilter(
        label="Plan",
        queryset=ImprovementPlan.objects.order_by("-period_start", "title"),
        empty_label=None,
        method="filter_plan",
    )

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("plan"):
            # Worked out once for each state of the record: every export and every list page
            # built afresh reads it, and working it out compares every plan's latest update.
            current = record_cache.cached("current-plan", ImprovementPlan.objects.current)
            data["plan"] = current.pk if current else ""
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset):
        # A filter's method is skipped for an empty value: with no plan, keep only what
        # belongs to no plan.
        if self.form.cleaned_data.get("plan") is None:
            queryset = queryset.filter(self.in_plan(None))
        return super().filter_queryset(queryset)

    def filter_plan(self, queryset, name, plan):
        return queryset.filter(self.in_plan(plan))


class PriorityFilterSet(PlanFilterSet):
    rating = rating_filter("current_rating")
    lead = person_filter("Lead", "lead", "lead_role")
    theme = theme_filter("themes")

    def in_plan(self, plan):
        return Q(plan=plan)


class ActionFilterSet(PlanFilterSet):
    rating = rating_filter("current_rating")
    status = django_filters.ChoiceFilter(label="Status", choices=Action.Status.choices, empty_label="Any")
    owner = person_filter("Owner", "owner", "owner_role")
    theme = theme_filter("priority__themes")
    overdue = yes_filter("Overdue", "Only overdue actions", lambda actions: actions.overdue())
    due_after = date_filter("Due on or after", "due_by", "gte")
    due_before = date_filter("Due on or before", "due_by", "lte")

    def in_plan(self, plan):
        return Q(priority__plan=plan)


class MeasureFilterSet(PlanFilterSet):
    rating = rating_filter("latest_rating")
    owner = person_filter("Owner", "owner")
    theme = theme_filter("themes")

    def in_plan(self, plan):
        # The plan's own measures, and the measures that belong to no plan's priority. The
        # plan's priorities as a subquery: a join here would be made for every measure.
        return Q(priority__in=Priority.objects.filter(plan=plan)) | Q(priority__isnull=True)
