from django.db import migrations

from config.roles import sync_roles


class Migration(migrations.Migration):
    """Extend the roles to bulk updates: Officers and Administrators add them (download the
    template and upload it), Administrators read them; Councillors only read the plan."""

    dependencies = [
        ("improvement", "0009_bulk_update"),
        ("scrutiny", "0006_fixture_fidelity_upgrade"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
