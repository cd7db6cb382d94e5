from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.views.decorators.http import require_GET

from config import record_cache
from inspections.filters import InspectionFilterSet
from inspections.models import Finding, Inspection, InspectionInspector

# Each inspection shows everything it found, so a page holds a few of them.
INSPECTIONS_PER_PAGE = 10


@require_GET
def inspection_list(request):
    """The inspections timeline: every inspection and visit of one authority (the home
    authority unless another is chosen), newest first, with its judgements, inspectors, the
    areas it covered and its findings grouped by kind; from the record cache while the record
    is unchanged (each filter and page its own entry)."""

    def work_out():
        inspections = (
            Inspection.objects.select_related("authority", "report")
            .prefetch_related(
                "judgements",
                "areas_covered",
                Prefetch("inspection_inspectors", InspectionInspector.objects.select_related("person")),
                Prefetch("findings", Finding.objects.in_report_order()),
            )
            .order_by("-visit_start")
        )
        timeline = InspectionFilterSet(request.GET or None, queryset=inspections)
        page = Paginator(timeline.qs, INSPECTIONS_PER_PAGE).get_page(request.GET.get("page"))
        context = {"filter": timeline, "authority": timeline.form.cleaned_data.get("authority"), "inspections": page}
        title = f"{'Error: ' if timeline.form.errors else ''}Inspections timeline"
        return title, None, "inspections/inspection_list.html", context

    return record_cache.cached_page(request, f"inspections:{request.get_full_path()}", work_out)
