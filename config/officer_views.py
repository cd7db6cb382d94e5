"""Officers' pages that join the plan and scrutiny, so they sit above both apps: "My work",
and linking a finding to what answers it from the finding's own page."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from config import record_cache
from config.forms import FindingLinkForm
from improvement.models import Action, Measure, Priority
from improvement.officer_views import form_page, posted, unlink_url
from inspections.models import Finding
from scrutiny.models import ScrutinyAction

# What answers a finding directly, in the order the golden thread runs.
ANSWERING_MODELS = (Priority, Action, Measure, ScrutinyAction)


@permission_required("improvement.add_progressupdate", raise_exception=True)
@require_GET
def my_work(request):
    """What the signed-in officer owns or leads, through the person linked to their account;
    from the record cache (keyed by the officer) while the record is unchanged."""
    user = request.user

    def work_out():
        context = {
            "person": getattr(user, "person", None),
            "actions": Action.objects.for_user(user).with_current_rating().select_related("priority").overdue_first(),
            "scrutiny_actions": ScrutinyAction.objects.for_user(user)
            .select_related("meeting__committee")
            .overdue_first(),
            "priorities": Priority.objects.for_user(user).with_current_rating().select_related("plan"),
            "measures": Measure.objects.for_user(user).with_latest_values(),
        }
        return "My work", None, "my_work.html", context

    return record_cache.cached_page(request, f"my-work:{user.pk}", work_out)


def _can_link(user):
    return any(user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}") for model in ANSWERING_MODELS)


@form_page
def finding_links(request, pk):
    """Link a priority, action, measure or scrutiny action to this finding; list what answers
    it directly, each with a way to unlink it."""
    if not _can_link(request.user):
        raise PermissionDenied
    finding = get_object_or_404(Finding.objects.select_related("inspection"), pk=pk)
    candidates = {
        "Priorities": Priority.objects.exclude(findings=finding).select_related("plan"),
        "Actions": Action.objects.exclude(findings=finding).select_related("priority"),
        "Measures": Measure.objects.exclude(findings=finding),
        "Scrutiny actions": ScrutinyAction.objects.exclude(findings=finding).select_related("meeting__committee"),
    }
    form = FindingLinkForm(posted(request), candidates=candidates)
    if form.submit(
        lambda record, expected_version: record.link_findings(
            [finding], by=request.user, expected_version=expected_version
        )
    ):
        messages.success(request, f"{form.cleaned_data['item'][0]} now answers {finding}.")
        return redirect(finding)
    here = reverse("finding_links", args=[finding.pk])
    linked = [
        (record, f"{unlink_url(record, finding)}?next={here}")
        for records in (
            finding.priorities.select_related("plan"),
            finding.actions.select_related("priority"),
            finding.measures.all(),
            finding.scrutiny_actions.select_related("meeting__committee"),
        )
        for record in records
    ]
    context = {"form": form, "finding": finding, "linked": linked, "back_url": finding.get_absolute_url()}
    return render(request, "finding_links_form.html", context)
