"""Shared form and page furniture: GOV.UK markup from crispy-forms-gds, GOV.UK wording."""

import datetime as dt

import pytest
from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.utils import timezone

from config.forms import GovukDateField, GovukForm, SignInForm


class DateForm(GovukForm, forms.Form):
    completed_on = GovukDateField(what="the date the action was completed")


def date_errors(day, month, year):
    form = DateForm(data={"completed_on_0": day, "completed_on_1": month, "completed_on_2": year})
    assert not form.is_valid()
    return form.errors["completed_on"]


def test_a_date_is_read_from_its_three_boxes():
    form = DateForm(data={"completed_on_0": "9", "completed_on_1": "3", "completed_on_2": "2022"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["completed_on"] == dt.date(2022, 3, 9)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date the action was completed"),
        ("31", "2", "2022", "The date the action was completed must be a real date"),
        ("9", "x", "2022", "The date the action was completed must be a real date"),
        ("9", "", "2022", "The date the action was completed must include a month"),
        ("9", "3", "22", "The date the action was completed must be a real date"),
    ],
)
def test_date_errors_use_govuk_wording(day, month, year, message):
    assert date_errors(day, month, year) == [message]


def test_a_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert date_errors(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)) == [
        "The date the action was completed must be today or in the past"
    ]


def test_the_date_input_is_three_labelled_boxes():
    html = render_to_string("includes/form_fields.html", {"form": DateForm()})
    assert 'class="govuk-date-input"' in html
    for number, label in enumerate(("Day", "Month", "Year")):
        assert f'for="id_completed_on_{number}">{label}</label>' in html
    assert html.count('inputmode="numeric"') == 3


def test_sign_in_errors_are_summarised_and_linked_to_their_fields():
    form = SignInForm(data={"username": "", "password": ""})
    assert not form.is_valid()
    summary = render_to_string("includes/error_summary.html", {"form": form})
    assert 'data-module="govuk-error-summary"' in summary
    assert '<a href="#id_username">Enter your username</a>' in summary
    assert '<a href="#id_password">Enter your password</a>' in summary
    fields = render_to_string("includes/form_fields.html", {"form": form})
    assert "govuk-form-group--error" in fields
    assert "autofocus" not in fields
    assert 'autocomplete="current-password"' in fields


def test_error_summary_absent_without_errors():
    assert render_to_string("includes/error_summary.html", {"form": SignInForm()}).strip() == ""


def test_messages_are_notification_banners():
    messages = [Message(constants.SUCCESS, "Action saved"), Message(constants.INFO, "Note this")]
    html = render_to_string("includes/messages.html", {"messages": messages})
    assert 'class="govuk-notification-banner govuk-notification-banner--success" role="alert"' in html
    assert '<p class="govuk-notification-banner__heading">Action saved</p>' in html
    assert 'class="govuk-notification-banner" role="region"' in html
    assert ">Important</h2>" in html


class ChoiceForm(GovukForm, forms.Form):
    owner = forms.ChoiceField(
        choices=[("", "Anyone"), ("1", "Sam <Brook> & Co"), ("Teams", [("2", "Team A"), ("3", 'Team "B"')])],
        required=False,
    )


@pytest.mark.parametrize("value", ["", "1", "3"])
def test_a_select_renders_in_python_exactly_as_djangos_template_does(value):
    form = ChoiceForm(data={"owner": value})
    ours = form["owner"].as_widget(attrs={"class": "govuk-select"})
    form.fields["owner"].widget = forms.Select(choices=form.fields["owner"].choices)
    djangos = form["owner"].as_widget(attrs={"class": "govuk-select"})

    assert type(ChoiceForm().fields["owner"].widget).__name__ == "Select"
    assert ours == "".join(line.strip() for line in djangos.splitlines())
    assert ours.count(" selected") == 1 and f'<option value="{value}" selected>' in ours
