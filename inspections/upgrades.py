"""Helpers for the data migrations that bring a database loaded with earlier fixtures to the
corrected record: a change they make is written to the row's history as django-simple-history
would write it (the historical models of a migration's `apps` have no history manager)."""

from django.utils import timezone


def record_history(apps, row, reason):
    """A history entry for a change a migration made to `row`, with `reason` saying what it was."""
    Historical = apps.get_model(row._meta.app_label, f"Historical{row._meta.object_name}")
    values = {
        field.attname: getattr(row, field.attname)
        for field in Historical._meta.fields
        if not field.name.startswith("history_") and hasattr(row, field.attname)
    }
    Historical.objects.create(**values, history_date=timezone.now(), history_type="~", history_change_reason=reason)
