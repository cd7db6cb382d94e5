from django.db import migrations

from inspections.themes import sync_themes


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(sync_themes, migrations.RunPython.noop)]
