"""The filters of the scrutiny list pages: scrutiny actions and recommendations."""

import django_filters

from config.filters import ListFilterSet, date_filter, yes_filter
from inspections.models import Person
from scrutiny.models import Committee, Recommendation, ScrutinyAction


def committee_filter(field_name):
    return django_filters.ModelChoiceFilter(
        label="Committee or group", queryset=Committee.objects.all(), field_name=field_name, empty_label="Any"
    )


class ScrutinyActionFilterSet(ListFilterSet):
    committee = committee_filter("meeting__committee")
    status = django_filters.ChoiceFilter(label="Status", choices=ScrutinyAction.Status.choices, empty_label="Any")
    overdue = yes_filter("Overdue", "Only overdue scrutiny actions", lambda actions: actions.overdue())
    owner = django_filters.ModelChoiceFilter(
        label="Owner",
        queryset=Person.objects.filter(scrutiny_actions__isnull=False).distinct().order_by("name"),
        empty_label="Anyone",
    )
    due_after = date_filter("Due on or after", "due_date", "gte")
    due_before = date_filter("Due on or before", "due_date", "lte")


class RecommendationFilterSet(ListFilterSet):
    committee = committee_filter("committee")
    status = django_filters.ChoiceFilter(label="Status", choices=Recommendation.Status.choices, empty_label="Any")
    made_after = date_filter("Made on or after", "made_on", "gte")
    made_before = date_filter("Made on or before", "made_on", "lte")
