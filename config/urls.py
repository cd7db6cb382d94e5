from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views
from config.forms import SignInForm

admin.site.site_header = "Improvement Tracker administration"
admin.site.site_title = "Improvement Tracker"
admin.site.index_title = "Administration"

handler500 = "config.views.server_error"

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
    path("inspections/", include("inspections.urls")),
    path("plan/", include("improvement.urls")),
    path("scrutiny/", include("scrutiny.urls")),
    path("admin/", admin.site.urls),
]
