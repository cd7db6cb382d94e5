"""Helpers for page tests: count a page's queries at two sizes of data; confirm a fixture load."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def confirm_load(client, url, overwrite_empty=(), follow=True):
    """Confirm a previewed fixture load as the browser does: with the fingerprint of the
    preview shown, and the fields ticked to be emptied."""
    shown = client.get(url)
    assert shown.status_code == 200, f"{url} answered {shown.status_code}"
    data = {"confirm": "Load these records", "fingerprint": shown.context["preview"].fingerprint}
    return client.post(url, {**data, "overwrite_empty": list(overwrite_empty)}, follow=follow)
