from django.urls import path

from inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
]
