from django.contrib import admin

from inspections.models import (
    Authority,
    Finding,
    FindingFollowUp,
    Inspection,
    InspectionInspector,
    Intervention,
    Judgement,
    Person,
    SourceDocument,
    Theme,
    VisitArea,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "job_title", "organisation", "user"]
    list_filter = ["organisation", "title"]
    search_fields = ["name", "job_title", "organisation"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "date", "author"]
    list_filter = ["kind"]
    search_fields = ["title", "reference", "author"]
    date_hierarchy = "date"


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0


class InspectorInline(admin.TabularInline):
    model = InspectionInspector
    autocomplete_fields = ["person"]
    extra = 0


class VisitAreaInline(admin.StackedInline):
    model = VisitArea
    fk_name = "inspection"
    autocomplete_fields = ["identified_by", "revisits"]
    extra = 0


class FindingInline(admin.StackedInline):
    model = Finding
    fields = ["kind", "number", "paragraph", "timescale", "text", "themes"]
    autocomplete_fields = ["themes"]
    extra = 0
    show_change_link = True


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["title", "authority", "kind", "visit_start", "letter_date", "overall_grade"]
    list_filter = ["kind", "authority"]
    search_fields = ["title", "summary", "authority__name"]
    date_hierarchy = "visit_start"
    autocomplete_fields = ["authority", "report"]
    list_select_related = ["authority"]
    inlines = [JudgementInline, InspectorInline, VisitAreaInline, FindingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_overall_judgement()

    @admin.display(description="Overall judgement", ordering="overall_grade")
    def overall_grade(self, inspection):
        return inspection.overall_grade or "—"


class FollowUpInline(admin.StackedInline):
    model = FindingFollowUp
    fk_name = "finding"
    autocomplete_fields = ["earlier"]
    extra = 0
    verbose_name = "Revisits an earlier finding"
    verbose_name_plural = "Revisits earlier findings"


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "inspection", "kind", "paragraph", "timescale", "summary"]
    list_filter = ["kind", "timescale", "themes", "inspection"]
    search_fields = ["text", "paragraph", "inspection__title"]
    autocomplete_fields = ["inspection", "themes", "source"]
    list_select_related = ["inspection__authority"]
    inlines = [FollowUpInline]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["title", "authority", "kind", "date"]
    list_filter = ["kind"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["authority", "issued_by", "commissioner", "follows", "source"]
