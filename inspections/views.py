from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from inspections.filters import InspectionFilterSet
from inspections.models import Finding, FindingFollowUp, Inspection, InspectionInspector


def inspection_list(request):
    """The inspections timeline: every inspection and visit of one authority (the home
    authority unless another is chosen), newest first, with its judgements, inspectors, the
    areas it covered and its findings grouped by kind."""
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
    inspections = timeline.qs
    return render(
        request,
        "inspections/inspection_list.html",
        {"filter": timeline, "authority": timeline.form.cleaned_data.get("authority"), "inspections": inspections},
    )


def inspection_detail(request, pk):
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
    findings_by_kind = {}
    for finding in inspection.findings.all():
        findings_by_kind.setdefault(finding.get_kind_display(), []).append(finding)
    unanswered = set(inspection.findings.unanswered().values_list("pk", flat=True))
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "findings_by_kind": findings_by_kind,
            "unanswered": unanswered,
            "breadcrumbs": [("Inspections", reverse("inspections:inspection_list")), (inspection.title, None)],
        },
    )


def finding_detail(request, pk):
    finding = get_object_or_404(
        Finding.objects.select_related("inspection__authority", "source").prefetch_related(
            "themes",
            Prefetch("follow_ups", FindingFollowUp.objects.select_related("earlier__inspection")),
            Prefetch("later_follow_ups", FindingFollowUp.objects.select_related("finding__inspection")),
        ),
        pk=pk,
    )
    inspection = finding.inspection
    breadcrumbs = [
        ("Inspections", reverse("inspections:inspection_list")),
        (inspection.title, inspection.get_absolute_url()),
        (str(finding), None),
    ]
    return render(
        request,
        "inspections/finding_detail.html",
        {"finding": finding, "answers": finding.answers(), "breadcrumbs": breadcrumbs},
    )
