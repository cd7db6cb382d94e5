from django.urls import path

from improvement.officer_views import link_findings, unlink_finding
from scrutiny import officer_views, views
from scrutiny.models import ScrutinyAction

app_name = "scrutiny"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
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
