"""A scrutiny action's page, and the officers' form for its progress (see
`improvement.officer_views` for how these pages work)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from improvement.officer_views import form_page, posted
from scrutiny.forms import ScrutinyProgressForm
from scrutiny.models import ScrutinyAction


@require_GET
def action_detail(request, pk):
    action = get_object_or_404(
        ScrutinyAction.objects.select_related("meeting__committee", "agenda_item", "owner").prefetch_related(
            "findings__inspection", "priorities", "measures"
        ),
        pk=pk,
    )
    breadcrumbs = [
        ("Scrutiny", reverse("scrutiny:meeting_list")),
        (str(action.meeting), action.meeting.get_absolute_url()),
        (f"Action {action.number}", None),
    ]
    context = {"action": action, "timeline": action.timeline(), "breadcrumbs": breadcrumbs}
    return render(request, "scrutiny/action_detail.html", context)


@form_page
@permission_required("scrutiny.add_scrutinyactionupdate", raise_exception=True)
def action_progress(request, pk):
    action = get_object_or_404(ScrutinyAction.objects.select_related("meeting__committee"), pk=pk)
    form = ScrutinyProgressForm(posted(request), record=action)
    if form.submit(action.record_progress, by=request.user):
        messages.success(
            request, f"Progress recorded: action {action.number} is {action.get_status_display().lower()}."
        )
        return redirect(action)
    return render(request, "scrutiny/action_progress_form.html", {"form": form, "record": action, "action": action})
