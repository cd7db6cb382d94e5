"""No lost updates, and history that the database itself refuses to rewrite, on PostgreSQL.

Two connections stand for two app servers: Django gives each thread its own connection.
"""

import datetime as dt
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from improvement.models import Action, ProgressUpdate
from inspections.models import EditConflict
from tests.factories import ActionFactory, ProgressUpdateFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and triggers"),
]

DAY = dt.date(2022, 6, 30)


def test_the_second_of_two_concurrent_edits_is_refused_and_nothing_is_lost():
    action = ActionFactory()
    first_user, second_user = UserFactory(), UserFactory()
    first_holds_its_lock = threading.Event()
    let_first_commit = threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                Action.objects.get(pk=action.pk).record_progress(
                    by=first_user, status="in_progress", commentary="Started.", as_of=DAY, expected_version=1
                )
                first_holds_its_lock.set()
                let_first_commit.wait(10)
            outcome["first"] = "saved"
        finally:
            connections.close_all()

    def second():
        first_holds_its_lock.wait(10)
        try:
            Action.objects.get(pk=action.pk).record_progress(
                by=second_user, status="cancelled", commentary="Not needed.", as_of=DAY, expected_version=1
            )
            outcome["second"] = "saved"
        except EditConflict as conflict:
            outcome["second"] = conflict
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_holds_its_lock.wait(10)
    threads[1].join(1)
    # The second edit waits on the first one's row lock instead of overwriting it.
    assert threads[1].is_alive()
    let_first_commit.set()
    for thread in threads:
        thread.join(20)

    assert outcome["first"] == "saved"
    assert isinstance(outcome["second"], EditConflict)
    assert outcome["second"].latest_change.text == "Started."
    action.refresh_from_db()
    assert (action.status, action.version) == ("in_progress", 2)
    assert list(ProgressUpdate.objects.filter(action=action).values_list("recorded_by", flat=True)) == [first_user.pk]


@pytest.mark.parametrize("sql", ["UPDATE {table} SET commentary = 'Rewritten'", "DELETE FROM {table}"])
def test_the_database_refuses_to_rewrite_history(sql):
    update = ProgressUpdateFactory(commentary="As reported.")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=ProgressUpdate._meta.db_table))
    update.refresh_from_db()
    assert update.commentary == "As reported."
