"""Helpers for list page tests: what a page lists, and what its exports hold."""

import csv
import io

from openpyxl import load_workbook


def listed(client, url):
    """The records on the page at `url`, in the order shown."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return [row.record for row in response.context["table"].paginated_rows]


def headers(client, url):
    response = client.get(url)
    return [str(column.header) for column in response.context["table"].columns]


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
