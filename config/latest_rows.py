"""Pointers the database keeps: a record's latest row of another table (a measure's latest
value, an action's latest update and the update that gave its current rating).

Lists filter, sort and count by these (every measure's rating, every action's rating), so
working them out with a subquery per row made a list's cost grow with the record: at a
hundred times the synthetic county, filtering the measures by rating took seconds. A pointer
column is one join instead.

The database keeps each pointer right, by trigger, whatever writes: a form, the admin, a
fixture load, a bulk upload, `QuerySet.update()` or hand-written SQL. Writing a child row
(a value, an update) touches its parent's row, and every write of a parent row works its
pointers out afresh from its children, so a parent saved from a stale copy in memory can
never put an old pointer back. The rule for each pointer (which rows count, in what order)
is stated once, here, and the triggers are made from it.

Installed by the migrations that add the pointer columns (`install`), and reinstalled by a
later migration whenever a rule changes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LatestRow:
    """`parent.field` names the parent's latest `child` row (linked by `child.link`) among those
    meeting `condition` (SQL over the child's columns), latest first by `order`."""

    parent: str
    field: str
    child: str
    link: str
    condition: str = ""
    order: str = "as_of DESC, id DESC"


# The rules. Each `as_of` is the end of the period a row speaks for (a generated column).
RULES = (
    LatestRow("improvement.Measure", "latest", "improvement.MeasureValue", "measure"),
    LatestRow("improvement.Priority", "last_update", "improvement.ProgressUpdate", "priority"),
    LatestRow(
        "improvement.Priority", "current_rating_update", "improvement.ProgressUpdate", "priority", "rating IS NOT NULL"
    ),
    LatestRow("improvement.Action", "last_update", "improvement.ProgressUpdate", "action"),
    LatestRow(
        "improvement.Action", "current_rating_update", "improvement.ProgressUpdate", "action", "rating IS NOT NULL"
    ),
)

TRIGGER = "latest_rows"


def install(apps, schema_editor):
    """Create (or replace) the triggers for every rule, then work every pointer out afresh."""
    connection = schema_editor.connection
    tables = _tables(apps)
    build = {"postgresql": _postgresql, "sqlite": _sqlite}[connection.vendor]
    with connection.cursor() as cursor:
        for statement in build(tables):
            cursor.execute(statement)
        for parent, columns in tables.parents.items():
            # A touch is enough: the parent's trigger works its pointers out.
            cursor.execute(f'UPDATE "{parent}" SET "{columns[0][0]}" = "{columns[0][0]}"')


def uninstall(apps, schema_editor):
    connection = schema_editor.connection
    tables = _tables(apps)
    with connection.cursor() as cursor:
        for statement in {"postgresql": _drop_postgresql, "sqlite": _drop_sqlite}[connection.vendor](tables):
            cursor.execute(statement)


@dataclass
class _Tables:
    # parent table -> [(pointer column, child table, link column, condition, order)]
    parents: dict
    # (child table, link column) -> parent table
    children: dict


def _tables(apps):
    """The rules in table and column names, from the (historical) models `apps` holds."""
    parents, children = {}, {}
    for rule in RULES:
        parent = apps.get_model(rule.parent)
        child = apps.get_model(rule.child)
        pointer = parent._meta.get_field(rule.field).column
        link = child._meta.get_field(rule.link).column
        parent_table, child_table = parent._meta.db_table, child._meta.db_table
        parents.setdefault(parent_table, []).append((pointer, child_table, link, rule.condition, rule.order))
        children[(child_table, link)] = parent_table
    return _Tables(parents, children)


def _latest(child, link, condition, order, parent_id):
    where = f"{link} = {parent_id}" + (f" AND {condition}" if condition else "")
    return f'(SELECT id FROM "{child}" WHERE {where} ORDER BY {order} LIMIT 1)'


def _postgresql(tables):
    for parent, pointers in tables.parents.items():
        assignments = "\n".join(
            f"NEW.{pointer} := {_latest(child, link, condition, order, 'NEW.id')};"
            for pointer, child, link, condition, order in pointers
        )
        yield f"""
            CREATE OR REPLACE FUNCTION {parent}_{TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {assignments}
                RETURN NEW;
            END $$"""
        yield (
            f'CREATE OR REPLACE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE ON "{parent}" '
            f"FOR EACH ROW EXECUTE FUNCTION {parent}_{TRIGGER}()"
        )
    # A child statement touches each parent it wrote under once, however many rows it wrote.
    for (child, link), parent in tables.children.items():
        pointer = tables.parents[parent][0][0]
        touch = f'UPDATE "{parent}" SET {pointer} = {pointer} WHERE id IN (SELECT {link} FROM {{rows}})'
        function = f"{child}_{link}_{TRIGGER}"
        yield f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('INSERT', 'UPDATE') THEN {touch.format(rows="new_rows")}; END IF;
                IF TG_OP IN ('DELETE', 'UPDATE') THEN {touch.format(rows="old_rows")}; END IF;
                RETURN NULL;
            END $$"""
        # PostgreSQL allows transition tables on a trigger for one event only.
        for event, transition in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ):
            yield (
                f'CREATE OR REPLACE TRIGGER {TRIGGER}_{link}_{event.lower()} AFTER {event} ON "{child}" '
                f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )


def _drop_postgresql(tables):
    for parent in tables.parents:
        yield f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{parent}"'
        yield f"DROP FUNCTION IF EXISTS {parent}_{TRIGGER}()"
    for child, link in tables.children:
        for event in ("insert", "delete", "update"):
            yield f'DROP TRIGGER IF EXISTS {TRIGGER}_{link}_{event} ON "{child}"'
        yield f"DROP FUNCTION IF EXISTS {child}_{link}_{TRIGGER}()"


def _sqlite_names(tables):
    for parent in tables.parents:
        for event in ("insert", "update"):
            yield f"{TRIGGER}_{parent}_{event}"
    for child, link in tables.children:
        for event in ("insert", "delete", "update"):
            yield f"{TRIGGER}_{child}_{link}_{event}"


def _sqlite(tables):
    # SQLite's triggers fire for each row, and cannot change NEW: the parent's AFTER trigger
    # updates the row it fired for (SQLite does not fire a trigger from its own statements).
    yield from _drop_sqlite(tables)
    for parent, pointers in tables.parents.items():
        assignments = ", ".join(
            f"{pointer} = {_latest(child, link, condition, order, 'NEW.id')}"
            for pointer, child, link, condition, order in pointers
        )
        for event in ("INSERT", "UPDATE"):
            yield (
                f'CREATE TRIGGER "{TRIGGER}_{parent}_{event.lower()}" AFTER {event} ON "{parent}" '
                f'BEGIN UPDATE "{parent}" SET {assignments} WHERE id = NEW.id; END'
            )
    for (child, link), parent in tables.children.items():
        pointer = tables.parents[parent][0][0]
        touch = f'UPDATE "{parent}" SET {pointer} = {pointer} WHERE id = {{row}}.{link};'
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
            body = " ".join(touch.format(row=row) for row in rows)
            yield (
                f'CREATE TRIGGER "{TRIGGER}_{child}_{link}_{event.lower()}" AFTER {event} ON "{child}" BEGIN {body} END'
            )


def _drop_sqlite(tables):
    for name in _sqlite_names(tables):
        yield f'DROP TRIGGER IF EXISTS "{name}"'
