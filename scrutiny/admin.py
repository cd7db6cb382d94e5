from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from improvement.admin import HistoryInline, VersionedAdmin, VersionedForm, officer_links
from inspections.admin_log import LoggedValuesAdmin
from scrutiny.models import (
    AgendaItem,
    Attendance,
    Commitment,
    Committee,
    DiscussionPoint,
    Meeting,
    Membership,
    Recommendation,
    ScrutinyAction,
    ScrutinyActionUpdate,
    ScrutinyFinding,
    Witness,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["person"]
    extra = 0


class WitnessInline(admin.TabularInline):
    model = Witness
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(LoggedValuesAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "plans"]
    inlines = [MembershipInline, WitnessInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["number", "title", "pages", "inspection", "plan", "document"]
    autocomplete_fields = ["inspection", "plan", "document"]
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    autocomplete_fields = ["person"]
    extra = 0


class DiscussionPointInline(admin.StackedInline):
    model = DiscussionPoint
    fields = ["number", "agenda_item", "topic", "text", "findings", "measures"]
    autocomplete_fields = ["findings", "measures"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(LoggedValuesAdmin):
    list_display = ["__str__", "committee", "date", "start_time", "venue"]
    list_filter = ["committee"]
    search_fields = ["title", "description", "venue", "committee__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["committee", "agenda", "record"]
    list_select_related = ["committee"]
    inlines = [AttendanceInline, AgendaItemInline, DiscussionPointInline]


class ScrutinyActionUpdateInline(HistoryInline):
    model = ScrutinyActionUpdate
    verbose_name_plural = "Progress updates (recorded on the officers' pages)"
    fields = ["date", "status", "commentary", "author", "recorded_by", "recorded_via"]
    readonly_fields = fields


@admin.register(ScrutinyAction)
class ScrutinyActionAdmin(VersionedAdmin):
    """A scrutiny action's status follows its updates, and once it exists its findings change
    only through its verbs: both are made on the officers' pages."""

    form = VersionedForm
    list_display = ["__str__", "text", "owner_display", "due_date", "status"]
    list_filter = ["status", "meeting__committee"]
    search_fields = ["text", "owner__name", "owner_role"]
    autocomplete_fields = ["meeting", "agenda_item", "owner", "findings", "priorities", "measures"]
    list_select_related = ["meeting__committee", "owner"]
    inlines = [ScrutinyActionUpdateInline]

    def get_readonly_fields(self, request, obj=None):
        return ["status", "findings", "officer_pages"] if obj else ["status"]

    @admin.display(description="Officers' pages")
    def officer_pages(self, action):
        return officer_links(
            [
                (reverse("scrutiny:action_progress", args=[action.pk]), "Record progress or mark it done"),
                (reverse("scrutiny:scrutinyaction_link_findings", args=[action.pk]), "Link or unlink findings"),
            ]
        )


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "made_on", "addressed_to", "status"]
    list_filter = ["status", "committee"]
    search_fields = ["text", "response"]
    autocomplete_fields = ["committee", "meeting", "source", "findings", "priorities", "measures"]
    list_select_related = ["committee"]


@admin.register(AgendaItem)
class AgendaItemAdmin(LoggedValuesAdmin):
    list_display = ["__str__", "meeting"]
    search_fields = ["title", "description", "meeting__committee__name"]
    autocomplete_fields = ["meeting", "inspection", "plan", "document"]
    list_select_related = ["meeting__committee"]


@admin.register(ScrutinyFinding)
class ScrutinyFindingAdmin(LoggedValuesAdmin):
    list_display = ["__str__", "section", "text", "source"]
    list_filter = ["committee"]
    search_fields = ["text", "section", "committee__name"]
    autocomplete_fields = ["committee", "source", "findings"]
    list_select_related = ["committee", "source"]


@admin.register(Commitment)
class CommitmentAdmin(LoggedValuesAdmin):
    list_display = ["__str__", "text", "owner_display", "due_display"]
    list_filter = ["committee"]
    search_fields = ["text", "section", "owner__name", "owner_role"]
    autocomplete_fields = ["committee", "source", "owner"]
    list_select_related = ["committee", "owner"]
