"""The site's URLs plus one that fails, to show the 500 page (tests only)."""

from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def fail(request):
    raise RuntimeError("A deliberate failure, to show the 500 page.")


urlpatterns = [*site_urlpatterns, path("fail/", fail)]
