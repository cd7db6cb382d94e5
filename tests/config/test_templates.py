"""The GOV.UK form field include and its template filters."""

from django import forms
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string

from config.templatetags.govuk import govuk_anchor, govuk_kind, govuk_widget


class ExampleForm(forms.Form):
    name = forms.CharField(help_text="As it appears on the plan")
    notes = forms.CharField(widget=forms.Textarea, required=False)
    rating = forms.ChoiceField(choices=[("red", "Red"), ("green", "Green")], widget=forms.RadioSelect)
    theme = forms.ChoiceField(choices=[("a", "A")])
    evidence = forms.FileField(required=False)
    confirmed = forms.BooleanField(required=False)


def render_field(form, name):
    return render_to_string("includes/field.html", {"field": form[name]})


def test_kinds():
    form = ExampleForm()
    kinds = {name: govuk_kind(form[name]) for name in form.fields}
    assert kinds == {
        "name": "input",
        "notes": "textarea",
        "rating": "radios",
        "theme": "select",
        "evidence": "file",
        "confirmed": "checkbox",
    }


def test_input_with_hint():
    html = render_field(ExampleForm(), "name")
    assert '<label class="govuk-label" for="id_name">' in html
    assert '<div id="id_name_helptext" class="govuk-hint">As it appears on the plan</div>' in html
    assert 'class="govuk-input"' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert "govuk-form-group--error" not in html


def test_input_with_error():
    form = ExampleForm(data={})
    html = render_field(form, "name")
    assert "govuk-form-group govuk-form-group--error" in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert '<p id="id_name_error" class="govuk-error-message">' in html
    assert '<span class="govuk-visually-hidden">Error:</span> This field is required.' in html


def test_optional_fields_say_so():
    html = render_field(ExampleForm(), "notes")
    assert "Notes (optional)" in " ".join(html.split())
    assert 'class="govuk-textarea"' in html


def test_select_and_file():
    form = ExampleForm()
    assert 'class="govuk-select"' in str(govuk_widget(form["theme"]))
    assert 'class="govuk-file-upload"' in str(govuk_widget(form["evidence"]))


def test_radios_in_a_fieldset():
    form = ExampleForm(data={"rating": "green"})
    html = render_field(form, "rating")
    assert '<fieldset class="govuk-fieldset">' in html
    assert 'class="govuk-radios" data-module="govuk-radios"' in html
    assert 'id="id_rating_1" name="rating" type="radio" value="green" checked' in html
    assert '<label class="govuk-label govuk-radios__label" for="id_rating_0">Red</label>' in html
    assert govuk_anchor(form["rating"]) == "id_rating_0"


def test_checkbox():
    html = render_field(ExampleForm(), "confirmed")
    assert 'class="govuk-checkboxes__input"' in html
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_confirmed">' in html


def test_widget_classes_are_kept_and_autofocus_dropped():
    form = ExampleForm()
    form.fields["name"].widget.attrs.update({"class": "govuk-input--width-20", "autofocus": True})
    html = str(govuk_widget(form["name"]))
    assert 'class="govuk-input govuk-input--width-20"' in html
    assert "autofocus" not in html


def test_error_summary_links_each_error_to_its_field():
    form = ExampleForm(data={})
    form.add_error(None, "Something about the whole form.")
    html = render_to_string("includes/error_summary.html", {"form": form})
    assert 'data-module="govuk-error-summary"' in html
    assert '<a href="#id_name">Something about the whole form.</a>' in html
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_rating_0">This field is required.</a>' in html


def test_error_summary_absent_without_errors():
    assert render_to_string("includes/error_summary.html", {"form": ExampleForm()}).strip() == ""


def test_messages_are_notification_banners():
    messages = [Message(constants.SUCCESS, "Action saved"), Message(constants.INFO, "Note this")]
    html = render_to_string("includes/messages.html", {"messages": messages})
    assert 'class="govuk-notification-banner govuk-notification-banner--success" role="alert"' in html
    assert '<p class="govuk-notification-banner__heading">Action saved</p>' in html
    assert 'class="govuk-notification-banner" role="region"' in html
    assert ">Important</h2>" in html
