"""The monthly bulk update's pages: download a template, upload it, check the preview, confirm.

Officers and Administrators only (`improvement.add_bulkupdate`); the work is done by
`improvement.bulk` and `improvement.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from improvement import spreadsheet
from improvement.bulk import Outcome, template_file
from improvement.bulk_forms import ConfirmForm, TemplateForm, UploadForm
from improvement.models import BulkUpdate, ImprovementPlan
from improvement.services import bulk_update_apply, bulk_update_cancel, bulk_update_preview

can_bulk_update = permission_required("improvement.add_bulkupdate", raise_exception=True)


def _crumbs(*more):
    return [("Improvement plan", reverse("improvement:plan")), *more]


@can_bulk_update
def start(request):
    """Download a template; upload it back."""
    plan = ImprovementPlan.objects.current()
    posted = request.method == "POST"
    upload_form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and upload_form.is_valid():
        try:
            upload = bulk_update_preview(file=upload_form.cleaned_data["file"], by=request.user)
        except spreadsheet.SpreadsheetRefused as refusal:
            upload_form.add_error("file", f"Nothing was changed. {refusal.messages[0]}")
        else:
            return redirect("improvement:bulk_update_preview", upload.pk)
    return _start_page(request, plan, TemplateForm(plan=plan), upload_form)


def _start_page(request, plan, template_form, upload_form):
    context = {
        "plan": plan,
        "template_form": template_form,
        "upload_form": upload_form,
        "form": upload_form if upload_form.errors else template_form,  # the one the error summary is for
        "breadcrumbs": _crumbs(("Bulk update", None)),
    }
    return render(request, "improvement/bulk_update/start.html", context)


@can_bulk_update
@require_GET
def template(request):
    """The template, pre-filled with the current state of what the officer chose."""
    plan = ImprovementPlan.objects.current()
    if plan is None:
        raise Http404("There is no improvement plan yet.")
    form = TemplateForm(request.GET, plan=plan)
    if not form.is_valid():
        return _start_page(request, plan, form, UploadForm())
    name, content = template_file(
        plan,
        form.cleaned_data["scope"],
        form.cleaned_data["file_format"],
        user=request.user,
        priority=form.cleaned_data["priority"],
    )
    response = HttpResponse(content, content_type=spreadsheet.CONTENT_TYPES[form.cleaned_data["file_format"]])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@can_bulk_update
def preview(request, pk):
    """What each row would do; confirm to apply, or cancel."""
    upload = get_object_or_404(BulkUpdate.objects.select_related("plan"), pk=pk, uploaded_by=request.user)
    if upload.status == BulkUpdate.Status.APPLIED:
        return redirect("improvement:bulk_update_result", upload.pk)
    form = ConfirmForm(
        request.POST if request.method == "POST" else None, has_errors=bool(upload.counts.get(Outcome.ERROR))
    )
    problem = None
    if request.method == "POST" and "cancel" in request.POST:
        try:
            bulk_update_cancel(upload=upload, by=request.user)
        except ValidationError as error:
            problem = error.messages[0]
        else:
            messages.info(request, f"{upload.file_name} was cancelled. Nothing was changed.")
            return redirect("improvement:bulk_update")
    elif request.method == "POST" and form.is_valid():
        try:
            upload, applied = bulk_update_apply(
                upload=upload, by=request.user, only_if_all_valid=form.only_if_all_valid
            )
        except ValidationError as error:
            problem = error.messages[0]
        else:
            if applied:
                return redirect("improvement:bulk_update_result", upload.pk)
            errors = upload.counts[Outcome.ERROR]
            problem = (
                f"Nothing was applied: {errors} row{'s' if errors != 1 else ''} "
                f"{'have' if errors != 1 else 'has'} errors, and you chose to apply nothing unless every row is valid."
            )
    context = {
        "upload": upload,
        "rows": _rows(upload),
        "counts": _counts(upload),
        "form": form,
        "problem": problem,
        "can_confirm": upload.status == BulkUpdate.Status.PREVIEWED and not upload.is_expired,
        "breadcrumbs": _crumbs(("Bulk update", reverse("improvement:bulk_update")), (upload.file_name, None)),
    }
    return render(request, "improvement/bulk_update/preview.html", context)


@can_bulk_update
@require_GET
def result(request, pk):
    """What an applied upload changed."""
    upload = get_object_or_404(BulkUpdate, pk=pk, uploaded_by=request.user, status=BulkUpdate.Status.APPLIED)
    context = {
        "upload": upload,
        "rows": _rows(upload, applied=True),
        "counts": _counts(upload, applied=True),
        "breadcrumbs": _crumbs(("Bulk update", reverse("improvement:bulk_update")), (upload.file_name, None)),
    }
    return render(request, "improvement/bulk_update/result.html", context)


def _counts(upload, applied=False):
    return [
        (outcome.applied_label if applied else outcome.label, upload.counts.get(outcome, 0), outcome)
        for outcome in Outcome
    ]


def _rows(upload, applied=False):
    """The stored rows with their outcome in words: a row's tag is never colour alone."""
    rows = []
    for row in upload.rows:
        outcome = Outcome(row["outcome"])
        rows.append({**row, "label": outcome.applied_label if applied else outcome.label, "tag": outcome.tag_colour})
    return rows
