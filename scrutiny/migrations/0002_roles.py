from django.db import migrations

from config.roles import sync_roles


class Migration(migrations.Migration):
    """Officers, Councillors and Administrators, with the permissions each role holds.

    A later migration that adds models calls `sync_roles` again to extend the roles to them.
    """

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("inspections", "0003_fixture_load"),
        ("improvement", "0001_initial"),
        ("scrutiny", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
