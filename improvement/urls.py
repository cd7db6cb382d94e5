from django.urls import path

from improvement import bulk_views, views

app_name = "improvement"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority_detail"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("bulk-update/", bulk_views.start, name="bulk_update"),
    path("bulk-update/template", bulk_views.template, name="bulk_update_template"),
    path("bulk-update/<int:pk>/", bulk_views.preview, name="bulk_update_preview"),
    path("bulk-update/<int:pk>/applied", bulk_views.result, name="bulk_update_result"),
]
