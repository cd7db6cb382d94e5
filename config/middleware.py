"""An over-size form comes back with the form's own message, not a bare 400."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict


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
