"""The admin for the plan. Every change to plan data that has a verb goes through the verb or
is not offered here: ratings, progress, status, due dates, findings, targets and value
corrections are made on the officers' pages, which the admin links to. What the admin still
edits (descriptions, owners, numbering) moves the record's version on, so that an officer's
page opened before it is told rather than overwriting it."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from improvement.models import (
    VIA_ADMIN,
    Action,
    BulkUpdate,
    ComparatorGroup,
    ComparatorValue,
    ImprovementPlan,
    Measure,
    MeasureValue,
    PlanPhase,
    Priority,
    ProgressUpdate,
    check_not_in_future,
)
from inspections.admin_log import LoggedValuesAdmin
from inspections.models import EditConflict, VersionedModel


class VersionedForm(forms.ModelForm):
    """Carries the version a record was at when its admin page was opened, and refuses the
    save if someone changed the record since (`EditConflict`'s message says who)."""

    opened_at_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_at_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_at_version")
        if self.instance.pk and opened is not None and opened != self.instance.version:
            raise EditConflict(self.instance)
        return cleaned


class VersionedAdmin(SimpleHistoryAdmin):
    """Saves move a versioned record's version on, inline rows included; an inline row
    marked for deletion is deleted (or its formset refused it with a message)."""

    def save_model(self, request, obj, form, change):
        if change and isinstance(obj, VersionedModel):
            obj.claim_version(form.cleaned_data.get("opened_at_version"))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        changed = [form for form in formset.initial_forms if form.has_changed() and form not in formset.deleted_forms]
        for inline_form in changed:
            if isinstance(inline_form.instance, VersionedModel):
                inline_form.instance.claim_version(inline_form.cleaned_data.get("opened_at_version"))
        formset.save()


def officer_links(links):
    """Links to the officers' pages, for read-only fields that say where a change is made."""
    return format_html_join(" · ", '<a href="{}">{}</a>', links)


class PhaseInline(admin.TabularInline):
    model = PlanPhase
    extra = 0


class PriorityInline(admin.TabularInline):
    model = Priority
    form = VersionedForm
    fields = ["number", "reference", "title", "lead", "lead_role", "opened_at_version"]
    autocomplete_fields = ["lead"]
    extra = 0
    show_change_link = True


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(VersionedAdmin):
    list_display = ["title", "authority", "period_start", "period_end", "governance_body", "refreshed_on"]
    list_filter = ["authority", "governance_body"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["authority", "responds_to", "independent_chair", "source"]
    inlines = [PhaseInline, PriorityInline]


class HistoryInline(admin.TabularInline):
    """An append-only history, shown read-only: entries are added on the officers' pages."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProgressUpdateInline(HistoryInline):
    model = ProgressUpdate
    verbose_name_plural = "Progress updates (recorded on the officers' pages)"
    fields = ["date", "rating", "status", "completed_on", "commentary", "author", "recorded_by", "recorded_via"]
    readonly_fields = fields
    ordering = ["-as_of", "-pk"]


class ActionForm(VersionedForm):
    """An action's own fields. Its status and completion date follow its progress updates,
    and once it exists its due date and findings change only through its verbs."""

    class Meta:
        model = Action
        fields = [
            "priority",
            "number",
            "description",
            "owner",
            "owner_role",
            "start_date",
            "due_date",
            "findings",
            "no_finding_reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Per row, for the inline on a priority's page (the action's own page lists
            # them as read-only fields instead).
            for name in ("due_date", "findings"):
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = "Changed on the action's page for officers."

    def clean(self):
        cleaned = super().clean()
        self.instance.no_finding_reason = cleaned.get("no_finding_reason", "")
        findings = cleaned.get("findings") if "findings" in self.fields else self.instance.findings.all()
        try:
            self.instance.clean_findings(findings or [])
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class ActionInline(admin.StackedInline):
    """Actions under a priority. Deleting one with history is refused by the admin itself
    (its updates are PROTECTed), naming the updates; one without history is deleted."""

    model = Action
    form = ActionForm
    fields = [
        "number",
        "description",
        "owner",
        "owner_role",
        "start_date",
        "due_date",
        "findings",
        "no_finding_reason",
        "status",
        "completed_on",
        "opened_at_version",
    ]
    readonly_fields = ["status", "completed_on"]
    autocomplete_fields = ["owner", "findings"]
    extra = 0
    show_change_link = True


class RatedAdmin(VersionedAdmin):
    """A priority or an action: the current rating in the list, history inline, read-only."""

    inlines = [ProgressUpdateInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_current_rating()

    @admin.display(description="Current rating", ordering="current_rating")
    def current_rating(self, record):
        return record.current_rating or "—"


@admin.register(Priority)
class PriorityAdmin(RatedAdmin):
    form = VersionedForm
    list_display = ["__str__", "plan", "lead_display", "current_rating"]
    list_filter = ["plan", "themes"]
    search_fields = ["title", "description", "reference"]
    autocomplete_fields = ["plan", "lead", "findings", "themes"]
    list_select_related = ["plan", "lead"]
    inlines = [ProgressUpdateInline, ActionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["findings", "officer_pages"] if obj else []

    @admin.display(description="Officers' pages")
    def officer_pages(self, priority):
        return officer_links(
            [
                (reverse("improvement:priority_rate", args=[priority.pk]), "Update the rating"),
                (reverse("improvement:priority_link_findings", args=[priority.pk]), "Link or unlink findings"),
            ]
        )


@admin.register(Action)
class ActionAdmin(RatedAdmin):
    form = ActionForm
    list_display = ["__str__", "description", "owner_display", "due_date", "status", "current_rating"]
    list_filter = ["status", "priority__plan", "priority"]
    search_fields = ["description", "owner__name", "owner_role"]
    autocomplete_fields = ["priority", "owner", "findings"]
    list_select_related = ["priority", "owner"]
    date_hierarchy = "due_date"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["status", "completed_on", "due_date", "due_date_precision", "original_due_date", "findings"] + [
            "officer_pages"
        ]

    @admin.display(description="Officers' pages")
    def officer_pages(self, action):
        return officer_links(
            [
                (reverse("improvement:action_rate", args=[action.pk]), "Update the rating"),
                (reverse("improvement:action_progress", args=[action.pk]), "Update progress or status"),
                (reverse("improvement:action_due_date", args=[action.pk]), "Move the due date"),
                (reverse("improvement:action_link_findings", args=[action.pk]), "Link or unlink findings"),
            ]
        )


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(LoggedValuesAdmin):
    """Read-only: the plan's history is appended on the officers' pages."""

    list_display = ["__str__", "date", "rating", "status", "author", "recorded_by", "recorded_at"]
    list_filter = ["rating", "date"]
    search_fields = ["commentary"]
    list_select_related = ["priority", "action__priority", "author", "recorded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeasureValueForm(forms.ModelForm):
    """A new value, checked as `Measure.record_value()` checks it before the admin saves it
    through that verb. (Recorded values are read-only here: a correction needs a reason.)"""

    class Meta:
        model = MeasureValue
        fields = ["measure", "period_end", "period_precision", "period_label", "value", "note"]

    def clean_period_end(self):
        period_end = self.cleaned_data["period_end"]
        check_not_in_future(period_end, "The period")
        return period_end


def record_value(request, measure, form):
    data = form.cleaned_data
    return measure.record_value(
        by=request.user,
        via=VIA_ADMIN,
        period_end=data["period_end"],
        precision=data["period_precision"],
        period_label=data["period_label"],
        value=data["value"],
        note=data["note"],
    )


class MeasureValueInline(admin.TabularInline):
    model = MeasureValue
    form = MeasureValueForm
    fields = [
        "period_end",
        "period_precision",
        "period_label",
        "value",
        "note",
        "dated_by_report",
        "qualifier",
        "reported_rating",
        "reported_rating_risk",
        "recorded_by",
        "recorded_via",
    ]
    # What the sources qualify or report is transcribed by fixtures; the admin adds plain values.
    readonly_fields = [
        "dated_by_report",
        "qualifier",
        "reported_rating",
        "reported_rating_risk",
        "recorded_by",
        "recorded_via",
    ]
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


class ComparatorValueInline(admin.TabularInline):
    model = ComparatorValue
    fields = [
        "group",
        "period_start",
        "period_end",
        "period_precision",
        "period_label",
        "dated_by_report",
        "qualifier",
        "value",
        "source",
    ]
    autocomplete_fields = ["group", "source"]
    extra = 0


@admin.register(Measure)
class MeasureAdmin(VersionedAdmin):
    form = VersionedForm
    list_display = ["title", "owner", "unit", "polarity", "target", "latest_value", "latest_period_end"]
    list_filter = ["unit", "polarity", "frequency", "themes"]
    search_fields = ["title", "definition", "reference"]
    autocomplete_fields = ["owner", "priority", "themes", "findings"]
    list_select_related = ["owner"]
    inlines = [MeasureValueInline, ComparatorValueInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_latest_values()

    def get_readonly_fields(self, request, obj=None):
        return ["target", "amber_tolerance", "target_date", "findings", "officer_pages"] if obj else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not MeasureValue:
            return super().save_formset(request, form, formset, change)
        # The admin's change message reads what the formset saved.
        formset.new_objects = [
            record_value(request, form.instance, value_form)
            for value_form in formset.extra_forms
            if value_form.has_changed()
        ]
        formset.changed_objects, formset.deleted_objects = [], []

    @admin.display(description="Officers' pages")
    def officer_pages(self, measure):
        return officer_links(
            [
                (reverse("improvement:measure_record_value", args=[measure.pk]), "Record a value"),
                (reverse("improvement:measure_set_target", args=[measure.pk]), "Set the target"),
                (reverse("improvement:measure_link_findings", args=[measure.pk]), "Link or unlink findings"),
            ]
        )

    @admin.display(description="Latest value", ordering="latest_value")
    def latest_value(self, measure):
        return measure.latest_value

    @admin.display(description="For", ordering="latest_period_end")
    def latest_period_end(self, measure):
        return measure.latest_period_end


@admin.register(MeasureValue)
class MeasureValueAdmin(SimpleHistoryAdmin):
    """Values are added through `Measure.record_value()` and corrected on the officers' page."""

    form = MeasureValueForm
    list_display = ["measure", "period_end", "period_label", "dated_by_report", "qualifier", "value", "recorded_by"]
    list_filter = ["measure"]
    search_fields = ["measure__title", "period_label"]
    autocomplete_fields = ["measure"]
    list_select_related = ["measure", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_via", "correct_it"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        recorded = record_value(request, obj.measure, form)
        obj.pk, obj.recorded_by, obj.recorded_via = recorded.pk, recorded.recorded_by, recorded.recorded_via
        obj._state.adding = False

    @admin.display(description="Officers' page")
    def correct_it(self, value):
        if value.pk is None:
            return "—"
        return format_html(
            '<a href="{}">Correct this value, giving the reason</a>',
            reverse("improvement:value_correct", args=[value.pk]),
        )


@admin.register(ComparatorGroup)
class ComparatorGroupAdmin(LoggedValuesAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["members"]


@admin.register(BulkUpdate)
class BulkUpdateAdmin(LoggedValuesAdmin):
    """Read-only: the record of each bulk update upload, for Administrators to read."""

    list_display = ["file_name", "uploaded_by", "uploaded_at", "status", "counts_display", "applied_at"]
    list_filter = ["status"]
    search_fields = ["file_name", "sha256", "uploaded_by__username"]
    list_select_related = ["uploaded_by"]
    fields = [
        "file_name",
        "sha256",
        "size",
        "uploaded_by",
        "uploaded_at",
        "plan",
        "status",
        "refused_because",
        "only_if_all_valid",
        "applied_at",
        "counts_display",
        "rows_display",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Rows")
    def counts_display(self, upload):
        return ", ".join(f"{number} {outcome}" for outcome, number in upload.counts.items() if number) or "—"

    @admin.display(description="What each row did or would do")
    def rows_display(self, upload):
        if not upload.rows:
            return "—"
        lines = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    row["row"],
                    row["item"] or "—",
                    row["outcome"],
                    "; ".join(
                        [*row["changes"], *(f"{error['column']}: {error['message']}" for error in row["errors"])]
                    ),
                )
                for row in upload.rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>Row</th><th>Item</th><th>Outcome</th><th>Details</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            lines,
        )
