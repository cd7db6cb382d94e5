"""Files of the wrong shape are refused whole, with a message that says what is wrong, and
nothing changes; the refusal is recorded. And what Excel does to what officers type."""

import datetime as dt
import io

import pytest
from django.test import override_settings
from openpyxl import Workbook

from improvement.bulk import parse_period
from improvement.models import Action, BulkUpdate, Measure, MeasureValue, ProgressUpdate
from inspections.models import DatePrecision
from tests.improvement.bulk_files import FORMATS, download, officers_plan, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(client, officer):
    """A template of the officer's plan with a valid change in it, signed in as the officer."""

    def make(file_format):
        plan = officers_plan(officer)
        client.force_login(officer)
        downloaded = download(client, file_format)
        downloaded.set(plan.priorities.get(), new_rating="Green", commentary="Back on plan.")
        return downloaded

    return make


def assert_refused(client, name, content, message):
    before = ProgressUpdate.objects.count(), MeasureValue.objects.count()
    response = upload(client, name, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f"Nothing was changed. {message}" in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert (ProgressUpdate.objects.count(), MeasureValue.objects.count()) == before
    record = BulkUpdate.objects.get()
    assert (record.status, record.file_name, record.refused_because, bytes(record.content), record.rows) == (
        "refused",
        name,
        message,
        b"",
        [],
    )
    return record


def without_columns(template, *names):
    for name in names:
        index = template.header.index(name)
        for row in template.rows:
            if len(row) > index:
                del row[index]
        if template.workbook:
            template.sheet.delete_cols(index + 1)
    return template.content


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_file_missing_columns_is_refused(client, template, file_format):
    downloaded = template(file_format)
    content = without_columns(downloaded, "New rating", "Commentary")
    header_row = downloaded.header_index + 1
    assert_refused(
        client,
        downloaded.name,
        content,
        f"{downloaded.name} has no New rating and Commentary columns in its header (row {header_row}). "
        "Download a new template and copy your changes into it.",
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"%PDF-1.7 ...", "plan.pdf is not a CSV or Excel file. Upload the template as .csv or .xlsx."),
        (
            "plan.xls",
            b"\xd0\xcf\x11\xe0",
            "plan.xls is not a CSV or .xlsx file. Save it as an Excel workbook (.xlsx) or as CSV UTF-8, "
            "then upload it again.",
        ),
        (
            "plan.xlsx",
            b"Type,ID,Version\r\n",
            "plan.xlsx could not be read as an Excel workbook. Save it as .xlsx and upload it again.",
        ),
    ],
)
def test_a_file_that_is_not_csv_or_excel_is_refused(client, template, name, content, message):
    template("csv")
    assert_refused(client, name, content, message)


def test_a_workbook_named_csv_is_refused(client, template):
    downloaded = template("xlsx")
    assert_refused(
        client,
        "plan.csv",
        downloaded.content,
        "plan.csv is an Excel workbook, not CSV. Upload it with its .xlsx name.",
    )


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_empty_file_is_refused(client, template, file_format):
    template(file_format)
    assert_refused(
        client,
        f"plan.{file_format}",
        b"",
        f"plan.{file_format} is empty. Upload the template with your changes in it.",
    )


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_template_without_rows_is_refused(client, template, file_format):
    downloaded = template(file_format)
    header_row = downloaded.header_index + 1
    if downloaded.workbook:
        downloaded.sheet.delete_rows(header_row + 1, downloaded.sheet.max_row)
    del downloaded.rows[header_row:]
    assert_refused(
        client,
        downloaded.name,
        downloaded.content,
        f"{downloaded.name} has no rows under its header (row {header_row}): nothing to update.",
    )


@pytest.mark.parametrize("file_format", FORMATS)
@override_settings(BULK_UPDATE_MAX_BYTES=1000)
def test_a_file_too_large_is_refused(client, template, file_format):
    downloaded = template(file_format)
    content = downloaded.content
    record = assert_refused(
        client,
        downloaded.name,
        content,
        f"{downloaded.name} is {len(content):,} bytes; the largest file accepted is 1,000 bytes.",
    )
    assert record.size == len(content)


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_formula_where_a_value_should_be_is_refused(client, template, file_format):
    downloaded = template(file_format)
    row = downloaded.set(Measure.objects.get(), new_value="=60+4", new_value_period="June 2022")
    assert_refused(
        client,
        downloaded.name,
        downloaded.content,
        f"{downloaded.name}, row {row}, New value: a formula (=60+4) where a value should be. "
        "Replace formulas with their values (in Excel: Copy, then Paste Special, Values) and upload again.",
    )


def test_a_csv_that_is_not_utf8_is_refused(client, template):
    downloaded = template("csv")
    downloaded.set(Action.objects.get(), commentary="Caf\u00e9 staff trained.")
    content = downloaded.content.decode("utf-8-sig").encode("cp1252")
    position = content.index(b"\xe9") + 1
    assert_refused(
        client,
        downloaded.name,
        content,
        f"{downloaded.name} is not UTF-8 text (byte {position:,} cannot be read). "
        'In Excel, save it as "CSV UTF-8 (Comma delimited)", then upload it again.',
    )


def test_a_workbook_without_the_template_is_refused(client, template):
    template("xlsx")
    workbook = Workbook()
    workbook.active.append(["Name", "Score"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record = assert_refused(
        client,
        "scores.xlsx",
        buffer.getvalue(),
        "scores.xlsx has no Type, ID, Version, Latest period, New rating, New status, Completed on, Commentary, "
        "New due date, Reason, New value and New value period columns in its header (row 1). "
        "Download a new template and copy your changes into it.",
    )
    assert len(record.sha256) == 64


def test_what_excel_does_to_typed_months_and_percentages_is_read_as_meant(client, template):
    downloaded = template("xlsx")
    row = downloaded.set(Measure.objects.get())
    value_column = downloaded.header.index("New value") + 1
    period_column = downloaded.header.index("New value period") + 1
    # Typing "Jun 22" or "64%" into a General cell gives a date shown as a month and a fraction.
    downloaded.sheet.cell(row=row, column=period_column, value=dt.datetime(2022, 6, 1)).number_format = "mmm-yy"
    downloaded.sheet.cell(row=row, column=value_column, value=0.64).number_format = "0%"

    upload(client, downloaded.name, downloaded.content)

    [result] = [r for r in BulkUpdate.objects.get().rows if r["row"] == row]
    assert result["changes"] == ["Value for June 2022 recorded: 64%"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/03/2025", (dt.date(2025, 3, 31), DatePrecision.DAY)),
        ("2025-03-31", (dt.date(2025, 3, 31), DatePrecision.DAY)),
        ("31 March 2025", (dt.date(2025, 3, 31), DatePrecision.DAY)),
        ("March 2025", (dt.date(2025, 3, 1), DatePrecision.MONTH)),
        ("2025-03", (dt.date(2025, 3, 1), DatePrecision.MONTH)),
        ("Mar-25", (dt.date(2025, 3, 1), DatePrecision.MONTH)),
        ("2025", (dt.date(2025, 1, 1), DatePrecision.YEAR)),
        ("31/02/2025", None),
        ("soon", None),
    ],
)
def test_periods_are_read_as_a_day_a_month_or_a_year(text, expected):
    assert parse_period(text) == expected
