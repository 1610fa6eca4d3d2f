"""The one writer of every xlsx and csv file the project produces (admin and queue exports,
reports, dossiers, the personal-data export, import templates and error reports).

Text that people typed ends up in these files: a citizen's name, an officer's comment, a unit's
name. A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula, so a name registered as ``=HYPERLINK(…)`` would become
a live link, or worse, on an officer's machine ("CSV injection",
https://owasp.org/www-community/attacks/CSV_Injection). Every file therefore writes such text
as text:

- xlsx: the cell's type is string (never formula) and it carries Excel's "quote prefix", so the
  text stays text even after someone edits the cell;
- csv: the value gets a leading single quote, as OWASP advises (a csv has no cell types).

Numbers, dates and booleans are left alone: only text is ever a formula. Characters that the
xlsx format cannot hold (control characters) are dropped instead of failing the whole file.
Lives in `learning_units`, the lowest layer with files to write, so every app may import it.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel reads a UTF-8 csv as UTF-8 (Vietnamese letters intact) only after a byte-order mark.
CSV_BOM = "\ufeff"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_text(value):
    """A csv value that a spreadsheet will not run as a formula."""
    return "'" + value if is_formula_like(value) else value


def xlsx_value(value):
    """A value openpyxl can store: text without the control characters xlsx cannot hold."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def as_text_cell(cell):
    """Make a cell whose text looks like a formula a plain, quoted string; returns the cell."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def new_workbook(*, write_only: bool = False) -> Workbook:
    """A workbook with no sheet yet: callers name theirs with `workbook.create_sheet(title)`.

    Write-only workbooks stream rows to disk and keep memory flat: use them for files whose
    rows grow with the data (exports of lists); cells of written rows cannot be styled after.
    """
    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    return workbook


def append_row(sheet, values) -> None:
    """Append one row of values to a worksheet (normal or write-only), text kept as text."""
    if isinstance(sheet, WriteOnlyWorksheet):
        # Cells are made here, where their type can still be set before they are streamed.
        sheet.append([as_text_cell(WriteOnlyCell(sheet, xlsx_value(value))) for value in values])
        return
    sheet.append([xlsx_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        as_text_cell(cell)


def workbook_bytes(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


class CsvWriter:
    """`csv.writer` whose rows are safe to open in a spreadsheet (see the module docstring).

    `writerow` returns the written line, so that the writer can also feed a streaming response
    (with `Echo`, an object whose `write` returns what it gets, as Wagtail's exports do).
    """

    def __init__(self, output, **options):
        self.writer = csv.writer(output, **options)

    def writerow(self, values):
        return self.writer.writerow([csv_text(value) for value in values])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_bytes(rows) -> bytes:
    """A whole csv file (UTF-8 with a byte-order mark, for Excel) from rows of values."""
    output = io.StringIO()
    output.write(CSV_BOM)
    CsvWriter(output).writerows(rows)
    return output.getvalue().encode("utf-8")
