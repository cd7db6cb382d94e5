from django.db import migrations, models


def drop_sqlite_triggers(apps, schema_editor):
    """SQLite changes a table's constraint by making the table again and renaming it, which it
    refuses while triggers write to the table: they are dropped here and installed again after
    `migrate` (`config.record_cache.install_triggers`, on post_migrate)."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'record_changed_%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')


class Migration(migrations.Migration):
    """A second row, for the token of who may do what (`RecordVersion.ROLES`)."""

    dependencies = [
        ("config", "0001_record_version"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="recordversion",
            name="record_version_one_row",
        ),
        migrations.AddConstraint(
            model_name="recordversion",
            constraint=models.CheckConstraint(condition=models.Q(("id__in", [1, 2])), name="record_version_known_rows"),
        ),
    ]
