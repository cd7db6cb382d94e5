"""Site-wide request handling: security headers, idle sign-out, request logs, and an over-size
form answered with the form's own message instead of a bare 400."""

import logging
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import QueryDict
from django.utils.cache import patch_cache_control
from django.utils.datastructures import MultiValueDict

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


def signed_in_user(request):
    """The request's user if signed in, else None; also None when the user cannot be read
    because the database is down. Middleware that runs after the error page has been made
    must not raise the same error again: Django would then replace that page with a new one,
    made outside the middleware that adds its headers and writes its log line."""
    user = getattr(request, "user", None)
    try:
        return user if user is not None and user.is_authenticated else None
    except DatabaseError:
        return None


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on what a signed-in user
    sees, so that nobody reads the plan from a shared computer's cache after sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # An error page is never cached either: the next try must reach the server.
        if response.status_code >= 500 or signed_in_user(request):
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
        user = signed_in_user(request)
        request_log.info(
            "request",
            extra={
                "request_id": request.id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user else None,
            },
        )
        response.headers["X-Request-ID"] = request.id
        return response


def answers_oversize(view):
    """Mark a view that shows its form again, with its size message, when a POST is too large.

    The view reads `request.oversize` (the size sent, in bytes) when it is set.
    """
    view.answers_oversize = True
    return view


class OversizeRequestMiddleware:
    """Django refuses a request body over DATA_UPLOAD_MAX_MEMORY_SIZE when it is first read, and
    CsrfViewMiddleware reads it before any view runs, so the user sees a bare 400.

    For views marked with `answers_oversize`, the body is read here first. When it is too large
    the request goes on as a GET with `request.oversize` set: a GET only shows the form, so
    nothing is written and no CSRF token is needed, and the view adds its own size message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST" or not getattr(view, "answers_oversize", False):
            return None
        try:
            request.POST  # noqa: B018 - parsed once here, before CSRF reads it
        except RequestDataTooBig:
            sent = int(request.META.get("CONTENT_LENGTH") or 0)
            request.oversize = max(sent, settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
            request.method = "GET"
            request._post, request._files = QueryDict(), MultiValueDict()
        return None
