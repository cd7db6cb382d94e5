"""The inspections timeline's filter (which authority's inspections and visits it shows), and
the filter by person that the plan's and scrutiny's lists share."""

import django_filters
from django import forms
from django.http import QueryDict

from config.filters import ListFilterSet
from inspections.models import Authority, Person


def person_filter(label, field, role_field=None):
    """Whoever leads or owns a row (`field`, a foreign key to Person; `role_field`, the role
    given where no person is named), by all or part of the name or role, in any case. A text
    box, not a list: a list of everyone who owns something runs to hundreds of names."""

    def by_name(queryset, name, value):
        # The people first (a short table), then their rows by the foreign key's index; a role
        # counts only where no person is named, as the role field says. A union, not OR, so
        # that each half reads its own index.
        rows = queryset.model.objects
        people = Person.objects.filter(name__icontains=value).values("pk")
        matching = rows.filter(**{f"{field}__in": people}).order_by().values("pk")
        if role_field:
            matching = matching.union(
                rows.filter(**{f"{field}__isnull": True, f"{role_field}__icontains": value}).order_by().values("pk")
            )
        return queryset.filter(pk__in=matching)

    return django_filters.CharFilter(
        label=label,
        method=by_name,
        help_text="All or part of a name or role",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class InspectionFilterSet(ListFilterSet):
    """`authority` is the home authority unless another is chosen: other authorities'
    inspections never appear by default, and are never mixed in with the home authority's."""

    authority = django_filters.ModelChoiceFilter(
        label="Authority", queryset=Authority.objects.all(), to_field_name="short_name", empty_label=None
    )

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        home = Authority.objects.home()
        if not data.get("authority"):
            data["authority"] = home.short_name if home else ""
        super().__init__(data, *args, **kwargs)
        if home is None:
            # Nothing to show by default: say so, rather than seem to show the first authority.
            self.form.fields["authority"].empty_label = "Choose an authority"

    def filter_queryset(self, queryset):
        if self.form.cleaned_data.get("authority") is None:
            return queryset.none()
        return super().filter_queryset(queryset)
