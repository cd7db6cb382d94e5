"""The filters of the scrutiny list pages: scrutiny actions and recommendations."""

import django_filters

from config.filters import ListFilterSet, date_filter, yes_filter
from improvement.models import ImprovementPlan
from inspections.filters import person_filter
from scrutiny.models import Committee, Recommendation, ScrutinyAction


def committee_filter(field_name):
    return django_filters.ModelChoiceFilter(
        label="Committee or group", queryset=Committee.objects.all(), field_name=field_name, empty_label="Any"
    )


class ScrutinyActionFilterSet(ListFilterSet):
    committee = committee_filter("meeting__committee")
    status = django_filters.ChoiceFilter(label="Status", choices=ScrutinyAction.Status.choices, empty_label="Any")
    open = yes_filter("Open", "Only open scrutiny actions (open or in progress)", lambda actions: actions.open())
    overdue = yes_filter("Overdue", "Only overdue scrutiny actions", lambda actions: actions.overdue())
    plan = django_filters.ModelChoiceFilter(
        label="Plan",
        queryset=ImprovementPlan.objects.order_by("-period_start", "title"),
        empty_label="Any",
        help_text="Raised by the committees that receive the plan, or about its priorities.",
        method="filter_plan",
    )
    owner = person_filter("Owner", "owner", "owner_role")
    due_after = date_filter("Due on or after", "due_date", "gte")
    due_before = date_filter("Due on or before", "due_date", "lte")

    def filter_plan(self, queryset, name, plan):
        return queryset.for_plan(plan)


class RecommendationFilterSet(ListFilterSet):
    committee = committee_filter("committee")
    status = django_filters.ChoiceFilter(
        label="Status", choices=Recommendation.Status.choices, empty_label="Any", method="filter_status"
    )
    made_after = date_filter("Made on or after", "made_on", "gte")
    made_before = date_filter("Made on or before", "made_on", "lte")

    def filter_status(self, queryset, name, status):
        # A recommendation with no status recorded is awaiting its response, as one marked "made" is.
        if status == Recommendation.Status.MADE:
            return queryset.filter(status__in=[Recommendation.Status.MADE, ""])
        return queryset.filter(status=status)
