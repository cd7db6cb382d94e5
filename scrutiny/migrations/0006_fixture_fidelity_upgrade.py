"""Bring a database loaded with the earlier fixtures to the corrected record (issue 16).

- The CSOG report lists Andrew Leadbetter, Kevin Crompton and Charlie Fisher as attending, not
  as members of the group: the three memberships the earlier fixture inferred are removed
  (their attendance stays).
- No source says how the six recommendations were responded to: the earlier fixtures' status
  "made" (shown as "awaiting response") is cleared.

Only the rows the earlier fixtures created are touched, and only while they still hold exactly
what those fixtures set. A cleared status is written to the recommendation's history.
"""

import datetime

from django.db import migrations
from django.utils import timezone

CSOG = "Children's Standing Overview Group"
INFERRED_MEMBERSHIPS = [
    (CSOG, "Andrew Leadbetter", "cabinet_member"),
    (CSOG, "Kevin Crompton", "adviser"),
    (CSOG, "Charlie Fisher", "scrutiny_officer"),
]
# (committee, made_on, number) of the recommendations the earlier fixtures marked "made".
EARLIER_MADE = [("Safeguarding Children Task Group", datetime.date(2013, 9, 1), number) for number in range(1, 6)] + [
    (CSOG, datetime.date(2022, 2, 21), 1)
]


def upgrade_earlier_fixtures(apps, schema_editor):
    Membership = apps.get_model("scrutiny", "Membership")
    Recommendation = apps.get_model("scrutiny", "Recommendation")
    HistoricalRecommendation = apps.get_model("scrutiny", "HistoricalRecommendation")

    for committee, person, role in INFERRED_MEMBERSHIPS:
        Membership.objects.filter(
            committee__name=committee, person__name=person, role=role, start__isnull=True, end__isnull=True
        ).delete()

    for committee, made_on, number in EARLIER_MADE:
        for recommendation in Recommendation.objects.filter(
            committee__name=committee, made_on=made_on, number=number, status="made", response=""
        ):
            recommendation.status = ""
            recommendation.save(update_fields=["status"])
            values = {
                field.attname: getattr(recommendation, field.attname)
                for field in HistoricalRecommendation._meta.fields
                if not field.name.startswith("history_")
            }
            HistoricalRecommendation.objects.create(
                **values,
                history_date=timezone.now(),
                history_type="~",
                history_change_reason="Issue 16: unstated, cleared status=made",
            )


class Migration(migrations.Migration):
    dependencies = [("scrutiny", "0005_fixture_fidelity_findings")]

    operations = [migrations.RunPython(upgrade_earlier_fixtures, migrations.RunPython.noop)]
