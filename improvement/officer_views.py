"""Keeping the plan current: an action's page, and the officers' forms.

Each form page is a thin function view: the model's verb does the work, and the form puts
each refusal on the field it concerns (`config.forms.RecordForm`). Only roles holding the
model permission named on the view may open or post the page; others get 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from improvement.forms import (
    ActionProgressForm,
    CorrectValueForm,
    DueDateForm,
    LinkFindingsForm,
    MeasureValueForm,
    RatingForm,
    TargetForm,
    UnlinkFindingForm,
    findings_to_offer,
)
from improvement.models import Action, Measure, MeasureValue, Priority
from inspections.models import Inspection

form_page = require_http_methods(["GET", "POST"])


def posted(request):
    return request.POST if request.method == "POST" else None


@require_GET
def action_detail(request, pk):
    action = get_object_or_404(
        Action.objects.with_current_rating()
        .select_related("priority__plan", "owner")
        .prefetch_related("findings__inspection"),
        pk=pk,
    )
    priority = action.priority
    breadcrumbs = [
        ("Improvement plan", reverse("improvement:plan")),
        (str(priority), priority.get_absolute_url()),
        (str(action), None),
    ]
    context = {"action": action, "timeline": action.timeline(), "breadcrumbs": breadcrumbs}
    return render(request, "improvement/action_detail.html", context)


@form_page
@permission_required("improvement.add_progressupdate", raise_exception=True)
def priority_rate(request, pk):
    priority = get_object_or_404(Priority.objects.select_related("plan"), pk=pk)
    return _rating_page(request, priority, priority.record_rating)


@form_page
@permission_required("improvement.add_progressupdate", raise_exception=True)
def action_rate(request, pk):
    action = get_object_or_404(Action.objects.select_related("priority"), pk=pk)
    return _rating_page(request, action, action.record_progress)


def _rating_page(request, record, verb):
    form = RatingForm(posted(request), record=record)
    if form.submit(verb, by=request.user):
        messages.success(request, f"Rating recorded: {record} is {form.result.get_rating_display()}.")
        return redirect(record)
    context = {"form": form, "record": record, "previous": record.latest_rated_update()}
    return render(request, "improvement/rating_form.html", context)


@form_page
@permission_required("improvement.add_progressupdate", raise_exception=True)
def action_progress(request, pk):
    action = get_object_or_404(Action.objects.select_related("priority"), pk=pk)
    form = ActionProgressForm(posted(request), record=action)
    if form.submit(action.record_progress, by=request.user):
        messages.success(request, f"Progress recorded: {action} is {action.get_status_display().lower()}.")
        return redirect(action)
    return render(request, "improvement/action_progress_form.html", {"form": form, "record": action, "action": action})


@form_page
@permission_required("improvement.change_action", raise_exception=True)
def action_due_date(request, pk):
    action = get_object_or_404(Action.objects.select_related("priority"), pk=pk)
    form = DueDateForm(posted(request), record=action)
    if form.submit(action.move_due_date, by=request.user):
        messages.success(request, f"Due date moved: {action} is now due {action.due_date_display}.")
        return redirect(action)
    return render(request, "improvement/due_date_form.html", {"form": form, "record": action, "action": action})


@form_page
@permission_required("improvement.add_measurevalue", raise_exception=True)
def measure_record_value(request, pk):
    measure = get_object_or_404(Measure, pk=pk)
    form = MeasureValueForm(posted(request), measure=measure)
    if form.submit(measure.record_value, by=request.user):
        value = form.result
        messages.success(request, f"Value recorded: {value.value_display} for {value.period_display}.")
        return redirect(measure)
    return render(request, "improvement/measure_value_form.html", {"form": form, "record": measure, "measure": measure})


@form_page
@permission_required("improvement.change_measurevalue", raise_exception=True)
def value_correct(request, pk):
    value = get_object_or_404(MeasureValue.objects.select_related("measure"), pk=pk)
    recorded = value.value_display
    form = CorrectValueForm(posted(request), record=value)
    if form.submit(value.correct, by=request.user):
        messages.success(
            request, f"Value corrected: {value.period_display} is now {value.value_display} (was {recorded})."
        )
        return redirect(value.measure)
    context = {"form": form, "value": value, "back_url": value.measure.get_absolute_url()}
    return render(request, "improvement/correct_value_form.html", context)


@form_page
@permission_required("improvement.change_measure", raise_exception=True)
def measure_set_target(request, pk):
    measure = get_object_or_404(Measure, pk=pk)
    form = TargetForm(posted(request), record=measure)
    if form.submit(measure.set_target, by=request.user):
        messages.success(request, f"Target saved: {measure.format_value(measure.target)}.")
        return redirect(measure)
    return render(request, "improvement/target_form.html", {"form": form, "record": measure, "measure": measure})


# Linking to findings: one pair of views for priorities, actions, measures and scrutiny
# actions (scrutiny's urls pass its model), each checked against the model's change permission.


def _record_to_change(request, model, pk):
    if not request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
        raise PermissionDenied
    return get_object_or_404(model, pk=pk)


def unlink_url(record, finding):
    """The page that unlinks `record` from `finding` (named `<model>_unlink_finding`)."""
    name = f"{record._meta.app_label}:{record._meta.model_name}_unlink_finding"
    return reverse(name, args=[record.pk, finding.pk])


@form_page
def link_findings(request, pk, model):
    record = _record_to_change(request, model, pk)
    inspections = list(
        Inspection.objects.annotate(finding_count=Count("findings"))
        .filter(finding_count__gt=0)
        .order_by("-visit_start")
    )
    chosen = next((i for i in inspections if str(i.pk) == request.GET.get("inspection")), None)
    chosen = chosen or (inspections[0] if inspections else None)
    form = LinkFindingsForm(posted(request), record=record, findings=findings_to_offer(record, chosen))
    if form.submit(record.link_findings, by=request.user):
        count = len(form.cleaned_data["findings"])
        messages.success(request, f"{record} now answers {count} more finding{'s' if count != 1 else ''}.")
        return redirect(record)
    linked = record.findings.select_related("inspection").in_report_order()
    context = {
        "form": form,
        "record": record,
        "inspections": inspections,
        "chosen": chosen,
        "linked": [(finding, unlink_url(record, finding)) for finding in linked],
    }
    return render(request, "link_findings_form.html", context)


@form_page
def unlink_finding(request, pk, finding_pk, model):
    record = _record_to_change(request, model, pk)
    finding = get_object_or_404(record.findings.select_related("inspection"), pk=finding_pk)
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = record.get_absolute_url()
    form = UnlinkFindingForm(posted(request), record=record)
    if form.submit(record.unlink_finding, by=request.user, finding=finding):
        messages.success(request, f"{record} no longer answers {finding} of {finding.inspection.title}.")
        return redirect(back)
    context = {"form": form, "record": record, "finding": finding, "back_url": back}
    return render(request, "unlink_finding_form.html", context)
