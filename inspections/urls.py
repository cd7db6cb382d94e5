from django.urls import path

from inspections import views

# An inspection's page, its coverage and a finding's trace follow the golden thread into the
# apps above this one: their views are in config/thread_views.py, under this namespace.
app_name = "inspections"
urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
]
