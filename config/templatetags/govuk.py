"""Render Django form widgets with GOV.UK Frontend classes.

    {% load govuk %}
    {{ field|govuk_widget }}     the widget, with GOV.UK classes and aria-describedby
    {{ field|govuk_kind }}       "input", "textarea", "select", "file", "checkbox",
                                 "radios" or "checkboxes": which markup includes/field.html uses
    {{ field|govuk_anchor }}     the id an error summary link should point at

Hint and error ids follow Django's own convention: `<id>_helptext` and `<id>_error`.
"""

from django import forms, template

register = template.Library()

# Widget class -> (kind, GOV.UK class). Checked in order, so subclasses come first.
_KINDS = [
    (forms.CheckboxSelectMultiple, "checkboxes", "govuk-checkboxes__input"),
    (forms.RadioSelect, "radios", "govuk-radios__input"),
    (forms.CheckboxInput, "checkbox", "govuk-checkboxes__input"),
    (forms.FileInput, "file", "govuk-file-upload"),
    (forms.Textarea, "textarea", "govuk-textarea"),
    (forms.Select, "select", "govuk-select"),
]


def _kind_and_class(widget):
    for widget_class, kind, css_class in _KINDS:
        if isinstance(widget, widget_class):
            return kind, css_class
    return "input", "govuk-input"


@register.filter
def govuk_kind(bound_field):
    return _kind_and_class(bound_field.field.widget)[0]


@register.filter
def govuk_anchor(bound_field):
    """The id of the field's (first) input: radios and checkbox lists have no single label id."""
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"


@register.filter
def govuk_describedby(bound_field):
    """The ids of the field's hint and error message, space-separated ("" if neither)."""
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_error")
    return " ".join(ids)


@register.filter
def govuk_widget(bound_field):
    """The widget with GOV.UK classes (error variants too), aria-describedby and no autofocus."""
    widget = bound_field.field.widget
    kind, css_class = _kind_and_class(widget)
    classes = [css_class]
    if bound_field.errors and kind in {"input", "textarea", "select", "file"}:
        classes.append(f"{css_class}--error")
    existing = widget.attrs.get("class")
    if existing:
        classes.append(existing)
    # No autofocus (Django's sign-in form sets it): moving focus on page load makes screen
    # reader users skip the page's heading and content. A False attribute is not rendered.
    attrs = {"class": " ".join(classes), "autofocus": False}
    describedby = govuk_describedby(bound_field)
    if describedby:
        attrs["aria-describedby"] = describedby
    return bound_field.as_widget(attrs=attrs)
