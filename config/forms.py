"""Form building blocks: every form renders through crispy-forms-gds as GOV.UK Design System
components, with GOV.UK's own wording for errors."""

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone


class GovukForm:
    """Mixin for a form rendered by `{% crispy form %}` inside a page's own <form> element
    (see `templates/includes/form.html`). Subclasses list their fields in `layout()`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own <form> carries the token
        self.helper.layout = self.layout()

    def layout(self):
        return Layout(*self.fields)


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

    def compress(self, data_list):
        day, month, year = data_list
        if not (day or month or year):
            return None
        try:
            value = dt.date(int(year), int(month), int(day))
        except (TypeError, ValueError):
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
