from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from improvement.models import (
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
)


class PhaseInline(admin.TabularInline):
    model = PlanPhase
    extra = 0


class PriorityInline(admin.TabularInline):
    model = Priority
    fields = ["number", "reference", "title", "lead", "lead_role"]
    autocomplete_fields = ["lead"]
    extra = 0
    show_change_link = True


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "authority", "period_start", "period_end", "governance_body", "refreshed_on"]
    list_filter = ["authority", "governance_body"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["authority", "responds_to", "independent_chair", "source"]
    inlines = [PhaseInline, PriorityInline]


class AppendOnlyInline(admin.TabularInline):
    """Shows history and lets new entries be added, but never edited or deleted."""

    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


class ProgressUpdateInline(AppendOnlyInline):
    model = ProgressUpdate
    fields = ["date", "rating", "commentary", "author", "reported_to", "source", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    autocomplete_fields = ["author", "source"]
    ordering = ["-date", "-pk"]


class ActionForm(forms.ModelForm):
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
            "completed_on",
            "status",
            "findings",
            "no_finding_reason",
        ]

    def clean(self):
        cleaned = super().clean()
        self.instance.no_finding_reason = cleaned.get("no_finding_reason", "")
        try:
            self.instance.clean_findings(cleaned.get("findings") or [])
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class ActionInline(admin.StackedInline):
    model = Action
    form = ActionForm
    fields = ["number", "description", "owner", "owner_role", "due_date", "status", "findings", "no_finding_reason"]
    autocomplete_fields = ["owner", "findings"]
    extra = 0
    show_change_link = True


class RecordedByMixin:
    """Stamps new append-only entries with the signed-in user."""

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if hasattr(instance, "recorded_by_id") and instance.pk is None:
                instance.recorded_by = request.user
            instance.save()
        formset.save_m2m()


@admin.register(Priority)
class PriorityAdmin(RecordedByMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "lead_display", "current_rating"]
    list_filter = ["plan", "themes"]
    search_fields = ["title", "description", "reference"]
    autocomplete_fields = ["plan", "lead", "findings", "themes"]
    list_select_related = ["plan", "lead"]
    inlines = [ProgressUpdateInline, ActionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_current_rating()

    @admin.display(description="Current rating", ordering="current_rating")
    def current_rating(self, priority):
        return priority.current_rating or "—"


@admin.register(Action)
class ActionAdmin(RecordedByMixin, SimpleHistoryAdmin):
    form = ActionForm
    list_display = ["__str__", "description", "owner_display", "due_date", "status", "current_rating"]
    list_filter = ["status", "priority__plan", "priority"]
    search_fields = ["description", "owner__name", "owner_role"]
    autocomplete_fields = ["priority", "owner", "findings"]
    list_select_related = ["priority", "owner"]
    date_hierarchy = "due_date"
    inlines = [ProgressUpdateInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_current_rating()

    @admin.display(description="Current rating", ordering="current_rating")
    def current_rating(self, action):
        return action.current_rating or "—"


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Read-only: the plan's history is appended through priorities and actions."""

    list_display = ["__str__", "date", "rating", "author", "recorded_by", "recorded_at"]
    list_filter = ["rating", "date"]
    search_fields = ["commentary"]
    list_select_related = ["priority", "action__priority", "author", "recorded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeasureValueInline(admin.TabularInline):
    model = MeasureValue
    fields = [
        "period_start",
        "period_end",
        "period_precision",
        "period_label",
        "dated_by_report",
        "qualifier",
        "value",
        "reported_rating",
        "reported_rating_risk",
        "note",
        "source",
    ]
    autocomplete_fields = ["source"]
    extra = 0


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
class MeasureAdmin(RecordedByMixin, SimpleHistoryAdmin):
    list_display = ["title", "unit", "polarity", "target", "latest_value", "latest_period_end"]
    list_filter = ["unit", "polarity", "frequency", "themes"]
    search_fields = ["title", "definition", "reference"]
    autocomplete_fields = ["priority", "themes", "findings"]
    inlines = [MeasureValueInline, ComparatorValueInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_latest_values()

    @admin.display(description="Latest value", ordering="latest_value")
    def latest_value(self, measure):
        return measure.latest_value

    @admin.display(description="For", ordering="latest_period_end")
    def latest_period_end(self, measure):
        return measure.latest_period_end


@admin.register(MeasureValue)
class MeasureValueAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "period_end", "period_label", "dated_by_report", "qualifier", "value"]
    list_filter = ["measure"]
    search_fields = ["measure__title", "period_label"]
    autocomplete_fields = ["measure", "source"]
    list_select_related = ["measure"]


@admin.register(ComparatorGroup)
class ComparatorGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["members"]


@admin.register(BulkUpdate)
class BulkUpdateAdmin(admin.ModelAdmin):
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
