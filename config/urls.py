from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import audit_views, officer_views, thread_views, views
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
    path("findings/<int:pk>/answers/<slug:kind>/", thread_views.finding_answers, name="finding_answers"),
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
    path("account/", views.account, name="account"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("my-work/", officer_views.my_work, name="my_work"),
    path("audit/", audit_views.audit_trail_page, name="audit_trail"),
    path("inspections/findings/<int:pk>/links/", officer_views.finding_links, name="finding_links"),
    path("inspections/", include((inspections_patterns, inspections_urls.app_name))),
    path("plan/", include("improvement.urls")),
    path("scrutiny/", include("scrutiny.urls")),
    path("public/", include("scrutiny.public_urls")),
    path("admin/", admin.site.urls),
]
