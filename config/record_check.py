"""Fingerprints of a database's record, for checking that a backup restored whole: the number
of rows in every table, and a sha256 over the plan (plans, priorities, actions, their progress
updates and due date changes, measures and their values), row by row in primary key order.

Both sides of a restore run the same code (`manage.py record_check`), so equal digests mean
the same plan, field for field."""

import hashlib
import json

from django.db import connection

from improvement.models import (
    Action,
    DueDateChange,
    ImprovementPlan,
    Measure,
    MeasureValue,
    Priority,
    ProgressUpdate,
)

PLAN_MODELS = [ImprovementPlan, Priority, Action, ProgressUpdate, DueDateChange, Measure, MeasureValue]


def row_counts():
    """{table: rows} for every table in the database, Django's own included."""
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


def plan_digest():
    """sha256 (hex) of every plan row, model by model, in primary key order."""
    digest = hashlib.sha256()
    for model in PLAN_MODELS:
        fields = [field.attname for field in model._meta.concrete_fields]
        digest.update(f"{model._meta.label} {fields}\n".encode())
        for row in model._base_manager.order_by("pk").values_list(*fields).iterator(chunk_size=2000):
            # default=str: dates, datetimes (UTC under USE_TZ) and decimals as their exact text.
            digest.update(json.dumps(row, default=str).encode() + b"\n")
    return digest.hexdigest()
