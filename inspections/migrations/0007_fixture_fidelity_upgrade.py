"""Bring a database loaded with the earlier fixtures to the corrected record (issue 16).

The 2020 report says only that the council was "judged to be inadequate"; the earlier fixture
named that judgement "Overall effectiveness". The judgement's name is part of its natural key,
so the row is re-keyed here (same row, same grade) rather than left beside the new one. Only
the exact row the earlier fixture created is touched.
"""

import datetime

from django.db import migrations

ILACS_2020 = {
    "inspection__authority__short_name": "Devon",
    "inspection__kind": "ilacs_inspection",
    "inspection__visit_start": datetime.date(2020, 1, 1),
}


def upgrade_earlier_fixtures(apps, schema_editor):
    Judgement = apps.get_model("inspections", "Judgement")
    if Judgement.objects.filter(**ILACS_2020, name="").exists():
        return  # already re-keyed
    Judgement.objects.filter(**ILACS_2020, name="Overall effectiveness", grade="inadequate").update(name="")


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_fixture_fidelity_sources")]

    operations = [migrations.RunPython(upgrade_earlier_fixtures, migrations.RunPython.noop)]
