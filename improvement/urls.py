from django.urls import path

from improvement import bulk_views, officer_views, views
from improvement.models import Action, Measure, Priority

app_name = "improvement"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("priorities/", views.PriorityList.as_view(), name="priority_list"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority_detail"),
    path("actions/", views.ActionList.as_view(), name="action_list"),
    path("measures/", views.MeasureList.as_view(), name="measure_list"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("bulk-update/", bulk_views.start, name="bulk_update"),
    path("bulk-update/template", bulk_views.template, name="bulk_update_template"),
    path("bulk-update/<int:pk>/", bulk_views.preview, name="bulk_update_preview"),
    path("bulk-update/<int:pk>/applied", bulk_views.result, name="bulk_update_result"),
]

# Officers' pages: keeping the plan current.
urlpatterns += [
    path("priorities/<int:pk>/rating/", officer_views.priority_rate, name="priority_rate"),
    path("actions/<int:pk>/", officer_views.action_detail, name="action_detail"),
    path("actions/<int:pk>/rating/", officer_views.action_rate, name="action_rate"),
    path("actions/<int:pk>/progress/", officer_views.action_progress, name="action_progress"),
    path("actions/<int:pk>/due-date/", officer_views.action_due_date, name="action_due_date"),
    path("measures/<int:pk>/values/new/", officer_views.measure_record_value, name="measure_record_value"),
    path("measures/values/<int:pk>/correct/", officer_views.value_correct, name="value_correct"),
    path("measures/<int:pk>/target/", officer_views.measure_set_target, name="measure_set_target"),
]
for prefix, model in (("priorities", Priority), ("actions", Action), ("measures", Measure)):
    name = model._meta.model_name
    urlpatterns += [
        path(
            f"{prefix}/<int:pk>/findings/", officer_views.link_findings, {"model": model}, name=f"{name}_link_findings"
        ),
        path(
            f"{prefix}/<int:pk>/findings/<int:finding_pk>/unlink/",
            officer_views.unlink_finding,
            {"model": model},
            name=f"{name}_unlink_finding",
        ),
    ]
