"""The pages the benchmark measures, with their subjects chosen from the synthetic county in
the current database, the same way at every scale (so each page shows about as much at scale
100 as at scale 1 wherever the page is about one thing, and ten times as much to choose from
wherever it lists or counts)."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from config import synthetic
from improvement.models import ImprovementPlan, Measure, Priority
from inspections.models import Finding, Inspection, Person
from scrutiny.models import Committee, Meeting

# The officer the benchmark signs in as: a synthetic person who owns actions, measures and
# scrutiny actions, so that "My work" has something in it.
USERNAME = "synthetic-officer-1"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    # For the rating POST: the priorities it rates (one per load-generator connection).
    rates: tuple = ()

    @property
    def is_post(self):
        return bool(self.rates)


def pages(post_connections=4):
    """Every page to measure, in the order of the results table."""
    current = ImprovementPlan.objects.current()
    priorities = list(Priority.objects.filter(plan=current).order_by("number"))
    priority = priorities[0]
    owner = Person.objects.get(user__username=USERNAME)
    ilacs = Inspection.objects.filter(kind=Inspection.Kind.ILACS_INSPECTION).order_by("visit_start").first()
    # The area for improvement with the most priorities answering it: the longest trace.
    finding = (
        Finding.objects.filter(inspection=ilacs, kind=Finding.Kind.AREA_FOR_IMPROVEMENT)
        .annotate(answers=Count("priorities"))
        .order_by("-answers", "number")
        .first()
    )
    committee = Committee.objects.filter(plans=current).order_by("pk").first()
    # The committee's latest meeting before today that has one before it: a full window.
    meeting = Meeting.objects.filter(committee=committee, date__lt=timezone.localdate()).order_by("-date").first()
    measure = Measure.objects.filter(priority=priority).order_by("pk").first() or Measure.objects.order_by("pk").first()
    today = timezone.localdate()
    overdue_window = f"due_after={(today - dt.timedelta(days=365)):%d/%m/%Y}&due_before={today:%d/%m/%Y}"
    home = synthetic.SHORT_NAME
    rated = priorities[1 : 1 + post_connections]
    return [
        Page("overview", reverse("home")),
        Page("priority", priority.get_absolute_url()),
        Page("briefing pack", reverse("scrutiny:briefing_pack", args=[meeting.pk])),
        Page("meeting", meeting.get_absolute_url()),
        Page("finding trace", finding.get_absolute_url()),
        Page("coverage", reverse("inspections:coverage", args=[ilacs.pk])),
        Page("inspections", reverse("inspections:inspection_list")),
        Page("inspections, filtered", reverse("inspections:inspection_list") + f"?authority={home}"),
        Page("priorities", reverse("improvement:priority_list")),
        Page("priorities, filtered", reverse("improvement:priority_list") + "?rating=red"),
        Page("actions", reverse("improvement:action_list")),
        Page("actions, filtered", reverse("improvement:action_list") + f"?overdue=yes&{overdue_window}"),
        Page("measures", reverse("improvement:measure_list")),
        Page("measures, filtered", reverse("improvement:measure_list") + "?rating=red"),
        Page("meetings", reverse("scrutiny:meeting_list")),
        Page("meetings, page 2", reverse("scrutiny:meeting_list") + "?page=2"),
        Page("scrutiny actions", reverse("scrutiny:scrutiny_action_list")),
        Page("scrutiny actions, filtered", reverse("scrutiny:scrutiny_action_list") + "?open=yes&overdue=yes"),
        Page("recommendations", reverse("scrutiny:recommendation_list")),
        Page("recommendations, filtered", reverse("scrutiny:recommendation_list") + "?status=made"),
        Page("measure", measure.get_absolute_url()),
        Page(
            "actions CSV, one owner",
            reverse("improvement:action_list") + "?" + urlencode({"owner": owner.name, "_export": "csv"}),
        ),
        Page("my work", reverse("my_work")),
        Page("rating update (POST)", reverse("improvement:priority_rate", args=[rated[0].pk]), rates=tuple(rated)),
    ]


def rating_post(priority, version, number):
    """What the rating form sends: the version the page showed, a rating and why."""
    return {
        "version": version,
        "rating": ("red", "amber", "green")[number % 3],
        "commentary": f"Benchmark rating {number} (synthetic).",
    }
