from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from improvement.admin import AppendOnlyInline, RecordedByMixin
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
class CommitteeAdmin(admin.ModelAdmin):
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
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "committee", "date", "start_time", "venue"]
    list_filter = ["committee"]
    search_fields = ["title", "description", "venue", "committee__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["committee", "agenda", "record"]
    list_select_related = ["committee"]
    inlines = [AttendanceInline, AgendaItemInline, DiscussionPointInline]


class ScrutinyActionUpdateInline(AppendOnlyInline):
    model = ScrutinyActionUpdate
    fields = ["date", "status", "commentary", "author", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    autocomplete_fields = ["author"]


@admin.register(ScrutinyAction)
class ScrutinyActionAdmin(RecordedByMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "text", "owner_display", "due_date", "status"]
    list_filter = ["status", "meeting__committee"]
    search_fields = ["text", "owner__name", "owner_role"]
    autocomplete_fields = ["meeting", "agenda_item", "owner", "findings", "priorities", "measures"]
    list_select_related = ["meeting__committee", "owner"]
    inlines = [ScrutinyActionUpdateInline]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "made_on", "addressed_to", "status"]
    list_filter = ["status", "committee"]
    search_fields = ["text", "response"]
    autocomplete_fields = ["committee", "meeting", "source", "findings", "priorities", "measures"]
    list_select_related = ["committee"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting"]
    search_fields = ["title", "description", "meeting__committee__name"]
    autocomplete_fields = ["meeting", "inspection", "plan", "document"]
    list_select_related = ["meeting__committee"]


@admin.register(ScrutinyFinding)
class ScrutinyFindingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section", "text", "source"]
    list_filter = ["committee"]
    search_fields = ["text", "section", "committee__name"]
    autocomplete_fields = ["committee", "source", "findings"]
    list_select_related = ["committee", "source"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "text", "owner_display", "due_display"]
    list_filter = ["committee"]
    search_fields = ["text", "section", "owner__name", "owner_role"]
    autocomplete_fields = ["committee", "source", "owner"]
    list_select_related = ["committee", "owner"]
