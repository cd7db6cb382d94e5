import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.text import slugify

from inspections.letter_import.fixture import draft_to_fixture
from inspections.letter_import.forms import LetterReviewForm, LetterSourceForm
from inspections.loading import FixtureError, FixtureFile, load_fixtures
from inspections.models import (
    Authority,
    Finding,
    FindingFollowUp,
    FixtureLoad,
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
    autocomplete_fields = ["addressee"]


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
    autocomplete_fields = ["authority", "report", "previous_visit"]
    list_select_related = ["authority"]
    inlines = [JudgementInline, InspectorInline, VisitAreaInline, FindingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_overall_judgement()

    @admin.display(description="Judgement", ordering="overall_grade")
    def overall_grade(self, inspection):
        return inspection.overall_grade or "—"

    # Importing a letter: paste or upload its text, correct the draft beside the text, then
    # preview and confirm on the fixture loads' confirm page (one confirm path for every load).

    def get_urls(self):
        urls = [
            path(
                "import-letter/",
                self.admin_site.admin_view(self.import_letter_view),
                name="inspections_inspection_import_letter",
            ),
            path(
                "import-letter/review/",
                self.admin_site.admin_view(self.review_letter_view),
                name="inspections_inspection_review_letter",
            ),
        ]
        return urls + super().get_urls()

    def has_import_permission(self, request):
        return request.user.has_perm("inspections.load_fixtures")

    def _letter_context(self, request, title, **context):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context}

    def import_letter_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = LetterSourceForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            review = LetterReviewForm.from_draft(form.draft, form.source_text, form.source_name)
            return self._review_response(request, review)
        context = self._letter_context(request, "Import a letter", form=form)
        return TemplateResponse(request, "admin/inspections/inspection/import_letter.html", context)

    def review_letter_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:inspections_inspection_import_letter")
        form = LetterReviewForm(request.POST)
        if form.is_valid():
            draft = form.corrected_draft()
            try:
                records = draft_to_fixture(draft, source_location=form.cleaned_data["source_name"])
            except ValueError as problem:
                form.add_error(None, f"No fixture could be made: {problem}.")
            else:
                when = draft.letter_date or draft.visit_start
                name = f"letter-{slugify(draft.authority) or 'authority'}-{when.isoformat()}.json"
                content = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
                fixture = FixtureFile(name, content.encode("utf-8"))
                try:
                    preview = load_fixtures([fixture], dry_run=True)
                except FixtureError as problem:
                    form.add_error(None, f"Nothing was loaded. {problem}")
                else:
                    load = FixtureLoad.objects.create(
                        user=request.user,
                        via=FixtureLoad.Via.ADMIN,
                        filenames=[fixture.name],
                        sha256=[fixture.sha256],
                        content=content,
                        summary=preview.as_json(),
                    )
                    return redirect("admin:inspections_fixtureload_confirm", load.pk)
        return self._review_response(request, form)

    def _review_response(self, request, form):
        draft = form.original_draft
        context = self._letter_context(
            request,
            "Check the letter's draft",
            form=form,
            source=form.source_display(),
            warnings=draft.warnings if draft else [],
        )
        return TemplateResponse(request, "admin/inspections/inspection/review_letter.html", context)


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


class FixtureUploadForm(forms.Form):
    file = forms.FileField(
        label="Fixture file",
        help_text="A JSON fixture with natural keys, like the files in fixtures/ or the output of import_letter.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.FIXTURE_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"{upload.name} is {upload.size:,} bytes; the limit is {limit:,} bytes.")
        fixture = FixtureFile(upload.name, upload.read())
        try:
            self.preview = load_fixtures([fixture], dry_run=True)
        except FixtureError as error:
            raise forms.ValidationError(f"Nothing was loaded. {error}") from None
        self.fixture = fixture
        return upload


@admin.register(FixtureLoad)
class FixtureLoadAdmin(admin.ModelAdmin):
    """Administrators upload a fixture, review what it would change, then confirm."""

    list_display = ["__str__", "via", "status", "user", "created_at", "loaded_at"]
    list_filter = ["status", "via"]
    readonly_fields = ["created_at", "loaded_at", "user", "via", "status", "filenames", "sha256", "summary"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return request.user.has_perm("inspections.load_fixtures")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="inspections_fixtureload_confirm",
            )
        ]
        return urls + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = FixtureUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            load = FixtureLoad.objects.create(
                user=request.user,
                via=FixtureLoad.Via.ADMIN,
                filenames=[form.fixture.name],
                sha256=[form.fixture.sha256],
                content=form.fixture.content.decode("utf-8-sig"),
                summary=form.preview.as_json(),
            )
            return redirect("admin:inspections_fixtureload_confirm", load.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": "Upload a fixture",
        }
        return TemplateResponse(request, "admin/inspections/fixtureload/upload.html", context)

    def confirm_view(self, request, pk):
        if not self.has_add_permission(request):
            raise PermissionDenied
        load = get_object_or_404(FixtureLoad, pk=pk, status=FixtureLoad.Status.PREVIEWED, via=FixtureLoad.Via.ADMIN)
        fixture = FixtureFile(load.filenames[0], load.content.encode("utf-8"))
        error = None
        if request.method == "POST":
            if "cancel" in request.POST:
                load.status, load.content = FixtureLoad.Status.CANCELLED, ""
                load.save(update_fields=["status", "content"])
                self.message_user(request, f"{fixture.name} was not loaded.", messages.INFO)
                return redirect("admin:inspections_fixtureload_changelist")
            try:
                with transaction.atomic():
                    result = load_fixtures([fixture])
                    load.status, load.loaded_at, load.user = FixtureLoad.Status.LOADED, timezone.now(), request.user
                    load.summary, load.content = result.as_json(), ""
                    load.save()
            except FixtureError as problem:
                error = f"Nothing was loaded. {problem}"
            else:
                self.message_user(request, f"Loaded {fixture.name}: {result.summary()}.", messages.SUCCESS)
                # A file about one inspection (an imported letter) leads to that inspection.
                inspections = result.objects.get("inspections.inspection", [])
                if len(inspections) == 1:
                    return redirect("admin:inspections_inspection_change", inspections[0].pk)
                return redirect("admin:inspections_fixtureload_changelist")
        # Preview again: the database may have changed since the upload.
        try:
            preview = load_fixtures([fixture], dry_run=True)
        except FixtureError as problem:
            preview, error = None, error or f"This file can no longer be loaded. {problem}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Check and confirm: {fixture.name}",
            "load": load,
            "preview": preview,
            "error": error,
        }
        return TemplateResponse(request, "admin/inspections/fixtureload/confirm.html", context)
