"""Filters for any page: a filter set whose form renders as GOV.UK components inside a GET form
that works without JavaScript, and the filters several lists share. Imports nothing from the
domain apps, so that every app may use it."""

import django_filters
from django import forms

from config.forms import GovukForm


class FilterForm(GovukForm, forms.Form):
    """A filter set's form, rendered by crispy-forms-gds inside the page's GET form."""


class ListFilterSet(django_filters.FilterSet):
    """A filter set whose form renders as GOV.UK components."""

    class Meta:
        form = FilterForm


def yes_filter(legend, label, method):
    """A filter that applies only when its parameter is `yes`: one GOV.UK checkbox."""

    def filter_if_yes(queryset, name, value):
        return method(queryset) if "yes" in value else queryset

    return django_filters.MultipleChoiceFilter(
        label=legend, choices=[("yes", label)], widget=forms.CheckboxSelectMultiple, method=filter_if_yes
    )


def date_filter(label, field_name, lookup_expr):
    return django_filters.DateFilter(
        label=label,
        field_name=field_name,
        lookup_expr=lookup_expr,
        help_text="For example, 31/3/2022",
        error_messages={"invalid": f"{label} must be a real date, for example 31/3/2022"},
        widget=forms.DateInput(attrs={"autocomplete": "off"}),
    )
