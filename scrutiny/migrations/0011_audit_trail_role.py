from django.db import migrations

from config.roles import sync_roles


class Migration(migrations.Migration):
    """Give Administrators, and only them, the permission to read the audit trail
    (`inspections.read_audit_trail`)."""

    dependencies = [
        ("inspections", "0010_audit_trail"),
        ("improvement", "0012_fixture_fidelity_plan_dates"),
        ("scrutiny", "0010_fixture_fidelity_action_owner"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
