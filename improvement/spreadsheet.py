"""The monthly bulk update's spreadsheet as a file: its columns, the notes at its top, writing it
as CSV or Excel, and reading an uploaded one back into rows of text, or refusing it whole.

What the rows mean, and the rules they must obey, are not here: `improvement.bulk` reads each
row and runs the model's verbs.

Both formats have the same layout: leading rows whose first cell starts with "#" are notes
(the parser skips them), then one header row, then one row per record. Values are written
escaped as OWASP advises for CSV injection: a text that starts with =, +, -, @, a tab or a
carriage return gets a leading apostrophe, which the parser removes again.
"""

import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Column:
    name: str
    editable: bool
    applies_to: str
    accepts: str
    required: bool = True


TYPE = "Type"
ID = "ID"
VERSION = "Version"
ITEM = "Item"
OWNER = "Owner"
CURRENT_RATING = "Current rating"
CURRENT_STATUS = "Current status"
DUE_DATE = "Due date"
LATEST_VALUE = "Latest value"
LATEST_PERIOD = "Latest period"
NEW_RATING = "New rating"
NEW_STATUS = "New status"
COMPLETED_ON = "Completed on"
COMMENTARY = "Commentary"
NEW_DUE_DATE = "New due date"
REASON = "Reason"
NEW_VALUE = "New value"
NEW_PERIOD = "New value period"

DATES = "a day (31/03/2025 or 2025-03-31), a month (March 2025 or 2025-03) or a year (2025)"

COLUMNS = [
    Column(TYPE, False, "every row", "Priority, Action or Measure. Do not change."),
    Column(ID, False, "every row", "The record the row updates. Do not change."),
    Column(
        VERSION,
        False,
        "every row",
        "The version of the record (for a measure, of its latest value) when the template was made. "
        "Do not change: a row whose record someone changed since is refused and shown with their change.",
    ),
    Column(ITEM, False, "every row", "For reference; changes are ignored.", required=False),
    Column(OWNER, False, "every row", "For reference; changes are ignored.", required=False),
    Column(CURRENT_RATING, False, "priorities and actions", "For reference; changes are ignored.", required=False),
    Column(CURRENT_STATUS, False, "actions", "For reference; changes are ignored.", required=False),
    Column(DUE_DATE, False, "actions", "For reference; changes are ignored.", required=False),
    Column(LATEST_VALUE, False, "measures", "For reference; changes are ignored.", required=False),
    Column(
        LATEST_PERIOD,
        False,
        "measures",
        "The period of the latest value. Do not change: a new value for this same period corrects it.",
    ),
    Column(NEW_RATING, True, "priorities and actions", "Red, Amber or Green. Leave empty to keep the rating."),
    Column(NEW_STATUS, True, "actions", "Not started, In progress, Complete or Cancelled."),
    Column(COMPLETED_ON, True, "actions", "The day the action was completed, when New status is Complete."),
    Column(
        COMMENTARY,
        True,
        "priorities, actions and measures",
        "What has happened and why: needed when a rating changes, for a first rating and to cancel an action. "
        "For a measure, a note kept with the new value.",
    ),
    Column(NEW_DUE_DATE, True, "actions", f"The date the action is now due: {DATES}. Needs a Reason."),
    Column(REASON, True, "actions and measures", "Why the due date moves, or why a recorded value is corrected."),
    Column(
        NEW_VALUE,
        True,
        "measures",
        "A number in the measure's unit, e.g. 68 for 68%. Percentages are 0 to 100; counts are whole numbers.",
    ),
    Column(
        NEW_PERIOD,
        True,
        "measures",
        f"The period the new value is for: {DATES}; not in the future. "
        "The same period as Latest period corrects that value (give a Reason).",
    ),
]
HEADER = [column.name for column in COLUMNS]
EDITABLE = [column.name for column in COLUMNS if column.editable]
NOTE_MARK = "#"

MAX_ROWS = 2000
# An .xlsx file is a zip: refuse one that would unpack to far more than any template does.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

