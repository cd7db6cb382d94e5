from django.urls import path

from scrutiny import views

app_name = "scrutiny"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("actions/", views.ScrutinyActionList.as_view(), name="scrutiny_action_list"),
    path("recommendations/", views.RecommendationList.as_view(), name="recommendation_list"),
]
