from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config import record_cache
from config.lists import PER_PAGE, ListPage
from inspections.models import count_of
from scrutiny import briefing
from scrutiny.filters import RecommendationFilterSet, ScrutinyActionFilterSet
from scrutiny.models import AgendaItem, Attendance, BriefingPackVersion, Meeting, Recommendation, ScrutinyAction
from scrutiny.tables import RecommendationTable, ScrutinyActionTable


@require_GET
def meeting_list(request):
    """Every meeting, newest first, a page at a time, with how many agenda items and scrutiny
    actions each has (a subquery each, so that counting the pages needs neither)."""

    def work_out():
        meetings = (
            Meeting.objects.select_related("committee")
            .annotate(
                item_count=count_of(AgendaItem.objects.filter(meeting=OuterRef("pk"))),
                action_count=count_of(ScrutinyAction.objects.filter(meeting=OuterRef("pk"))),
            )
            .order_by("-date", "committee__name", "pk")
        )
        page = Paginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
        return "Scrutiny", None, "scrutiny/meeting_list.html", {"meetings": page, "page": page}

    return record_cache.cached_page(request, f"meetings:{request.get_full_path()}", work_out)


@require_GET
def meeting_detail(request, pk):
    """A meeting: what it considered, who attended, what was said and the actions it raised."""

    def work_out():
        meeting = get_object_or_404(
            Meeting.objects.select_related("committee", "agenda", "record").prefetch_related(
                "agenda_items__inspection",
                "agenda_items__document",
                "discussion_points",
                Prefetch("attendances", Attendance.objects.select_related("person")),
                Prefetch(
                    "scrutiny_actions", ScrutinyAction.objects.select_related("owner").prefetch_related("findings")
                ),
            ),
            pk=pk,
        )
        breadcrumbs = [("Scrutiny", reverse("scrutiny:meeting_list")), (str(meeting), None)]
        return str(meeting), breadcrumbs, "scrutiny/meeting_detail.html", {"meeting": meeting}

    return record_cache.cached_page(request, f"meeting:{pk}", work_out)


def _pack_breadcrumbs(meeting, *last):
    return [
        ("Scrutiny", reverse("scrutiny:meeting_list")),
        (str(meeting), meeting.get_absolute_url()),
        *last,
    ]


def _site_url(request):
    """The site's address, so that a printed pack shows where each link goes in full."""
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def briefing_pack(request, pk):
    """The live pack: what changed since the committee last met, and since the latest version
    was published."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    site_url = _site_url(request)

    def work_out():
        pack = briefing.briefing_pack_for(meeting)
        # A meeting has a few versions at most: read with their content, the latest's included.
        versions = list(
            meeting.briefing_pack_versions.select_related(
                "published_by__person", "approval__approved_by__person"
            ).order_by("-number")
        )
        latest = versions[0] if versions else None
        parts = {
            "pack": pack,
            "meeting": meeting,
            "site_url": site_url,
            "live": True,
            "latest": latest,
            "versions": versions,
            "changes": briefing.briefing_pack_changes(live=pack, published=latest.pack) if latest else None,
        }
        return {
            "pack": {"meeting": pack["meeting"]},
            "latest": {"number": latest.number, "url": latest.get_absolute_url()} if latest else None,
            "since_published": render_to_string("scrutiny/briefing/since_published.html", parts) if latest else "",
            "body": render_to_string("scrutiny/briefing/pack.html", parts),
            "versions": render_to_string("scrutiny/briefing/versions.html", parts),
        }

    # Councillors open the pack all at once on committee morning: it is worked out and laid out
    # once for each state of the record (record_cache), and again at once after any change
    # (publishing and approving a version are changes). Only the publish form is the reader's.
    context = record_cache.cached(f"briefing-pack:{meeting.pk}:{site_url}", work_out) | {
        "meeting": meeting,
        "as_at": timezone.now(),
        "breadcrumbs": _pack_breadcrumbs(meeting, ("Briefing pack", None)),
    }
    return render(request, "scrutiny/briefing_pack.html", context)


@require_GET
def briefing_pack_part(request, pk, part):
    """Every item of one part of the live pack, a page at a time: where a busy part's "all"
    link goes."""
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    pack, page = briefing.pack_part(meeting, part, request.GET.get("page") or 1)
    title = pack["part"]["title"]
    context = {
        "meeting": meeting,
        "pack": pack,
        "part": pack["part"],
        "page": page,
        "site_url": _site_url(request),
        "breadcrumbs": _pack_breadcrumbs(
            meeting, ("Briefing pack", reverse("scrutiny:briefing_pack", args=[meeting.pk])), (title, None)
        ),
    }
    return render(request, "scrutiny/briefing_pack_part.html", context)


@require_POST
def publish_briefing_pack(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    try:
        version = briefing.briefing_pack_publish(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("scrutiny:briefing_pack", pk)
    messages.success(request, f"Version {version.number} published. Its checksum is shown below.")
    return redirect(version)


def _version(pk, number):
    return get_object_or_404(
        BriefingPackVersion.objects.select_related(
            "meeting__committee", "published_by__person", "approval__approved_by__person"
        ),
        meeting_id=pk,
        number=number,
    )


@require_GET
def briefing_pack_version(request, pk, number):
    """A published version, rendered from what was stored when it was published."""
    version = _version(pk, number)
    meeting = version.meeting
    context = {
        "meeting": meeting,
        "version": version,
        "pack": version.pack,
        "latest_number": meeting.briefing_pack_versions.order_by("-number").values_list("number", flat=True).first(),
        "site_url": _site_url(request),
        "breadcrumbs": _pack_breadcrumbs(
            meeting,
            ("Briefing pack", reverse("scrutiny:briefing_pack", args=[meeting.pk])),
            (f"Version {version.number}", None),
        ),
    }
    return render(request, "scrutiny/briefing_pack_version.html", context)


@require_GET
def briefing_pack_version_content(request, pk, number):
    """The published content exactly as stored: its SHA-256 is the version's checksum."""
    version = _version(pk, number)
    response = HttpResponse(version.content, content_type="application/json; charset=utf-8")
    filename = f"briefing-pack-{version.meeting.date:%Y-%m-%d}-meeting-{pk}-version-{number}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def approve_briefing_pack(request, pk, number):
    version = _version(pk, number)
    try:
        briefing.briefing_pack_approve(version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Version {version.number} is approved: the public can now read it.")
    return redirect(version)


class ScrutinyActionList(ListPage):
    filterset_class = ScrutinyActionFilterSet
    table_class = ScrutinyActionTable
    template_name = "scrutiny/scrutiny_action_list.html"
    export_name = "scrutiny-actions"
    noun, singular = "Scrutiny actions", "scrutiny action"

    def get_queryset(self):
        return ScrutinyAction.objects.select_related("meeting__committee", "owner")


class RecommendationList(ListPage):
    filterset_class = RecommendationFilterSet
    table_class = RecommendationTable
    template_name = "scrutiny/recommendation_list.html"
    export_name = "recommendations"
    noun, singular = "Recommendations", "recommendation"

    def get_queryset(self):
        return Recommendation.objects.select_related("committee", "meeting__committee")
