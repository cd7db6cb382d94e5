from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import thread_views, views
from config.forms import SignInForm
from inspections import urls as inspections_urls

handler500 = "config.views.server_error"

admin.site.site_header = "Improvement Tracker administration"
admin.site.site_title = "Improvement Tracker"
admin.site.index_title = "Administration"

# The pages that follow the golden thread join all three apps, so their views live in config;
# they keep the inspections app's URLs and names.
inspections_patterns = [
    *inspections_urls.urlpatterns,
    path("<int:pk>/", thread_views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/coverage/", thread_views.coverage, name="coverage"),
    path("findings/<int:pk>/", thread_views.finding_trace, name="finding_detail"),
]

urlpatterns = [
    path("", views.overview, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility", views.accessibility_statement, name="accessibility"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("inspections/", include((inspections_patterns, inspections_urls.app_name))),
    path("plan/", include("improvement.urls")),
    path("scrutiny/", include("scrutiny.urls")),
    path("admin/", admin.site.urls),
]
