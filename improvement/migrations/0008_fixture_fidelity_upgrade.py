"""Bring a database loaded with the earlier fixtures to the corrected record (issue 16).

The earlier fixtures gave every measure a polarity, frequency and data period that no source
states, and labelled values with words that are not the sources' own. Loading the corrected
fixtures cannot clear them (a load never blanks a value that exists), so they are cleared
here: only on the rows the earlier fixtures created, and only where the value is still exactly
what those fixtures set. Each change is written to the row's history with what it was.
"""

import datetime

from django.db import migrations

from inspections.upgrades import record_history

# reference: (polarity, frequency, data_period), as the earlier fixtures set them.
EARLIER_MEASURE_SETTINGS = {
    "dcc-2013-child-protection-social-work-vacancies": ("lower", "ad_hoc", "snapshot"),
    "dcc-2013-child-protection-agency-staff": ("lower", "ad_hoc", "snapshot"),
    "dcc-2013-assessments-per-month": ("neither", "ad_hoc", "month"),
    "dcc-2013-assessments-per-week": ("neither", "ad_hoc", "snapshot"),
    "dcc-2013-initial-assessments-per-month": ("neither", "ad_hoc", "month"),
    "dcc-2013-qualified-childrens-social-worker-population-increase": ("neither", "ad_hoc", "snapshot"),
    "dcc-2013-social-work-vacancy-rate": ("lower", "annually", "year"),
    "dcc-2013-carefirst-system-accessibility": ("higher", "ad_hoc", "rolling_12_months"),
    "dcc-2013-troubled-families-identified": ("neither", "ad_hoc", "snapshot"),
    "dcc-2013-troubled-families-worked-with": ("neither", "ad_hoc", "snapshot"),
    "dcc-2013-child-protection-inspections-judged-outstanding": ("neither", "ad_hoc", "rolling_12_months"),
    "dcc-2013-child-protection-inspections-judged-good": ("neither", "ad_hoc", "rolling_12_months"),
    "dcc-2013-child-protection-inspections-judged-adequate": ("neither", "ad_hoc", "rolling_12_months"),
    "dcc-2013-child-protection-inspections-judged-inadequate": ("neither", "ad_hoc", "rolling_12_months"),
    "dcc-2020-practice-evaluations-completed": ("neither", "ad_hoc", "quarter"),
    "dcc-2020-practice-evaluations-judged-good": ("higher", "ad_hoc", "quarter"),
    "dcc-2020-practice-evaluations-judged-requires-improvement": ("neither", "ad_hoc", "quarter"),
    "dcc-2020-practice-evaluations-judged-inadequate": ("lower", "ad_hoc", "quarter"),
    "dcc-2020-practice-evaluations-downgraded-at-moderation": ("neither", "ad_hoc", "snapshot"),
    "dcc-icpc-within-15-days-of-section-47": ("higher", "ad_hoc", "snapshot"),
    "dcc-child-protection-plans-previous-cp-plan": ("lower", "ad_hoc", "snapshot"),
    "dcc-care-leavers-unsuitable-accommodation": ("lower", "ad_hoc", "snapshot"),
    "dcc-initial-assessments-within-45-days": ("higher", "ad_hoc", "snapshot"),
    "dcc-retention-payments-taken-up": ("higher", "ad_hoc", "snapshot"),
    "dcc-newly-qualified-social-workers-appointed": ("higher", "ad_hoc", "snapshot"),
    "dcc-family-practitioners-appointed": ("higher", "ad_hoc", "snapshot"),
}
# The one setting a source states: vacancy rates "have been reported annually".
STATED = {("dcc-2013-social-work-vacancy-rate", "frequency")}

CSOG_DAY = datetime.date(2022, 2, 21)
# (measure reference, period_end): the period label the earlier fixtures gave, which the
# sources do not use; these values are now dated by their report instead.
EARLIER_LABELS = {
    **{
        (reference, CSOG_DAY): "As reported to CSOG on 21 February 2022"
        for reference in (
            "dcc-icpc-within-15-days-of-section-47",
            "dcc-child-protection-plans-previous-cp-plan",
            "dcc-care-leavers-unsuitable-accommodation",
            "dcc-initial-assessments-within-45-days",
            "dcc-retention-payments-taken-up",
            "dcc-newly-qualified-social-workers-appointed",
            "dcc-family-practitioners-appointed",
        )
    },
    ("dcc-2013-social-work-vacancy-rate", datetime.date(2013, 9, 1)): "Reported annually as averaging 12%",
}

FIELDS = ("polarity", "frequency", "data_period")


def _reason(cleared):
    """At most 100 characters, the history field's limit."""
    return "Issue 16: unstated, cleared " + " ".join(f"{name}={value}" for name, value in cleared.items())


def upgrade_earlier_fixtures(apps, schema_editor):
    Measure = apps.get_model("improvement", "Measure")
    MeasureValue = apps.get_model("improvement", "MeasureValue")

    for measure in Measure.objects.filter(reference__in=EARLIER_MEASURE_SETTINGS):
        earlier = dict(zip(FIELDS, EARLIER_MEASURE_SETTINGS[measure.reference]))
        cleared = {
            name: value
            for name, value in earlier.items()
            if (measure.reference, name) not in STATED and getattr(measure, name) == value
        }
        if cleared:
            for name in cleared:
                setattr(measure, name, "")
            measure.save(update_fields=list(cleared))
            record_history(apps, measure, _reason(cleared))

    for (reference, period_end), label in EARLIER_LABELS.items():
        for value in MeasureValue.objects.filter(measure__reference=reference, period_end=period_end, period_label=label):
            value.period_label = ""
            value.save(update_fields=["period_label"])
            record_history(apps, value, _reason({"period_label": label}))


class Migration(migrations.Migration):
    dependencies = [("improvement", "0007_fixture_fidelity_values")]

    operations = [migrations.RunPython(upgrade_earlier_fixtures, migrations.RunPython.noop)]
