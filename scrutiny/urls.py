from django.urls import path

from scrutiny import views

app_name = "scrutiny"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/briefing/", views.briefing_pack, name="briefing_pack"),
    path("meetings/<int:pk>/briefing/publish/", views.publish_briefing_pack, name="publish_briefing_pack"),
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
]
