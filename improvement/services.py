"""Workflows that span several records, each one keyword-only function in one transaction."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from improvement import bulk, spreadsheet
from improvement.models import BulkUpdate, ImprovementPlan


def bulk_update_preview(*, file, by):
    """Record an uploaded file and what each of its rows would do, changing nothing else.

    A file that cannot be read as the template is recorded as refused, and its refusal raised
    (`spreadsheet.SpreadsheetRefused`). Otherwise every row's verbs run inside savepoints that
    are rolled back, so the preview says exactly what confirming would do."""
    BulkUpdate.objects.expire_previews()
    # A file over the limit is not even read; its record keeps the size it claimed.
    content = file.read() if file.size <= settings.BULK_UPDATE_MAX_BYTES else b""
    upload = BulkUpdate(
        uploaded_by=by, file_name=file.name[:255], sha256="", size=file.size, plan=ImprovementPlan.objects.current()
    )
    try:
        if file.size > settings.BULK_UPDATE_MAX_BYTES:
            raise spreadsheet.too_large(file.name, file.size)
        sheet = spreadsheet.read(file.name, content)
        if upload.plan is None:
            raise spreadsheet.SpreadsheetRefused("There is no improvement plan to update yet.", code="no_plan")
    except spreadsheet.SpreadsheetRefused as refusal:
        upload.status, upload.refused_because = BulkUpdate.Status.REFUSED, refusal.messages[0]
        upload.sha256 = hashlib.sha256(content).hexdigest()
        upload.save()
        raise
    with transaction.atomic():
        upload.sha256, upload.content = sheet.sha256, content
        upload.save()
        results = bulk.check_rows(sheet.rows, plan=upload.plan, by=by, via=upload.via, apply=False)
        upload.rows = [result.as_json() for result in results]
        upload.counts = bulk.counts(results)
        upload.save(update_fields=["rows", "counts"])
    return upload


@transaction.atomic
def bulk_update_apply(*, upload, by, only_if_all_valid):
    """Apply a previewed upload's valid rows through the verbs, attributed to `by` and naming
    the file; or, with `only_if_all_valid`, nothing at all unless every row is valid.

    Rows are checked again as they are applied (the plan may have changed since the preview):
    a row someone else changed meanwhile is an error, never applied over their change. Returns
    the upload with each row's result, and whether it was applied (False when nothing was,
    because a row has an error and the officer asked for all or nothing)."""
    upload = BulkUpdate.objects.select_for_update().get(pk=upload.pk)
    if upload.is_expired:
        hours = int(BulkUpdate.PREVIEW_LIFETIME.total_seconds() // 3600)
        raise ValidationError(
            f"The preview of {upload.file_name} has expired: previews are kept for {hours} hours. "
            "Upload the file again.",
            code="expired",
        )
    if upload.status != BulkUpdate.Status.PREVIEWED:
        raise ValidationError(
            f"{upload.file_name} was {upload.get_status_display().lower()}: upload the file again to apply it.",
            code="not_previewed",
        )
    if upload.uploaded_by_id != by.pk:
        raise ValidationError("Only the officer who uploaded a file can apply it.", code="not_uploader")
    sheet = spreadsheet.read(upload.file_name, bytes(upload.content))
    results = bulk.check_rows(sheet.rows, plan=upload.plan, by=by, via=upload.via, apply=True)
    upload.rows = [result.as_json() for result in results]
    upload.counts = bulk.counts(results)
    if only_if_all_valid and upload.counts[bulk.Outcome.ERROR]:
        transaction.set_rollback(True)
        return upload, False
    upload.status, upload.applied_at = BulkUpdate.Status.APPLIED, timezone.now()
    upload.only_if_all_valid, upload.content = only_if_all_valid, b""
    upload.save()
    return upload, True


def bulk_update_cancel(*, upload, by):
    """Drop a preview: the file and its rows are forgotten, the record of the upload is kept."""
    updated = BulkUpdate.objects.filter(pk=upload.pk, uploaded_by=by, status=BulkUpdate.Status.PREVIEWED).update(
        status=BulkUpdate.Status.CANCELLED, content=b"", rows=[]
    )
    if not updated:
        raise ValidationError(f"{upload.file_name} is no longer waiting to be confirmed.", code="not_previewed")
