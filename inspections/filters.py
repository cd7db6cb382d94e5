"""The inspections timeline's filter (which authority's inspections and visits it shows), and
the filter by person that the plan's and scrutiny's lists share."""

import django_filters
from django.db.models import Exists, OuterRef
from django.http import QueryDict

from config.filters import ListFilterSet
from inspections.models import Authority, Person


def person_filter(label, rows, field):
    """Everyone who leads or owns at least one row of the list (`rows`, by `field`), by name."""
    # EXISTS reads the index of `field` once per person; a join with DISTINCT read every row.
    return django_filters.ModelChoiceFilter(
        label=label,
        queryset=Person.objects.filter(Exists(rows.filter(**{field: OuterRef("pk")}))).order_by("name"),
        empty_label="Anyone",
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
