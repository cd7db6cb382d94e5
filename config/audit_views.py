"""The audit trail page (Administrators only): a filter set, a table and a thin view over
`config.audit.audit_trail()`."""

import django_filters
import django_tables2 as tables
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig
from django_tables2.data import TableData

from config.audit import PERMISSION, Path, audit_trail, record_kinds
from config.filters import ListFilterSet, date_filter
from config.lists import PER_PAGE, ListTable, list_title


def _by_user(queryset, name, user):
    return queryset.filter(trail_user=user.pk)


class AuditFilterSet(ListFilterSet):
    """Who, what kind of record, which path, which days. The trail is several sources, each
    narrowed by `filter_queryset()` on the columns they share (`config.audit.TRAIL_COLUMNS`);
    the set's own queryset is never read."""

    user = django_filters.ModelChoiceFilter(
        label="Who", queryset=get_user_model().objects.order_by("username"), empty_label="Anyone", method=_by_user
    )
    record = django_filters.ChoiceFilter(
        label="Kind of record", field_name="trail_record", choices=record_kinds, empty_label="Any"
    )
    path = django_filters.ChoiceFilter(
        label="Made on", field_name="trail_path", choices=Path.choices, empty_label="Any"
    )
    start = date_filter("From", "trail_at", "date__gte")
    end = date_filter("To", "trail_at", "date__lte")

    def __init__(self, data=None):
        super().__init__(data, queryset=LogEntry.objects.none())


class AuditTableData(TableData):
    """An `AuditTrail` as a table's data: counted and sliced in the database."""

    def __len__(self):
        return len(self.data)


class AuditTable(ListTable):
    at = tables.DateTimeColumn(verbose_name="When", format="j F Y, H:i")
    who = tables.Column(verbose_name="Who")
    what = tables.Column(verbose_name="What", empty_values=())
    path_label = tables.Column(verbose_name="Made on")
    changes = tables.Column(verbose_name="Before and after", empty_values=())

    class Meta(ListTable.Meta):
        orderable = False

    def render_what(self, record):
        subject = (
            format_html('<a class="govuk-link" href="{}">{}</a>', record.url, record.subject)
            if record.url
            else record.subject
        )
        return format_html("{}: {}", record.what, subject)

    def render_changes(self, record):
        # Rendered without the request: a cell needs none of the page's context.
        return render_to_string("includes/audit_changes.html", {"record": record})


# Permission first: someone who may not read the trail is told so whatever the method.
@permission_required(PERMISSION, raise_exception=True)
@require_safe
def audit_trail_page(request):
    filterset = AuditFilterSet(request.GET or None)
    if not filterset.is_bound:
        trail = audit_trail()
    elif filterset.is_valid():
        trail = audit_trail(narrow=filterset.filter_queryset)
    else:
        trail = audit_trail(narrow=lambda source: source.none())
    table = AuditTable(AuditTableData(trail))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    context = {"filter": filterset, "table": table, "heading": "Audit trail", "noun": "Changes", "singular": "change"}
    main = render_to_string("audit_trail.html", context, request)
    return render(request, "content_page.html", {"title": list_title(context), "main": main})
