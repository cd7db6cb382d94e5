"""Site-wide request handling: security headers, idle sign-out and request logs."""

import logging
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_cache_control

request_log = logging.getLogger("tracker.requests")

# Browser features this service never uses, switched off for every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on what a signed-in user
    sees, so that nobody reads the plan from a shared computer's cache after sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class IdleSignOutMiddleware:
    """Signs a user out after `SESSION_IDLE_TIMEOUT` seconds without a request, and says so on
    the sign-in page. The session's absolute lifetime is `SESSION_COOKIE_AGE`."""

    # Writing the session on every request would cost a database write per page; a minute's
    # resolution is plenty for a timeout measured in tens of minutes.
    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                messages.info(
                    request,
                    f"You were signed out because you had not used the service for {minutes} minutes. "
                    "Sign in again to carry on.",
                )
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= self.TOUCH_EVERY:
                request.session["last_seen"] = now
        return self.get_response(request)


def start_idle_clock(sender, request, user, **kwargs):
    """On sign-in (Django's `user_logged_in` signal), so that pages never write the session just
    to start the clock."""
    request.session["last_seen"] = int(time.time())


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration, user and an id
    that is also sent back as `X-Request-ID`, so a user's report can be matched to the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex[:16]
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_log.info(
            "request",
            extra={
                "request_id": request.id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        response.headers["X-Request-ID"] = request.id
        return response
