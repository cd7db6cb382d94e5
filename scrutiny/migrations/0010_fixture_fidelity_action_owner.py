"""The CSOG's first action of 21 February 2022 is for "Scrutiny Officer": the minutes name the
role, not the person. The earlier fixtures made Charlie Fisher (who attended as Scrutiny Officer)
its owner; that is cleared, only where it is still so, and the change written to its history."""

import datetime

from django.db import migrations

from inspections.upgrades import record_history


def upgrade_earlier_fixtures(apps, schema_editor):
    ScrutinyAction = apps.get_model("scrutiny", "ScrutinyAction")
    actions = ScrutinyAction.objects.filter(
        meeting__date=datetime.date(2022, 2, 21),
        meeting__committee__short_name="CSOG",
        number=1,
        owner__name="Charlie Fisher",
        owner_role="Scrutiny Officer",
    )
    for action in actions:
        action.owner = None
        action.save(update_fields=["owner"])
        record_history(apps, action, "Unstated by the source: cleared owner=Charlie Fisher (the minutes name the role)")


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0009_briefing_packs")]

    operations = [migrations.RunPython(upgrade_earlier_fixtures, migrations.RunPython.noop)]
