"""The bulk update's forms: which template to download, the file to upload, how to confirm."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from config.forms import GovukForm
from improvement import spreadsheet
from improvement.bulk import Scope
from improvement.models import Priority


class TemplateForm(GovukForm, forms.Form):
    scope = forms.ChoiceField(
        label="What to include",
        choices=Scope.choices,
        initial=Scope.MINE,
        widget=forms.RadioSelect,
        help_text="My work is the priorities you lead and the actions and measures you own.",
        error_messages={"required": "Choose what to include", "invalid_choice": "Choose what to include"},
    )
    priority = forms.ModelChoiceField(
        label="Priority",
        queryset=Priority.objects.none(),
        required=False,
        empty_label="Choose a priority",
        help_text="Only when you include one priority.",
        error_messages={"invalid_choice": "Choose a priority of the current plan"},
    )
    file_format = forms.ChoiceField(
        label="Format",
        choices=[(spreadsheet.XLSX, "Excel (.xlsx)"), (spreadsheet.CSV, "CSV (.csv)")],
        initial=spreadsheet.XLSX,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a format", "invalid_choice": "Choose a format"},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(plan=plan)

    def layout(self):
        return Layout(
            Field.radios("scope", legend_size=Size.SMALL),
            Field.select("priority"),
            Field.radios("file_format", legend_size=Size.SMALL, inline=True),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == Scope.PRIORITY and not cleaned.get("priority"):
            self.add_error("priority", "Choose the priority to include")
        return cleaned


class UploadForm(GovukForm, forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="The template with your changes, as .xlsx or .csv, "
        f"up to {filesizeformat(settings.BULK_UPDATE_MAX_BYTES)}.",
        # An empty file reaches the upload's own checks, which record it and say what is wrong.
        allow_empty_file=True,
        error_messages={"required": "Choose the spreadsheet to upload"},
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def layout(self):
        return Layout(Field("file"))


class ConfirmForm(GovukForm, forms.Form):
    ALL_OR_NOTHING = "all"
    VALID_ROWS = "valid"

    apply = forms.ChoiceField(
        label="Some rows have errors. What should be applied?",
        choices=[
            (VALID_ROWS, "Apply the rows without errors; leave the rows with errors"),
            (ALL_OR_NOTHING, "Apply nothing unless every row is valid"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to apply"},
    )

    def __init__(self, *args, has_errors, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_errors:
            # Nothing to choose: every row is valid, so all of them are applied.
            self.fields["apply"].required = False
            self.fields["apply"].widget = forms.HiddenInput()

    def layout(self):
        return Layout(Field.radios("apply", legend_size=Size.MEDIUM))

    @property
    def only_if_all_valid(self):
        return self.cleaned_data.get("apply") == self.ALL_OR_NOTHING
