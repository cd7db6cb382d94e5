"""The admin's log, with values: for records that keep no history of their own, each change made
in the admin is logged with every changed field's value before and after, so that the audit
trail can show them (Django's own log names the fields only)."""

from django import forms
from django.contrib import admin


def _shown(field, value):
    """A form value as a person reads it: a chosen record by its name, not its key."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        chosen = value if value is not None else []
        keys = [getattr(item, "pk", item) for item in chosen]
        return ", ".join(str(item) for item in field.queryset.filter(pk__in=keys)) or "—"
    if isinstance(field, forms.ModelChoiceField):
        key = getattr(value, "pk", value)
        return str(field.queryset.filter(pk=key).first() or "—") if key not in (None, "") else "—"
    if value in (None, ""):
        return "—"
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def values_changed(form):
    """{label: [before, after]} for each field the form changed."""
    return {
        str(form[name].label): [_shown(form.fields[name], form.initial.get(name)), _shown(form.fields[name], after)]
        for name in form.changed_data
        if name in form.cleaned_data
        for after in [form.cleaned_data[name]]
    }


class LoggedValuesAdmin(admin.ModelAdmin):
    """An admin whose log entries keep the values before and after each change, for a model with
    no django-simple-history of its own (the trail reads history where there is some)."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if add:
            return message
        forms_by_object = {
            (str(inline.model._meta.verbose_name), str(inline.instance)): inline
            for formset in formsets
            for inline in formset.initial_forms
            if inline.has_changed()
        }
        for part in message:
            changed = part.get("changed")
            if changed is None:
                continue
            source = form if "name" not in changed else forms_by_object.get((changed["name"], changed["object"]))
            if source is not None:
                changed["values"] = values_changed(source)
        return message
