from django.urls import path

from improvement import views

app_name = "improvement"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority_detail"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
]
