"""The officers' form for a scrutiny action's progress (see `config.forms`)."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout
from django import forms

from config.forms import COMMENTARY_MAX_LENGTH, RecordForm, commentary_field
from scrutiny.models import ScrutinyAction

STATUS_HINTS = {
    ScrutinyAction.Status.COMPLETE: "Done: what the meeting asked for has been carried out.",
    ScrutinyAction.Status.CANCELLED: "No longer needed: say why in the progress note.",
}


class ScrutinyProgressForm(RecordForm):
    """Report progress on a scrutiny action and, when it is done, mark it complete."""

    status = forms.ChoiceField(
        label="Status",
        choices=[
            Choice(value, label, hint=STATUS_HINTS.get(value, "")) for value, label in ScrutinyAction.Status.choices
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status", "invalid_choice": "Choose the action's status"},
    )
    commentary = commentary_field("Progress note", help_text="What has been done, and by whom.")

    fields_by_code = {"status": "status", "commentary_required": "commentary"}

    def __init__(self, data=None, *, record, **kwargs):
        super().__init__(data, record=record, initial={"status": record.status}, **kwargs)

    def layout(self):
        return Layout(
            "version",
            Field.radios("status", legend_size="m"),
            Field.textarea("commentary", label_size="m", rows=6, max_characters=COMMENTARY_MAX_LENGTH),
        )
