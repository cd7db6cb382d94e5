"""Helpers for list page tests: what a page lists, and what its exports hold."""

import csv
import io

from django.core.cache import cache
from openpyxl import load_workbook

from tests.pages import count_queries


def built(client, url):
    """The page at `url` as its view builds it, with the view's table in its context: nothing
    from the record cache, which holds the page's HTML only (tests/config/test_list_cache.py
    checks the cached page is the same)."""
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response


def queries_to_build(client, url):
    """How many queries the view runs to build the page at `url` (not served from the cache)."""
    cache.clear()
    return count_queries(client, url)


def listed(client, url):
    """The records on the page at `url`, in the order shown."""
    return [row.record for row in built(client, url).context["table"].paginated_rows]


def headers(client, url):
    return [str(column.header) for column in built(client, url).context["table"].columns]


def exported(client, url, export_format="csv"):
    """The rows of the export of `url` (the header row first), as text."""
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}_export={export_format}")
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    if export_format == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        return list(csv.reader(io.StringIO(response.content.decode())))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
