from collections import Counter

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from improvement.models import Action, Priority
from inspections.models import Finding, Inspection
from scrutiny.models import Meeting, ScrutinyAction


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": "unavailable", "detail": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
def accessibility_statement(request):
    return render(request, "accessibility.html")


def overview(request):
    """Line of sight in one page: the latest inspection, what answers its findings, the plan's
    ratings, overdue actions and scrutiny. A fixed handful of queries, whatever the data."""
    ratings = Counter(Priority.objects.with_current_rating().values_list("current_rating", flat=True))
    context = {
        "latest_inspection": Inspection.objects.select_related("authority").with_overall_judgement().first(),
        "finding_count": Finding.objects.count(),
        "unanswered_count": Finding.objects.unanswered().count(),
        "priority_ratings": [(rating, ratings.get(rating, 0)) for rating in ("red", "amber", "green")],
        "unrated_priorities": ratings.get(None, 0),
        "overdue_actions": Action.objects.overdue().count(),
        "open_scrutiny_actions": ScrutinyAction.objects.open().count(),
        "latest_meeting": Meeting.objects.past().select_related("committee").first(),
        "next_meeting": Meeting.objects.upcoming().select_related("committee").first(),
    }
    return render(request, "overview.html", context)
