import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.models import Session
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_POST

from config import golden_thread, record_cache
from improvement.models import Action, ImprovementPlan, rating_counts
from improvement.scorecard import scorecard
from inspections.models import Inspection, count_of
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
    except DatabaseError:
        # Public, so it says what a load balancer needs and nothing about the database's error.
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
@require_GET
def accessibility_statement(request):
    return render(request, "accessibility.html")


# How many of each kind of thing the overview lists before linking to the list of them all.
OVERVIEW_ROWS = 10
OVERVIEW_PRIORITIES = 25


@require_GET
def overview(request):
    """Line of sight in one page, scoped to the home authority and its current plan: the plan's
    priorities and their ratings, the scorecard, overdue actions, open scrutiny actions and the
    next meeting; the latest inspection and what answers its findings. The same for everyone
    who signs in, and opened by many at once: worked out once for each state of the record
    (record_cache), and again at once after any change."""
    main = record_cache.cached("overview", lambda: render_to_string("overview/main.html", _overview()))
    return render(request, "overview.html", {"main": main})


def _overview():
    """What the overview shows: a fixed number of queries, whatever the data."""
    plan = ImprovementPlan.objects.current()
    inspections = Inspection.objects.of_home_authority()
    context = {
        "council_name": settings.COUNCIL_NAME,
        "plan": plan,
        "latest_inspection": inspections.with_overall_judgement().order_by("-visit_start").first(),
    }
    # The most recent inspections whose findings call for an answer; one more is read only to
    # know whether the timeline holds others.
    gaps = list(
        golden_thread.with_gap_counts(inspections)
        .filter(calling_count__gt=0)
        .order_by("-visit_start")[: OVERVIEW_ROWS + 1]
    )
    context |= {"gaps": gaps[:OVERVIEW_ROWS], "more_gaps": len(gaps) > OVERVIEW_ROWS}
    if plan is not None:
        today = timezone.localdate()
        # Each list is the first few of its kind, with how many there are in all (counted in
        # the same query) and a link to the list page of every one: the overview's cost stays
        # the same however large the plan grows.
        priorities = list(
            plan.priorities.with_rating_change().with_rating_counts().select_related("lead")[:OVERVIEW_PRIORITIES]
        )
        open_scrutiny = ScrutinyAction.objects.open().for_plan(plan)
        open_scrutiny_actions = list(
            # Counted by subqueries, not over the rows: these rows join three tables, and
            # counting them would join every open action's.
            open_scrutiny.annotate(
                open_count=count_of(open_scrutiny), overdue_count=count_of(open_scrutiny.filter(due_date__lt=today))
            )
            .select_related("meeting__committee", "owner")
            .order_by(F("due_date").asc(nulls_last=True), "meeting__date", "number")[:OVERVIEW_ROWS]
        )
        overdue = Action.objects.overdue(today).filter(priority__plan=plan)
        overdue_actions = list(
            # Counted by subquery too: counting over the rows would rate every overdue action.
            overdue.with_current_rating()
            .annotate(overdue_count=count_of(overdue))
            .select_related("priority", "owner")
            .order_by("due_by", "priority__number", "number")[:OVERVIEW_ROWS]
        )
        key_measures = scorecard(plan, today, limit=OVERVIEW_ROWS)
        last_meeting, next_meeting = Meeting.objects.for_plan(plan).last_and_next(today)
        first_priority = priorities[0] if priorities else None
        context |= {
            "priorities": priorities,
            "priority_count": first_priority.row_count if first_priority else 0,
            "rating_counts": rating_counts(first_priority),
            "scorecard": key_measures,
            "scorecard_count": key_measures[0].measure.scorecard_size if key_measures else 0,
            "overdue_actions": overdue_actions,
            "overdue_count": overdue_actions[0].overdue_count if overdue_actions else 0,
            "open_scrutiny_actions": open_scrutiny_actions,
            "open_scrutiny_count": open_scrutiny_actions[0].open_count if open_scrutiny_actions else 0,
            "overdue_scrutiny_count": open_scrutiny_actions[0].overdue_count if open_scrutiny_actions else 0,
            "last_meeting": last_meeting,
            "next_meeting": next_meeting,
        }
    return context


@requires_csrf_token
def server_error(request):
    """The 500 page, or a 503 when the database cannot be reached (restarting, failing over),
    which asks the browser to try again shortly. Rendered without the context processors,
    which would query the database again (the request goes in only for its CSP nonce, without
    which the page's own scripts are blocked), and revealing nothing of the error itself."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, (OperationalError, InterfaceError))
    context = {"council_name": settings.COUNCIL_NAME, "service_name": settings.SERVICE_NAME, "request": request}
    html = render_to_string("503.html" if unavailable else "500.html", context)
    response = HttpResponse(html, status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = "10"
    return response


def sign_in_paused(request, credentials, *args):
    """What django-axes shows instead of checking a password once a username and address have
    failed too often: a plain page, with status 429."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


@require_GET
def account(request):
    """The signed-in user's own page: who they are in the record, and signing out everywhere."""
    person = getattr(request.user, "person", None)
    return render(request, "registration/account.html", {"person": person})


@require_POST
def sign_out_everywhere(request):
    """End every session of this user, on every device, this one included."""
    user_id = str(request.user.pk)
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(session_key__in=ended).delete()
    logout(request)
    messages.success(
        request, f"You have been signed out on every device ({len(ended)} sign-in{'s' if len(ended) != 1 else ''})."
    )
    return redirect("login")