CSV = "csv"
XLSX = "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# OWASP's list: characters that make a spreadsheet treat a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetRefused(ValidationError):
    """The file cannot be read as the template: refused whole, nothing changes."""


def notes(title):
    """The rows at the top of a template: what it is and what each column accepts."""
    lines = [
        title,
        "Fill in the columns you may change; leave the others as they are. A row left empty changes nothing. "
        "Rows starting with # are notes and are skipped.",
        "Upload the file on the Bulk update page: you will see what each row would do before anything changes.",
    ]
    for column in COLUMNS:
        may = "you may change" if column.editable else "do not change" if column.required else "for reference"
        lines.append(f"{column.name} ({column.applies_to}; {may}): {column.accepts}")
    return [f"{NOTE_MARK} {line}" for line in lines]


def escape(value):
    """A cell value safe to open in a spreadsheet: never a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unescape(text):
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def write_csv(title, rows):
    """UTF-8 with a byte order mark, so that Excel opens it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in notes(title):
        writer.writerow([line])
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([escape(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(title, rows):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Update"
    for line in notes(title):
        sheet.append([line])
    sheet.append(HEADER)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([escape(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text as text, even after escaping: never a formula
    first, last = header_row + 1, max(sheet.max_row, header_row + 1)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 40 if column.name in {ITEM, COMMENTARY, REASON} else 16
        if column.editable and column.name != NEW_VALUE:
            # Text format: Excel keeps "March 2025" as typed instead of turning it into a day.
            for (cell,) in sheet.iter_rows(min_row=first, max_row=last, min_col=index, max_col=index):
                cell.number_format = "@"
                cell.alignment = Alignment(wrap_text=column.name in {COMMENTARY, REASON})
    for name, choices in ((NEW_RATING, "Red,Amber,Green"), (NEW_STATUS, "Not started,In progress,Complete,Cancelled")):
        letter = get_column_letter(HEADER.index(name) + 1)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        validation.error = f"Choose one of: {choices.replace(',', ', ')}."
        sheet.add_data_validation(validation)
        validation.add(f"{letter}{first}:{letter}{last}")
    sheet.freeze_panes = sheet.cell(row=first, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class SheetRow:
    """One data row: its number as the spreadsheet shows it, and its cells as text by column."""

    number: int
    cells: dict

    def __getitem__(self, column):
        return self.cells.get(column, "")


@dataclass
class Spreadsheet:
    name: str
    sha256: str
    size: int
    rows: list


def read(name, content):
    """Read an uploaded template into a `Spreadsheet`, or raise `SpreadsheetRefused` saying
    what is wrong with the file as a whole."""
    if not content:
        raise SpreadsheetRefused(f"{name} is empty. Upload the template with your changes in it.", code="empty")
    if len(content) > settings.BULK_UPDATE_MAX_BYTES:
        raise too_large(name, len(content))
    file_format = _format_of(name)
    raw_rows = _xlsx_rows(name, content) if file_format == XLSX else _csv_rows(name, content)
    return Spreadsheet(
        name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        rows=_data_rows(name, raw_rows),
    )


def too_large(name, size):
    limit = settings.BULK_UPDATE_MAX_BYTES
    return SpreadsheetRefused(
        f"{name} is {size:,} bytes; the largest file accepted is {limit:,} bytes.", code="too_large"
    )


def _format_of(name):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in {CSV, XLSX}:
        return extension
    if extension in {"xls", "xlsm", "ods", "numbers"}:
        raise SpreadsheetRefused(
            f"{name} is not a CSV or .xlsx file. Save it as an Excel workbook (.xlsx) or as CSV UTF-8, "
            "then upload it again.",
            code="not_a_spreadsheet",
        )
    raise SpreadsheetRefused(
        f"{name} is not a CSV or Excel file. Upload the template as .csv or .xlsx.", code="not_a_spreadsheet"
    )


def _csv_rows(name, content):
    if content.startswith(b"PK\x03\x04"):
        raise SpreadsheetRefused(
            f"{name} is an Excel workbook, not CSV. Upload it with its .xlsx name.", code="not_a_spreadsheet"
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetRefused(
            f"{name} is not UTF-8 text (byte {error.start + 1:,} cannot be read). "
            'In Excel, save it as "CSV UTF-8 (Comma delimited)", then upload it again.',
            code="encoding",
        ) from None
    if "\x00" in text:
        raise SpreadsheetRefused(f"{name} is not a CSV file: it contains binary data.", code="not_a_spreadsheet")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for number, cells in enumerate(reader, start=1):
            texts = [unescape(cell.strip()) for cell in cells]
            for column, cell in enumerate(cells):
                if cell.strip().startswith("="):
                    _refuse_formula(name, number, column, cell.strip())
            yield number, texts
    except csv.Error as error:
        raise SpreadsheetRefused(
            f"{name} could not be read as CSV at row {reader.line_num:,}: {error}.", code="not_a_spreadsheet"
        ) from None


def _xlsx_rows(name, content):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise SpreadsheetRefused(f"{name} is too large once unpacked to be a template.", code="too_large")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except SpreadsheetRefused:
        raise
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise SpreadsheetRefused(
            f"{name} could not be read as an Excel workbook. Save it as .xlsx and upload it again.",
            code="not_a_spreadsheet",
        ) from None
    try:
        sheet = workbook["Update"] if "Update" in workbook.sheetnames else workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            texts = []
            for column, cell in enumerate(cells):
                if cell.data_type == "f":
                    _refuse_formula(name, number, column, str(cell.value))
                texts.append(_cell_text(cell))
            yield number, texts
    finally:
        workbook.close()


def _cell_text(cell):
    """A cell as the text the row parser reads: a date typed as a month stays a month, and a
    number shown as a percentage is read as the percentage it shows."""
    value = cell.value
    if value is None:
        return ""
    number_format = (cell.number_format or "").lower()
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if "d" in number_format:
            return day.isoformat()
        return f"{day:%Y-%m}" if "m" in number_format else f"{day:%Y}"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if "%" in number_format:
            number *= 100
        text = f"{number.normalize():f}"
        return text
    return unescape(str(value).strip())


def _refuse_formula(name, number, column, formula):
    heading = HEADER[column] if column < len(HEADER) else f"column {column + 1}"
    raise SpreadsheetRefused(
        f"{name}, row {number}, {heading}: a formula ({formula[:40]}) where a value should be. "
        "Replace formulas with their values (in Excel: Copy, then Paste Special, Values) and upload again.",
        code="formula",
    )


def _data_rows(name, raw_rows):
    header, header_number, rows = None, None, []
    for number, cells in raw_rows:
        if not any(cells):
            continue
        if header is None:
            if cells[0].startswith(NOTE_MARK):
                continue
            header, header_number = _check_header(name, number, cells), number
            continue
        row = SheetRow(number, {column: cells[index] for index, column in header.items() if index < len(cells)})
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise SpreadsheetRefused(
                f"{name} has more than {MAX_ROWS:,} rows; one upload can take at most {MAX_ROWS:,}. "
                "Split it into smaller files.",
                code="too_many_rows",
            )
    if header is None:
        raise SpreadsheetRefused(f"{name} has no header row: it is not the template.", code="empty")
    if not rows:
        raise SpreadsheetRefused(
            f"{name} has no rows under its header (row {header_number}): nothing to update.", code="empty"
        )
    return rows


def _check_header(name, number, cells):
    """Map each known column to its position; refuse a header missing a required column."""
    known = {column.lower(): column for column in HEADER}
    positions = {}
    for index, cell in enumerate(cells):
        column = known.get(cell.strip().lower())
        if column is None:
            continue  # a column of the officer's own is ignored
        if column in positions.values():
            raise SpreadsheetRefused(f"{name}: the column {column} appears twice in row {number}.", code="columns")
        positions[index] = column
    missing = [column.name for column in COLUMNS if column.required and column.name not in positions.values()]
    if missing:
        raise SpreadsheetRefused(
            f"{name} has no {_and(missing)} column{'s' if len(missing) > 1 else ''} in its header (row {number}). "
            "Download a new template and copy your changes into it.",
            code="columns",
        )
    return positions


def _and(names):
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
