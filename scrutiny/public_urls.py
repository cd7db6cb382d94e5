from django.urls import path

from scrutiny import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.pack_list, name="pack_list"),
    path("packs/<int:pk>/", public_views.pack, name="pack"),
]
