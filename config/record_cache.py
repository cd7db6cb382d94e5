"""Caching that stays correct: what a page works out from the record, kept until the record
changes (or who may do what: users' roles and permissions are kept the same way, `config.auth`).

The database replaces the record's token (`RecordVersion.RECORD`) in the same transaction as
every write to the record, by trigger, whatever makes the write: a form, the admin, a fixture
load, a bulk upload, `QuerySet.update()`, COPY or hand-written SQL. A cached value is keyed by
that token and by today's date (what is overdue changes at midnight), so a rating saved by one
worker shows at once on the next page that any worker serves: the next request reads the new
token and works the page out afresh. Tokens are random, never reused, so even a database
restored from a backup never meets a cached value of another state.

Who may do what has a token of its own (`RecordVersion.ROLES`), which each user's permissions
are cached under: a change of roles replaces both tokens, a write to the record only its own,
so that after a rating is saved the next page does not read every reader's permissions again.

The triggers are (re)installed after every `migrate` (`install_triggers`, on post_migrate), so a
table added later is covered without anyone remembering to.
"""

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db import connections
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from config.models import RecordVersion

# The apps whose tables hold the record.
RECORD_APPS = ("inspections", "improvement", "scrutiny")
# User accounts name the authors of changes; their other columns (last sign-in) change nothing shown.
ACCOUNT_TABLE, ACCOUNT_NAME_COLUMNS = "auth_user", ("first_name", "last_name", "username")
# Who may do what (roles and permissions), which pages and each user's permissions are kept by.
ROLE_TABLES = ("auth_group", "auth_group_permissions", "auth_user_groups", "auth_user_user_permissions")
TRIGGER = "record_changed"
# How long a cached value is kept at most, changed or not.
CACHE_SECONDS = 60 * 60


def current_token(of=RecordVersion.RECORD):
    """The token now (the record's, or `RecordVersion.ROLES` for who may do what); None before
    anything has been written, when nothing is cached."""
    return RecordVersion.objects.filter(pk=of).values_list("token", flat=True).first()


def cached(key, compute, *, keep=None, of=RecordVersion.RECORD):
    """`compute()`, or its value from the cache while the record (or, `of=RecordVersion.ROLES`,
    who may do what) is unchanged since and the day is the same. `key` names what is computed
    (and from which arguments); the value must pickle. A value for which `keep(value)` is false
    is returned but not kept."""
    token = current_token(of)
    if token is None:
        return compute()
    full_key = f"record:{of}:{key}:{token}:{timezone.localdate().isoformat()}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        if keep is None or keep(value):
            cache.set(full_key, value, CACHE_SECONDS)
    return value


def cached_page(request, key, work_out):
    """A page whose content is worked out from the record, served from the cache while the
    record is unchanged. `work_out()` returns (title, breadcrumbs, template, context); the
    template, the page's content, is rendered with the request (so `perms` is there) and
    cached for everyone who may do the same (the key holds a digest of their permissions).
    The layout around it (who is signed in, the navigation) is rendered afresh each time."""
    permissions = ",".join(sorted(request.user.get_all_permissions()))
    digest = hashlib.sha256(permissions.encode()).hexdigest()[:16]

    def lay_out():
        title, breadcrumbs, template, context = work_out()
        main = render_to_string(template, context, request)
        # A form's CSRF token is the reader's own: a page holding one is not the same for all.
        if "csrfmiddlewaretoken" in main:
            raise ValueError(f"{template} holds a form's CSRF token, so it cannot be cached for everyone")
        return {"title": title, "breadcrumbs": breadcrumbs, "main": main}

    return render(request, "content_page.html", cached(f"{key}:{digest}", lay_out))


# --- the triggers --------------------------------------------------------------------------


def record_tables():
    """Every table of the record's apps, many-to-many tables and history included, and the
    tables of who may do what."""
    return sorted(
        [
            model._meta.db_table
            for label in RECORD_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        ]
        + list(ROLE_TABLES)
    )


def install_triggers(*, using, **kwargs):
    """Make sure every record table, and the names of user accounts, have the trigger.
    Idempotent; connected to post_migrate (config/apps.py)."""
    connection = connections[using]
    # Only the tables there are: a migration run part of the way has not made them all.
    existing = set(connection.introspection.table_names())
    if _VERSION not in existing:
        return
    build = {"postgresql": _postgresql, "sqlite": _sqlite}[connection.vendor]
    statements = build([table for table in record_tables() if table in existing], ACCOUNT_TABLE in existing)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        # A migration may have changed what pages show without writing a row (a new column's
        # default): nothing cached before it is used after.
        cursor.execute(new_token(connection.vendor, RecordVersion.RECORD, RecordVersion.ROLES))


_VERSION = RecordVersion._meta.db_table
_RANDOM = {"postgresql": "gen_random_uuid()::text", "sqlite": "lower(hex(randomblob(16)))"}


def new_token(vendor, *rows):
    """SQL that replaces the tokens of `rows` (RecordVersion.RECORD, .ROLES) with new ones."""
    values = ", ".join(f"({row}, {_RANDOM[vendor]})" for row in rows)
    return f"INSERT INTO {_VERSION} (id, token) VALUES {values} ON CONFLICT (id) DO UPDATE SET token = excluded.token"


# The trigger functions, each with the tokens it replaces. A change of who may do what replaces
# the record's token as well as the roles': it is rare, and then nothing cached before it is
# used, whatever a page reads of roles.
_RECORD_CHANGED, _ROLES_CHANGED = TRIGGER, f"{TRIGGER}_roles"
_REPLACES = {_RECORD_CHANGED: (RecordVersion.RECORD,), _ROLES_CHANGED: (RecordVersion.RECORD, RecordVersion.ROLES)}


def _function(table):
    """The trigger function that the table's trigger executes."""
    return _ROLES_CHANGED if table in ROLE_TABLES else _RECORD_CHANGED


def _postgresql(tables, accounts):
    # One new token a statement (COPY and bulk inserts included), set in the writer's transaction.
    for function, rows in _REPLACES.items():
        yield f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {new_token("postgresql", *rows)};
                RETURN NULL;
            END $$"""
    events = dict.fromkeys(tables, "INSERT OR UPDATE OR DELETE OR TRUNCATE")
    if accounts:
        events[ACCOUNT_TABLE] = f"INSERT OR DELETE OR TRUNCATE OR UPDATE OF {', '.join(ACCOUNT_NAME_COLUMNS)}"
    for table, event in events.items():
        yield (
            f'CREATE OR REPLACE TRIGGER {TRIGGER} AFTER {event} ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_function(table)}()"
        )


def _sqlite(tables, accounts):
    # SQLite's triggers fire for each row; it has no TRUNCATE. Dropped and made again, as SQLite
    # cannot replace a trigger, so that one whose statement has changed is brought up to date.
    events = [(table, event) for table in tables for event in ("INSERT", "UPDATE", "DELETE")]
    if accounts:
        names = ", ".join(ACCOUNT_NAME_COLUMNS)
        events += [(ACCOUNT_TABLE, "INSERT"), (ACCOUNT_TABLE, "DELETE"), (ACCOUNT_TABLE, f"UPDATE OF {names}")]
    for table, event in events:
        name = f"{TRIGGER}_{table}_{event.split()[0].lower()}"
        statement = new_token("sqlite", *_REPLACES[_function(table)])
        yield f'DROP TRIGGER IF EXISTS "{name}"'
        yield f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" BEGIN {statement}; END'
