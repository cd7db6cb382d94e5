"""The officers' forms: each one feeds one verb of the plan's models (see `config.forms`)."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout
from django import forms

from config.forms import COMMENTARY_MAX_LENGTH, GovukDateField, RecordForm, VerbForm, commentary_field
from improvement.models import Action, Rating
from inspections.models import Finding

# What each rating means, shown beside it wherever officers choose one. Green's is the
# council's own wording ("on track for successful completion", CSOG, 21 February 2022).
RATING_MEANINGS = {
    Rating.RED: "Off track: delivery is at risk and needs action or escalation now.",
    Rating.AMBER: "Some slippage or risk: recoverable with the action already in hand.",
    Rating.GREEN: "On track for successful completion.",
}


def decimal_field(label, *, required=True, what, help_text="", min_value=None):
    """A number typed as text (GOV.UK advises against type=number), in GOV.UK's wording."""
    subject = what[0].upper() + what[1:]
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=min_value,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"{subject} must be a number, like 68 or 68.5",
            "max_decimal_places": f"{subject} can have at most 2 decimal places",
            "max_digits": f"{subject} is too large",
            "max_whole_digits": f"{subject} is too large",
            "min_value": f"{subject} cannot be negative",
        },
    )


def as_typed(number):
    """A stored number as an officer would type it: 80, not 80.00 or 8E+1."""
    return None if number is None else f"{number.normalize():f}"


def unit_hint(measure):
    """What a value of the measure looks like, for the hint under the box."""
    hints = {
        measure.Unit.PERCENTAGE: "A percentage from 0 to 100, without the % sign.",
        measure.Unit.COUNT: "A whole number.",
        measure.Unit.DAYS: "A number of days.",
        measure.Unit.WEEKS: "A number of weeks.",
        measure.Unit.RATE_PER_10000: "A rate per 10,000 children.",
        measure.Unit.POUNDS: "An amount in pounds, without the £ sign.",
    }
    return hints[measure.unit]


class RatingForm(RecordForm):
    """Rate a priority or an action red, amber or green, with a commentary."""

    rating = forms.ChoiceField(
        label="Rating",
        choices=[Choice(rating.value, rating.label, hint=RATING_MEANINGS[rating]) for rating in Rating],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose red, amber or green", "invalid_choice": "Choose red, amber or green"},
    )
    commentary = commentary_field(
        "Commentary",
        help_text="Say what has happened since the last rating. Required when the rating changes: "
        "explain why. Councillors read this in the history.",
    )

    fields_by_code = {"rating": "rating", "commentary_required": "commentary"}

    def layout(self):
        return Layout(
            "version",
            Field.radios("rating", legend_size="m"),
            Field.textarea("commentary", label_size="m", rows=6, max_characters=COMMENTARY_MAX_LENGTH),
        )


class ActionProgressForm(RecordForm):
    """Report an action's progress: its status, a progress note and, when it is complete,
    the date it was completed."""

    status = forms.ChoiceField(
        label="Status",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status", "invalid_choice": "Choose the action's status"},
    )
    commentary = commentary_field(
        "Progress note",
        help_text="What has been done and what comes next. Required when you cancel the action.",
    )
    completed_on = GovukDateField(
        label="Date completed",
        what="the date the action was completed",
        required=False,
        help_text="Only when the action is complete. For example, 27 3 2024",
    )

    fields_by_code = {
        "status": "status",
        "nothing_to_record": "commentary",
        "commentary_required": "commentary",
        "completed_on_required": "completed_on",
        "completed_on_not_complete": "completed_on",
        "completed_before_start": "completed_on",
        "future": "completed_on",
    }

    def __init__(self, data=None, *, record, **kwargs):
        super().__init__(data, record=record, initial={"status": record.status}, **kwargs)

    def layout(self):
        return Layout(
            "version",
            Field.radios("status", legend_size="m"),
            Field.textarea("commentary", label_size="m", rows=6, max_characters=COMMENTARY_MAX_LENGTH),
            Field("completed_on", context={"legend_size": "govuk-fieldset__legend--m"}),
        )


class DueDateForm(RecordForm):
    """Move an action's due date, saying why."""

    to = GovukDateField(
        label="New due date", what="the new due date", past_only=False, help_text="For example, 31 3 2025"
    )
    reason = commentary_field(
        "Why is the due date moving?", help_text="Councillors see this beside the re-baselined date."
    )

    fields_by_code = {
        "due_date_required": "to",
        "closed": "to",
        "unchanged": "to",
        "due_before_start": "to",
        "reason_required": "reason",
    }

    def layout(self):
        return Layout(
            "version",
            Field("to", context={"legend_size": "govuk-fieldset__legend--m"}),
            Field.textarea("reason", label_size="m", rows=4, max_characters=COMMENTARY_MAX_LENGTH),
        )


