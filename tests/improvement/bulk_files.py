"""Helpers for bulk update tests: a small plan owned by the officer, and a downloaded template
edited the way an officer would edit it in a spreadsheet."""

import csv
import datetime as dt
import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from improvement.models import Measure, Rating
from inspections.models import Authority
from tests.factories import (
    ActionFactory,
    AuthorityFactory,
    ImprovementPlanFactory,
    MeasureFactory,
    MeasureValueFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)

FORMATS = ["csv", "xlsx"]


def officers_plan(officer, priorities=1):
    """The current plan: each priority led by the officer and rated Amber, with one action
    they own (rated Red, due 30 September 2022) and one percentage measure they own (60% for
    May 2022). An older plan is there too, to show which one is current."""
    person = getattr(officer, "person", None) or PersonFactory(
        name=officer.get_full_name() or officer.username, user=officer
    )
    home = Authority.objects.filter(short_name=settings.HOME_AUTHORITY).first() or AuthorityFactory(
        short_name=settings.HOME_AUTHORITY
    )
    ImprovementPlanFactory(authority=home, period_start=dt.date(2019, 4, 1), period_end=dt.date(2020, 3, 31))
    plan = ImprovementPlanFactory(authority=home, period_start=dt.date(2022, 4, 1))
    for _ in range(priorities):
        priority = PriorityFactory(plan=plan, lead=person)
        ProgressUpdateFactory(priority=priority, action=None, rating=Rating.AMBER, commentary="Behind plan.")
        action = ActionFactory(priority=priority, owner=person)
        ProgressUpdateFactory(action=action, rating=Rating.RED, commentary="Not started.")
        measure = MeasureFactory(priority=priority, owner=person, unit=Measure.Unit.PERCENTAGE)
        MeasureValueFactory(measure=measure, period_end=dt.date(2022, 5, 1), period_precision="month", value=60)
    return plan


def download(client, file_format, scope="plan", priority=None):
    query = {"scope": scope, "file_format": file_format, "priority": priority.pk if priority else ""}
    response = client.get(reverse("improvement:bulk_update_template"), query)
    assert response.status_code == 200, response.content[:500]
    return Template(response.content, file_format, response["Content-Disposition"].split('"')[1])


def upload(client, name, content, follow=True):
    file = SimpleUploadedFile(name, content)
    return client.post(reverse("improvement:bulk_update"), {"file": file}, follow=follow)


class Template:
    """A downloaded template, edited by type and ID like an officer editing its rows."""

    def __init__(self, content, file_format, name):
        self.format, self.name = file_format, name
        if file_format == "csv":
            self.rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
            self.workbook = None
        else:
            self.workbook = load_workbook(io.BytesIO(content))
            self.sheet = self.workbook["Update"]
            values = self.sheet.iter_rows(values_only=True)
            self.rows = [["" if cell is None else cell for cell in row] for row in values]
        self.header_index = next(i for i, row in enumerate(self.rows) if row and row[0] == "Type")
        self.header = self.rows[self.header_index]

    @property
    def notes(self):
        return [row[0] for row in self.rows[: self.header_index]]

    def data(self):
        """The data rows as dicts by column, with their row numbers as a spreadsheet shows them."""
        return {
            number + 1: dict(zip(self.header, row, strict=False))
            for number, row in enumerate(self.rows)
            if number > self.header_index
        }

    def row_number(self, record):
        kind = type(record).__name__
        for number, row in self.data().items():
            if row["Type"] == kind and str(row["ID"]) == str(record.pk):
                return number
        raise AssertionError(f"No row for {kind} {record.pk}")

    def set(self, record, **cells):
        """Set cells of a record's row; keyword names are column names with underscores."""
        return self.set_row(self.row_number(record), **cells)

    def set_row(self, number, **cells):
        for key, value in cells.items():
            column = self.header.index(key.replace("_", " ").capitalize() if key != "ID" else key)
            while len(self.rows[number - 1]) <= column:
                self.rows[number - 1].append("")
            self.rows[number - 1][column] = value
            if self.workbook:
                self.sheet.cell(row=number, column=column + 1, value=value)
        return number

    def add_row(self, **cells):
        self.rows.append([""] * len(self.header))
        if self.workbook:
            self.sheet.append([None] * len(self.header))
        return self.set_row(len(self.rows), **cells)

    @property
    def content(self):
        if self.workbook:
            buffer = io.BytesIO()
            self.workbook.save(buffer)
            return buffer.getvalue()
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(self.rows)
        return buffer.getvalue().encode("utf-8-sig")
