from django.db.models import Count
from django.shortcuts import render

from inspections.models import Inspection


def inspection_list(request):
    inspections = (
        Inspection.objects.select_related("authority", "report")
        .with_overall_judgement()
        .annotate(finding_count=Count("findings"))
        .order_by("-visit_start")
    )
    return render(request, "inspections/inspection_list.html", {"inspections": inspections})
