from django.urls import path

from improvement.officer_views import link_findings, unlink_finding
from scrutiny import officer_views, views
from scrutiny.models import ScrutinyAction

app_name = "scrutiny"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/briefing/", views.briefing_pack, name="briefing_pack"),
    path("meetings/<int:pk>/briefing/publish/", views.publish_briefing_pack, name="publish_briefing_pack"),
    path("meetings/<int:pk>/briefing/parts/<slug:part>/", views.briefing_pack_part, name="briefing_pack_part"),
    path(
        "meetings/<int:pk>/briefing/versions/<int:number>/",
        views.briefing_pack_version,
        name="briefing_pack_version",
    ),
    path(
        "meetings/<int:pk>/briefing/versions/<int:number>/content.json",
        views.briefing_pack_version_content,
        name="briefing_pack_version_content",
    ),
    path(
        "meetings/<int:pk>/briefing/versions/<int:number>/approve/",
        views.approve_briefing_pack,
        name="approve_briefing_pack",
    ),
    path("actions/", views.ScrutinyActionList.as_view(), name="scrutiny_action_list"),
    path("recommendations/", views.RecommendationList.as_view(), name="recommendation_list"),
]

# Officers' pages: a scrutiny action and its progress.
urlpatterns += [
    path("actions/<int:pk>/", officer_views.action_detail, name="action_detail"),
    path("actions/<int:pk>/progress/", officer_views.action_progress, name="action_progress"),
    path("actions/<int:pk>/findings/", link_findings, {"model": ScrutinyAction}, name="scrutinyaction_link_findings"),
    path(
        "actions/<int:pk>/findings/<int:finding_pk>/unlink/",
        unlink_finding,
        {"model": ScrutinyAction},
        name="scrutinyaction_unlink_finding",
    ),
]
