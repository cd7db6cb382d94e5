import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import slugify

from config.middleware import answers_oversize
from inspections.admin_log import LoggedValuesAdmin
from inspections.letter_import.fixture import draft_to_fixture
from inspections.letter_import.forms import PASTED, LetterReviewForm, LetterSourceForm, size_error
from inspections.loading import (
    FixtureError,
    FixtureFile,
    PreviewChanged,
    load_and_record,
    load_fixtures,
    record_preview,
)
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
class ThemeAdmin(LoggedValuesAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Authority)
class AuthorityAdmin(LoggedValuesAdmin):
    list_display = ["name", "short_name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(LoggedValuesAdmin):
    list_display = ["name", "title", "job_title", "organisation", "user"]
    list_filter = ["organisation", "title"]
    search_fields = ["name", "job_title", "organisation"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(LoggedValuesAdmin):
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
class InspectionAdmin(LoggedValuesAdmin):
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

    @answers_oversize
    def import_letter_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if getattr(request, "oversize", None):
            return self._refused_for_size(request, size_error(PASTED, request.oversize))
        form = LetterSourceForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            review = LetterReviewForm.from_draft(form.draft, form.source_text, form.source_name)
            return self._review_response(request, review)
        context = self._letter_context(request, "Import a letter", form=form)
        return TemplateResponse(request, "admin/inspections/inspection/import_letter.html", context)

    @answers_oversize
    def review_letter_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if getattr(request, "oversize", None):
            return self._refused_for_size(
                request,
                f"What you sent is {request.oversize:,} bytes, more than the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} "
                "bytes this page accepts. Start again with the letter's text alone.",
            )
        if request.method != "POST":
            return redirect("admin:inspections_inspection_import_letter")
        form = LetterReviewForm(request.POST)
        if form.is_valid():
            draft = form.corrected_draft()
            try:
                # Never the uploaded file's name: it says nothing about where the letter is.
                records = draft_to_fixture(draft, recorded_reference=_recorded_report(draft))
            except ValueError as problem:
                form.add_error(None, f"No fixture could be made: {problem}.")
            else:
                when = draft.letter_date or draft.visit_start
                name = f"letter-{slugify(draft.authority) or 'authority'}-{when.isoformat()}.json"
                content = json.dumps(records, indent=2, ensure_ascii=False) + "\n"
                try:
                    load = record_preview(
                        FixtureFile(name, content.encode("utf-8")), user=request.user, via=FixtureLoad.Via.LETTER
                    )
                except FixtureError as problem:
                    form.add_error(None, f"Nothing was loaded. {problem}")
                else:
                    return redirect("admin:inspections_fixtureload_confirm", load.pk)
        return self._review_response(request, form)

    def _refused_for_size(self, request, message):
        """The letter form again, saying why what was sent was refused (nothing was read)."""
        context = self._letter_context(request, "Import a letter", form=LetterSourceForm(), refused=message)
        return TemplateResponse(request, "admin/inspections/inspection/import_letter.html", context)

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


def _recorded_report(draft):
    """The reference of the document already recorded as the report of the draft's inspection,
    so that importing a loaded letter again finds its document; "" when there is none."""
    inspections = Inspection.objects.filter(
        authority__short_name=draft.authority, kind=draft.kind, visit_start=draft.visit_start
    )
    return inspections.exclude(report=None).values_list("report__reference", flat=True).first() or ""


class FollowUpInline(admin.StackedInline):
    model = FindingFollowUp
    fk_name = "finding"
    autocomplete_fields = ["earlier"]
    extra = 0
    verbose_name = "Revisits an earlier finding"
    verbose_name_plural = "Revisits earlier findings"


@admin.register(Finding)
class FindingAdmin(LoggedValuesAdmin):
    list_display = ["__str__", "inspection", "kind", "paragraph", "timescale", "summary"]
    list_filter = ["kind", "timescale", "themes", "inspection"]
    search_fields = ["text", "paragraph", "inspection__title"]
    autocomplete_fields = ["inspection", "themes", "source"]
    list_select_related = ["inspection__authority"]
    inlines = [FollowUpInline]


@admin.register(Intervention)
class InterventionAdmin(LoggedValuesAdmin):
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
        self.fixture = FixtureFile(upload.name, upload.read())
        return upload


@admin.register(FixtureLoad)
class FixtureLoadAdmin(LoggedValuesAdmin):
    """Administrators upload a fixture, review what it would change field by field, then
    confirm or cancel. Previews nobody confirms expire (FIXTURE_PREVIEW_LIFETIME): the pages here
    expire them when they are used, and `manage.py expire_fixture_previews` on a schedule."""

    list_display = ["__str__", "via", "status", "previewed_by", "confirmed_by", "cancelled_by", "created_at"]
    list_filter = ["status", "via"]
    list_select_related = ["previewed_by", "confirmed_by", "cancelled_by"]
    readonly_fields = [
        "created_at",
        "previewed_by",
        "loaded_at",
        "confirmed_by",
        "cancelled_at",
        "cancelled_by",
        "via",
        "status",
        "filenames",
        "sha256",
        "summary",
        "overwrite_empty",
        "changes",
    ]
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

    def changelist_view(self, request, extra_context=None):
        FixtureLoad.objects.expire_previews()
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        FixtureLoad.objects.expire_previews()
        form = FixtureUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                load = record_preview(form.fixture, user=request.user)
            except FixtureError as error:
                form.add_error("file", f"Nothing was loaded. {error}")
            else:
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
        FixtureLoad.objects.expire_previews()
        load = get_object_or_404(FixtureLoad, pk=pk, via__in=FixtureLoad.CONFIRMED_IN_ADMIN)
        if load.status != FixtureLoad.Status.PREVIEWED:
            return self._no_longer_a_preview(request, load)
        fixture = FixtureFile.of_preview(load)
        chosen = request.POST.getlist("overwrite_empty")
        error = None
        if request.method == "POST" and "cancel" in request.POST:
            if not load.cancel(by=request.user):
                return self._no_longer_a_preview(request, load)
            self.message_user(request, f"{fixture.name} was not loaded.", messages.INFO)
            return redirect("admin:inspections_fixtureload_changelist")
        if request.method == "POST":
            try:
                load, result = load_and_record(
                    [fixture],
                    preview=load,
                    user=request.user,
                    overwrite_empty=chosen,
                    fingerprint=request.POST.get("fingerprint", ""),
                )
            except FixtureLoad.DoesNotExist:
                return self._no_longer_a_preview(request, load)
            except FixtureError as problem:
                error = f"Nothing was loaded. {problem}"
            except PreviewChanged:
                error = (
                    "Nothing was loaded: the record has changed since you saw this preview. "
                    "Check what loading would do now, and confirm again."
                )
            else:
                self.message_user(request, f"Loaded {fixture.name}: {result.summary()}.", messages.SUCCESS)
                # A file about one inspection (an imported letter) leads to that inspection.
                inspections = result.instances("inspections.inspection")
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
            "expires_at": load.created_at + settings.FIXTURE_PREVIEW_LIFETIME,
            "preview": preview,
            "chosen": chosen,
            "error": error,
        }
        return TemplateResponse(request, "admin/inspections/fixtureload/confirm.html", context)

    def _no_longer_a_preview(self, request, load):
        load.refresh_from_db()
        self.message_user(
            request,
            f"Nothing was done: the preview of {', '.join(load.filenames)} was already "
            f"{load.get_status_display().lower()}.",
            messages.WARNING,
        )
        return redirect("admin:inspections_fixtureload_changelist")
