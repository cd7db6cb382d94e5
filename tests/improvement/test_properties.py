"""The monthly bulk update, given generated files and cell values (hypothesis): a file is
refused whole with a message, or previewed row by row; applying does what the preview said,
and applying all-or-nothing with an error writes nothing."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from improvement import spreadsheet
from improvement.bulk import template_file
from improvement.services import bulk_update_apply, bulk_update_preview
from tests.improvement.bulk_files import Template, officers_plan

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def all_rows():
    """Row counts of every table but the record of uploads, which each upload adds to."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label != "improvement.BulkUpdate"
    }


# What officers type into a cell, and what a spreadsheet makes of it.
CELL_WORDS = [
    "",
    "  ",
    "Green",
    "green",
    "RED",
    "Blue",
    "Complete",
    "complete",
    "In progress",
    "Cancelled",
    "31/03/2022",
    "2022-03-31",
    "31/02/2022",
    "1/1/1900",
    "March 2022",
    "=1+1",
    "+1",
    "-5",
    "@SUM(A1)",
    "1e309",
    "NaN",
    "99999999999999999999",
    "0.5",
    "75%",
    "1,000",
    "x" * 3000,
]
text_cells = st.one_of(
    st.sampled_from(CELL_WORDS),
    st.text(max_size=30),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
)
# Excel cells also hold numbers, dates and booleans; openpyxl cannot store control characters.
excel_cells = st.one_of(
    text_cells.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.booleans(),
)


@pytest.fixture
def plan(officer):
    return officers_plan(officer, priorities=2)


def edited_template(plan, officer, file_format, edits):
    name, content = template_file(plan, "plan", file_format, user=officer, priority=None)
    template = Template(content, file_format, name)
    for row, column, value in edits:
        number = template.header_index + 2 + row
        if number > len(template.rows):
            template.add_row()
            number = len(template.rows)
        template.set_row(number, **{column if column == "ID" else column.lower().replace(" ", "_"): value})
    return name, template.content


@st.composite
def edits(draw, file_format, columns):
    cells = excel_cells if file_format == "xlsx" else text_cells
    return draw(
        st.lists(
            st.tuples(st.integers(min_value=0, max_value=12), st.sampled_from(columns), cells), min_size=1, max_size=6
        )
    )


def check_upload(officer, name, content, only_if_all_valid):
    before = all_rows()
    try:
        upload = bulk_update_preview(file=SimpleUploadedFile(name, content), by=officer)
    except spreadsheet.SpreadsheetRefused as refusal:
        assert refusal.messages[0]
        assert all_rows() == before
        return
    # A preview changes nothing but the record of the upload.
    assert all_rows() == before
    previewed = [row["outcome"] for row in upload.rows]

    upload, applied = bulk_update_apply(upload=upload, by=officer, only_if_all_valid=only_if_all_valid)

    assert [row["outcome"] for row in upload.rows] == previewed
    if not applied:
        assert only_if_all_valid and "error" in previewed
        assert all_rows() == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_any_cells_typed_into_the_template_are_previewed_and_applied_as_previewed(officer, plan, file_format):
    name, content = template_file(plan, "plan", file_format, user=officer, priority=None)
    columns = [column for column in Template(content, file_format, name).header if column]

    @PROPERTY_SETTINGS
    @given(changes=edits(file_format, columns), only_if_all_valid=st.booleans())
    def previewed_then_applied(changes, only_if_all_valid):
        name, content = edited_template(plan, officer, file_format, changes)
        check_upload(officer, name, content, only_if_all_valid)

    previewed_then_applied()


@PROPERTY_SETTINGS
@given(
    name=st.sampled_from(["update.csv", "update.xlsx", "update.txt", "update", "UPDATE.CSV", "update.xlsx.csv"]),
    content=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(lambda text: text.encode("utf-8")),
        st.text(max_size=400).map(lambda text: text.encode("utf-16")),
    ),
)
@example(name="update.csv", content=b"Type,ID\x00\r\nPriority,1\r\n")
@example(name="update.xlsx", content=b"PK\x03\x04not a zip")
def test_any_file_is_refused_with_a_message_or_previewed(officer, plan, name, content):
    check_upload(officer, name, content, only_if_all_valid=True)
