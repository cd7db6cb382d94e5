"""Clear dates the earlier fixtures gave the 2020 plan and its phases, which the report does not
state: it names the phases by month ("Phase 1 (April – July)", kept in their titles) without a
year, and does not say when the plan itself began. Only where the values are still exactly what
the earlier fixtures set; the plan's change is written to its history."""

import datetime

from django.db import migrations

from inspections.upgrades import record_history

PLAN = "2020-improvement-plan"
EARLIER_PLAN_START = datetime.date(2020, 4, 1)
# phase number: (start, end), as the earlier fixtures set them
EARLIER_PHASES = {
    1: (datetime.date(2020, 4, 1), datetime.date(2020, 7, 1)),
    2: (datetime.date(2020, 7, 1), datetime.date(2020, 11, 1)),
    3: (datetime.date(2020, 12, 1), datetime.date(2021, 3, 1)),
}


def upgrade_earlier_fixtures(apps, schema_editor):
    ImprovementPlan = apps.get_model("improvement", "ImprovementPlan")
    PlanPhase = apps.get_model("improvement", "PlanPhase")
    for plan in ImprovementPlan.objects.filter(reference=PLAN, period_start=EARLIER_PLAN_START):
        plan.period_start = None
        plan.save(update_fields=["period_start"])
        record_history(apps, plan, "Unstated by the source: cleared period_start=2020-04-01")
    for number, (start, end) in EARLIER_PHASES.items():
        PlanPhase.objects.filter(plan__reference=PLAN, number=number, start=start, end=end).update(start=None, end=None)


class Migration(migrations.Migration):
    dependencies = [("improvement", "0011_measure_scorecard")]

    operations = [migrations.RunPython(upgrade_earlier_fixtures, migrations.RunPython.noop)]
