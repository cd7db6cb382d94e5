"""What every list page shares: a GOV.UK table (django-tables2), a filter form that works
without JavaScript (django-filter, rendered by crispy-forms-gds), pagination, and export of
exactly the filtered rows to CSV and Excel.

A list page is a `FooFilterSet` (on `config.filters.ListFilterSet`) and a `FooTable` (beside
each other in the app's `filters.py` and `tables.py`) and a `ListPage` subclass naming them.
The page and its exports are one view, so they pass the same sign-in check and the same
filters: an export never holds a row or a column the page would not show.
"""

import django_filters
import django_tables2 as tables
from django.db.models import Case, IntegerField, When
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django_filters.views import FilterView
from django_tables2.export import ExportMixin, TableExport
from tablib import Dataset

from config import record_cache
from improvement.models import Rating

PER_PAGE = 25
# An export up to this size is kept in the record cache; a larger one is made afresh each time,
# so that the cache's entries stay the size of pages.
KEPT_EXPORT_BYTES = 256 * 1024
# The most rows a page lists whatever `?per_page=` asks: a list of every row is an export.
MAX_PER_PAGE = 100

# A spreadsheet treats a cell that starts with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """A text cell that a spreadsheet would run as a formula, made plain text by a leading
    apostrophe; everything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetExport(TableExport):
    """CSV and Excel only, every text cell escaped against formula injection."""

    FORMATS = {format_: TableExport.FORMATS[format_] for format_ in (TableExport.CSV, TableExport.XLSX)}

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in cls.FORMATS

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        rows = table.as_values(exclude_columns=exclude_columns)
        dataset = Dataset(headers=next(rows), **(dataset_kwargs or {}))
        for row in rows:
            dataset.append([escape_formula(cell) for cell in row])
        return dataset


# An open action past its due date, in words as well as colour.
OVERDUE = mark_safe('<strong class="govuk-tag govuk-tag--red">Overdue</strong>')


class ListTable(tables.Table):
    """A GOV.UK table (`templates/includes/table.html`): sortable headers, GOV.UK pagination."""

    class Meta:
        template_name = "includes/table.html"
        attrs = {"class": "govuk-table app-list-table"}
        per_page = PER_PAGE

    def paginate(self, *args, per_page=None, **kwargs):
        return super().paginate(*args, per_page=min(per_page or PER_PAGE, MAX_PER_PAGE), **kwargs)


class RatingColumn(tables.Column):
    """A RAG rating as a tag with its word (`includes/rag.html`); the word alone in exports."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", "Rating")
        # Render "Not rated" for an empty rating rather than the table's default.
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, value):
        return render_to_string("includes/rag.html", {"rating": value})

    def value(self, value):
        return Rating(value).label if value else "Not rated"

    def order(self, queryset, is_descending):
        """Worst first: red, amber, green, then not rated."""
        field = self.accessor.replace(".", "__")
        rank = Case(
            *[When(**{field: rating}, then=position) for position, rating in enumerate(Rating.values)],
            default=len(Rating.values),
            output_field=IntegerField(),
        )
        direction = "-" if is_descending else ""
        return queryset.annotate(rating_rank=rank).order_by(f"{direction}rating_rank", f"{direction}pk"), True


def rating_filter(field_name):
    """Red, amber, green, or `none` for not rated, read from the annotation `field_name`."""

    def filter_by_rating(queryset, name, value):
        if value == "none":
            return queryset.filter(**{f"{field_name}__isnull": True})
        return queryset.filter(**{field_name: value})

    return django_filters.ChoiceFilter(
        label="Rating", choices=[*Rating.choices, ("none", "Not rated")], empty_label="Any", method=filter_by_rating
    )


def list_title(context):
    """A list page's title: its heading and how many rows match, after "Error: " when a filter
    is wrong (as the GOV.UK pattern for a page with errors has it)."""
    error = "Error: " if context["filter"].form.errors else ""
    return f"{error}{context.get('heading') or context['noun']} ({context['table'].paginator.count})"


def _keep_export(response):
    """Whether to keep an export's response: not the page shown instead for a wrong filter,
    nor an export too large for the cache."""
    return response.has_header("Content-Disposition") and len(response.content) <= KEPT_EXPORT_BYTES


class ListPage(ExportMixin, tables.SingleTableMixin, FilterView):
    """A filtered, sorted, paginated list with CSV and Excel exports of the filtered rows.

    Subclasses name `filterset_class`, `table_class`, `template_name`, `export_name` and
    `noun` and `singular` (as the heading and the count say them: "Actions (12)", "1 action")."""

    export_class = SpreadsheetExport
    export_formats = (TableExport.CSV, TableExport.XLSX)
    # The table paginates; the ListView's own pagination is left off so nothing is counted twice.
    paginate_by = None
    table_pagination = {"per_page": PER_PAGE}
    noun = ""
    singular = ""

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"

    def get(self, request, *args, **kwargs):
        """The page, or an export of its rows, from the record cache while the record is
        unchanged (many councillors read the same lists before a committee). The key is the
        whole address, so each filter, sort, page and format is its own entry."""
        key = request.get_full_path()
        if self.exporting():
            # The response itself is kept (responses pickle); middleware adds its headers to
            # the copy served.
            response = record_cache.cached(
                f"export:{key}", lambda: super(ListPage, self).get(request, *args, **kwargs), keep=_keep_export
            )
            if response.has_header("Content-Disposition"):
                return response
            # A wrong filter exports nothing: the page, laid out with its errors, instead.

        def work_out():
            context = super(ListPage, self).get(request, *args, **kwargs).context_data
            return list_title(context), None, self.template_name, context

        return record_cache.cached_page(request, f"list:{key}", work_out)

    def exporting(self):
        """Whether the request asks for an export in a format the page offers."""
        return self.export_class.is_valid_format(self.request.GET.get(self.export_trigger_param))

    def get_table_pagination(self, table):
        # An export holds every filtered row: nothing to count or page. A wrong filter exports
        # nothing, and its page (with the errors) pages as any other.
        if self.exporting() and self.filterset.is_valid():
            return False
        return super().get_table_pagination(table)

    def render_to_response(self, context, **kwargs):
        # Export only what the page would list: never the unfiltered rows behind a bad filter.
        if self.filterset.is_bound and not self.filterset.is_valid():
            return super(ExportMixin, self).render_to_response(context, **kwargs)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["noun"], context["singular"] = self.noun, self.singular
        context["export_formats"] = [("CSV", TableExport.CSV), ("Excel", TableExport.XLSX)]
        return context
