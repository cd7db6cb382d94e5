"""Form building blocks: every form renders through crispy-forms-gds as GOV.UK Design System
components, with GOV.UK's own wording for errors."""

import datetime as dt
import html

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from inspections.models import EditConflict


class GovukForm:
    """Mixin for a form rendered by `{% crispy form %}` inside a page's own <form> element
    (see `templates/includes/form.html`). Subclasses list their fields in `layout()`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = Select(attrs=field.widget.attrs, choices=field.widget.choices)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own <form> carries the token
        self.helper.layout = self.layout()

    def layout(self):
        return Layout(*self.fields)


class Select(forms.Select):
    """Django's select with its options written out directly, not by a template (and an options
    dictionary) each: the same HTML, but a list of hundreds of people (a filter's owners) takes
    a millisecond or two rather than 30."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        # As Django's: only the first option with the value is selected.
        wanted = set(self.format_value(value))
        chosen = False

        def options(choices):
            nonlocal chosen
            for option_value, label in choices:
                option_value = "" if option_value is None else str(option_value)
                selected = not chosen and option_value in wanted
                chosen = chosen or selected
                marked = " selected" if selected else ""
                yield f'<option value="{_escape(option_value)}"{marked}>{_escape(label)}</option>'

        groups = []
        for group, choices in self.choices:
            if isinstance(choices, (list, tuple)):
                groups.append(f'<optgroup label="{_escape(group)}">{"".join(options(choices))}</optgroup>')
            else:
                groups.extend(options([(group, choices)]))
        return mark_safe(f'<select name="{_escape(name)}"{flatatt(attrs)}>{"".join(groups)}</select>')


def _escape(text):
    """Django's conditional_escape without its laziness checks, which cost more than the
    escaping on a list of hundreds."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


class GovukDateField(DateInputField):
    """GOV.UK's date input (day, month and year boxes) with GOV.UK's error messages, which
    name the date: 'Enter the date the action was completed', '... must be a real date'.

    `what` completes 'Enter …'; `past_only` refuses dates after today."""

    def __init__(self, *, what="the date", past_only=True, **kwargs):
        self.what = what
        self.past_only = past_only
        super().__init__(require_all_fields=False, **kwargs)
        self.error_messages.update({"required": f"Enter {what}", "incomplete": f"Enter {what}"})
        for field, part in zip(self.fields, ("day", "month", "year"), strict=True):
            field.error_messages["incomplete"] = f"{self._subject} must include a {part}"
            field.validators = []
        for widget in self.widget.widgets:
            widget.attrs["inputmode"] = "numeric"

    @property
    def _subject(self):
        return self.what[0].upper() + self.what[1:]

    def clean(self, value):
        for field in self.fields:
            field.widget.errors = []
        try:
            return super().clean(value)
        except ValidationError as error:
            # An error about the whole date belongs to its first box, so that the error
            # summary's link lands on an input (GOV.UK's date input pattern).
            if not any(field.widget.errors for field in self.fields):
                self.fields[0].widget.errors = error.messages
            raise

    def compress(self, data_list):
        day, month, year = data_list
        if not (day or month or year):
            return None
        try:
            value = dt.date(int(year), int(month), int(day))
        except (TypeError, ValueError, OverflowError):
            # OverflowError: a number too large for a date's parts (found by hypothesis).
            raise ValidationError(f"{self._subject} must be a real date", code="invalid_date") from None
        if value.year < 1900:
            raise ValidationError(f"{self._subject} must be a real date", code="invalid_date")
        if self.past_only and value > timezone.localdate():
            raise ValidationError(f"{self._subject} must be today or in the past", code="future")
        return value


class SignInForm(GovukForm, AuthenticationForm):
    """Django's sign-in form with GOV.UK wording: one clear message for bad credentials."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been deactivated. Contact an administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No autofocus: moving focus on load makes screen reader users skip the page's heading.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def layout(self):
        return Layout(
            Field.text("username", field_width=20, autocomplete="username", spellcheck="false"),
            Field.text("password", field_width=20, autocomplete="current-password"),
        )


class VerbForm(GovukForm, forms.Form):
    """A form whose data goes to one verb of a record (`submit()`).

    Field names are the verb's keyword arguments; `fields_by_code` puts each refusal, by its
    `ValidationError` code, on the field it concerns (others go to the top of the form).
    """

    fields_by_code = {}

    def verb_arguments(self):
        """The verb's keyword arguments from the cleaned data."""
        return dict(self.cleaned_data)

    def submit(self, verb, **arguments):
        """Call `verb` with the form's data and `arguments`; return True when it succeeded,
        else False with the refusal on the form. The verb's result is kept as `result`."""
        if not self.is_valid():
            return False
        try:
            self.result = verb(**self.verb_arguments(), **arguments)
        except ValidationError as refusal:
            self.refused(refusal)
            return False
        return True

    def refused(self, refusal):
        for error in refusal.error_list:
            name = self.fields_by_code.get(error.code)
            self.add_error(name, error)
            if isinstance(self.fields.get(name), GovukDateField):
                # As for the field's own errors: the summary links to the date's first box.
                self.fields[name].fields[0].widget.errors = error.messages


class RecordForm(VerbForm):
    """A form that changes an existing record, carrying in a hidden field the version the
    record was at when the page was opened.

    If someone else saved in between, the verb refuses with `EditConflict`: the form keeps
    what was typed, shows the other change (`conflict`, a `TimelineEntry`) and takes the
    record's new version, so that submitting again applies the officer's change on top.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, data=None, *, record, **kwargs):
        self.record = record
        self.conflict = None
        kwargs["initial"] = {"version": record.version, **kwargs.get("initial", {})}
        super().__init__(data, **kwargs)
        self.fields["version"].error_messages = dict.fromkeys(
            ("required", "invalid", "min_value"), "This page is out of date. Reload it and enter your update again."
        )

    def clean(self):
        # A hidden field's error would show nowhere: put it at the top of the form.
        if "version" in self._errors:
            self.add_error(None, list(self._errors.pop("version")))
        return super().clean()

    def verb_arguments(self):
        arguments = super().verb_arguments()
        arguments["expected_version"] = arguments.pop("version")
        return arguments

    def refused(self, refusal):
        if isinstance(refusal, EditConflict):
            self.conflict = refusal.latest_change
            self.data = self.data.copy()
            self.data["version"] = (
                type(self.record)._base_manager.values_list("version", flat=True).get(pk=self.record.pk)
            )
        super().refused(refusal)


COMMENTARY_MAX_LENGTH = 2000


def commentary_field(label, *, help_text, max_length=COMMENTARY_MAX_LENGTH):
    """A textarea with GOV.UK's character count, which needs a hint (`help_text`). Never
    required by the form: the verb says when it is needed, and why."""
    field = forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea,
        error_messages={"max_length": f"{label} must be {max_length:,} characters or fewer"},
    )
    # The character count tells people the limit; a maxlength would cut pasted text silently.
    field.widget.attrs.pop("maxlength", None)
    return field


class FindingLinkForm(VerbForm):
    """Choose, from a finding's page, a priority, action, measure or scrutiny action that
    answers it. Each option's value carries the record's version ("<model>:<pk>:<version>"),
    so linking checks it as every other form does."""

    item = forms.CharField(
        label="What answers this finding?",
        widget=forms.Select,
        error_messages={"required": "Choose a priority, action, measure or scrutiny action"},
    )

    fields_by_code = {"nothing_to_link": "item"}

    LABELS = {
        "priority": lambda priority: f"{priority} ({priority.plan})",
        "action": lambda action: f"{action}: {Truncator(action.description).words(12)}",
        "scrutinyaction": lambda action: f"{action}: {Truncator(action.text).words(12)}",
    }

    def __init__(self, data=None, *, candidates, **kwargs):
        """`candidates`: group label → records that do not answer the finding yet."""
        super().__init__(data, **kwargs)
        self.conflict = None
        self.records = {}
        choices = [("", "Choose one")]
        for group, records in candidates.items():
            options = []
            for record in records:
                key = f"{record._meta.model_name}:{record.pk}"
                self.records[key] = record
                options.append((f"{key}:{record.version}", self.LABELS.get(record._meta.model_name, str)(record)))
            if options:
                choices.append((group, options))
        self.fields["item"].widget.choices = choices

    def layout(self):
        return Layout(Field("item", context={"label_size": "govuk-label--m"}))

    def clean_item(self):
        key, _, version = self.cleaned_data["item"].rpartition(":")
        if key not in self.records or not version.isdigit():
            raise ValidationError(
                "Choose from the list: the one you chose already answers this finding, or no longer exists"
            )
        return self.records[key], int(version)

    def verb_arguments(self):
        record, version = self.cleaned_data["item"]
        return {"record": record, "expected_version": version}

    def refused(self, refusal):
        if isinstance(refusal, EditConflict):
            record = self.cleaned_data["item"][0]
            self.conflict = refusal.latest_change
            self.data = self.data.copy()
            self.data["item"] = f"{record._meta.model_name}:{record.pk}:{record.version}"
        super().refused(refusal)