class MeasureValueForm(VerbForm):
    """Record a measure's value for a period. A new value carries no version: a value
    someone else recorded for the same period in the meantime is refused, never overwritten."""

    period_end = GovukDateField(
        label="Date the value is for",
        what="the date the value is for",
        help_text="The end of the period, or the date it is 'as at'. For example, 31 3 2024",
    )
    value = decimal_field("Value", what="the value")
    note = commentary_field("Note (optional)", help_text="Anything a reader needs to know about this figure.")

    fields_by_code = {
        "period_required": "period_end",
        "future": "period_end",
        "exists": "period_end",
        "required": "value",
        "negative": "value",
        "over_100": "value",
        "not_whole": "value",
    }

    def __init__(self, data=None, *, measure, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["value"].help_text = unit_hint(measure)
        self.existing = None

    def layout(self):
        return Layout(
            Field("period_end", context={"legend_size": "govuk-fieldset__legend--m"}),
            Field.text("value", label_size="m", field_width=10),
            Field.textarea("note", label_size="s", rows=3, max_characters=COMMENTARY_MAX_LENGTH),
        )

    def refused(self, refusal):
        # The value already recorded for the period: the page offers to correct it.
        self.existing = getattr(refusal, "value", None)
        super().refused(refusal)


class CorrectValueForm(RecordForm):
    """Correct a recorded value, saying why."""

    value = decimal_field("Corrected value", what="the corrected value")
    reason = commentary_field("Why is it being corrected?", help_text="The earlier value and this reason are kept.")

    fields_by_code = {
        "required": "value",
        "negative": "value",
        "over_100": "value",
        "not_whole": "value",
        "unchanged": "value",
        "reason_required": "reason",
    }

    def __init__(self, data=None, *, record, **kwargs):
        super().__init__(data, record=record, **kwargs)
        self.fields["value"].help_text = unit_hint(record.measure)

    def layout(self):
        return Layout(
            "version",
            Field.text("value", label_size="m", field_width=10),
            Field.textarea("reason", label_size="m", rows=4, max_characters=COMMENTARY_MAX_LENGTH),
        )


class TargetForm(RecordForm):
    """Set or change a measure's target, amber tolerance and target date."""

    target = decimal_field("Target", required=False, what="the target")
    # Checked here: the verb's "negative" refusal would not say which of the two numbers it was.
    amber_tolerance = decimal_field(
        "Amber tolerance (optional)",
        required=False,
        what="the tolerance",
        min_value=0,
        help_text="How far a value may miss the target and still be amber, in the measure's unit.",
    )
    target_date = GovukDateField(
        label="Date to reach the target by (optional)",
        what="the date to reach the target by",
        past_only=False,
        required=False,
        help_text="For example, 31 3 2025",
    )
    reason = commentary_field(
        "Why is the target changing?",
        help_text="Required when a target is already set. The earlier target and this reason are kept.",
    )

    fields_by_code = {
        "required": "target",
        "negative": "target",
        "over_100": "target",
        "not_whole": "target",
        "tolerance_needs_target": "amber_tolerance",
        "reason_required": "reason",
    }

    def __init__(self, data=None, *, record, **kwargs):
        initial = {
            "target": as_typed(record.target),
            "amber_tolerance": as_typed(record.amber_tolerance),
            "target_date": record.target_date,
        }
        super().__init__(data, record=record, initial=initial, **kwargs)
        self.fields["target"].help_text = unit_hint(record)

    def layout(self):
        return Layout(
            "version",
            Field.text("target", label_size="m", field_width=10),
            Field.text("amber_tolerance", label_size="m", field_width=10),
            Field("target_date", context={"legend_size": "govuk-fieldset__legend--m"}),
            Field.textarea("reason", label_size="m", rows=4, max_characters=COMMENTARY_MAX_LENGTH),
        )


class LinkFindingsForm(RecordForm):
    """Link a record to findings it answers: those of one inspection not yet linked."""

    findings = forms.MultipleChoiceField(
        label="Findings it answers",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    fields_by_code = {"nothing_to_link": "findings"}

    def __init__(self, data=None, *, record, findings, **kwargs):
        super().__init__(data, record=record, **kwargs)
        self.candidates = {str(finding.pk): finding for finding in findings}
        self.fields["findings"].choices = [
            Choice(pk, str(finding), hint=finding.summary) for pk, finding in self.candidates.items()
        ]
        self.fields["findings"].error_messages["invalid_choice"] = (
            "Choose findings from the list: one of them is already linked or no longer exists"
        )
        if not self.candidates:
            self.fields["findings"].help_text = "Every finding of this inspection is linked already."

    def verb_arguments(self):
        arguments = super().verb_arguments()
        arguments["findings"] = [self.candidates[pk] for pk in arguments["findings"]]
        return arguments

    def layout(self):
        return Layout("version", Field.checkboxes("findings", legend_size="m", small=True))


class UnlinkFindingForm(RecordForm):
    """Unlink a record from a finding it no longer answers, saying why."""

    reason = commentary_field(
        "Why does it no longer answer this finding?", help_text="The link and this reason are kept in the history."
    )

    fields_by_code = {"reason_required": "reason"}

    def layout(self):
        return Layout("version", Field.textarea("reason", label_size="m", rows=4, max_characters=COMMENTARY_MAX_LENGTH))


def findings_to_offer(record, inspection):
    """The findings of an inspection that the record does not answer yet, in report order."""
    return Finding.objects.filter(inspection=inspection).exclude(pk__in=record.findings.all()).in_report_order()
