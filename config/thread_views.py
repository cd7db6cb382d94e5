"""Pages that follow the golden thread across the apps: an inspection with what answers its
findings, its coverage, and a finding's trace. They keep the inspections app's URLs
(`config/urls.py`) but live here, above the apps they join."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, F, Prefetch, Window
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from config import golden_thread, record_cache
from inspections.models import Finding, FindingFollowUp, Inspection, InspectionInspector, VisitArea


def _inspection_crumbs(inspection, *rest):
    return [
        ("Inspections", reverse("inspections:inspection_list")),
        (inspection.title, inspection.get_absolute_url() if rest else None),
        *rest,
    ]


@require_GET
def inspection_detail(request, pk):
    """What an inspection found, by kind, marking each finding that calls for an answer and has none."""
    inspection = get_object_or_404(
        Inspection.objects.select_related("authority", "report")
        .with_overall_judgement()
        .prefetch_related(
            "judgements",
            "areas_covered__revisits__inspection",
            Prefetch("inspection_inspectors", InspectionInspector.objects.select_related("person")),
            Prefetch("findings", Finding.objects.prefetch_related("themes").in_report_order()),
        ),
        pk=pk,
    )
    findings_by_kind = inspection.findings_by_kind()
    unanswered = set(golden_thread.unanswered(inspection.findings.all()).values_list("pk", flat=True))
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "findings_by_kind": findings_by_kind,
            "calling_count": sum(len(f) for kind, f in findings_by_kind if kind.calls_for_answer),
            "unanswered": unanswered,
            "breadcrumbs": _inspection_crumbs(inspection),
        },
    )


@require_GET
def coverage(request, pk):
    """Every finding of the inspection that calls for an answer, with how much answers it."""

    def work_out():
        inspection = get_object_or_404(Inspection.objects.select_related("authority"), pk=pk)
        findings = list(golden_thread.coverage(inspection))
        context = {
            "inspection": inspection,
            "findings": findings,
            "gap_count": sum(1 for finding in findings if not finding.answers_count),
        }
        crumbs = _inspection_crumbs(inspection, ("Coverage", None))
        return f"Coverage – {inspection.title}", crumbs, "inspections/coverage.html", context

    return record_cache.cached_page(request, f"coverage:{pk}", work_out)


@require_GET
def finding_trace(request, pk):
    """A finding's golden thread: where it comes from, what later visits said of it, and
    everything that answers it."""

    def work_out():
        finding = get_object_or_404(
            Finding.objects.select_related("inspection__authority", "inspection__report", "source").prefetch_related(
                "themes",
                Prefetch("follow_ups", FindingFollowUp.objects.select_related("earlier__inspection")),
                # The first few, with how many there are in all: a finding many visits return to
                # would otherwise list every one.
                Prefetch(
                    "later_follow_ups",
                    FindingFollowUp.objects.select_related("finding__inspection")
                    .annotate(revisits_count=Window(Count("pk"), partition_by=F("earlier")))
                    .order_by("finding__inspection__visit_start", "finding__number", "pk")[: golden_thread.TRACE_ITEMS],
                    to_attr="first_later_follow_ups",
                ),
                Prefetch("revisiting_areas", VisitArea.objects.select_related("inspection")),
            ),
            pk=pk,
        )
        answering, not_counted = golden_thread.trace(finding)
        context = {
            "finding": finding,
            "kind": Finding.Kind(finding.kind),
            "answering": answering,
            "answering_count": sum(answers["total"] for answers in answering),
            "not_counted": not_counted,
        }
        crumbs = _inspection_crumbs(finding.inspection, (str(finding), None))
        return f"{finding} – {finding.inspection.title}", crumbs, "inspections/finding_detail.html", context

    return record_cache.cached_page(request, f"finding:{pk}", work_out)


# How many answers of one kind a page of `finding_answers` lists.
ANSWERS_PAGE = 50


@require_GET
def finding_answers(request, pk, kind):
    """Every answer of one kind to a finding, a page at a time: where the trace's "all" link
    goes when a finding has more answers of a kind than its page lists."""
    finding = get_object_or_404(Finding.objects.select_related("inspection"), pk=pk)
    kinds = {golden_thread.kind_of(name)["slug"]: name for name in golden_thread.ANSWERS}
    if kind not in kinds:
        raise Http404("No such kind of answer.")
    answers = golden_thread.kind_of(kinds[kind])
    records = golden_thread.answers(finding)[kinds[kind]]
    records = records.order_by(*records.model._meta.ordering, "pk")
    try:
        page = Paginator(records, ANSWERS_PAGE).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page.") from None
    here = (str(finding), finding.get_absolute_url())
    crumbs = _inspection_crumbs(finding.inspection, here, (answers["title"], None))
    return render(
        request,
        "inspections/finding_answers.html",
        {"finding": finding, "answers": answers, "page": page, "breadcrumbs": crumbs},
    )
