"""Criteria set files: JSON (one set or a list) and xlsx workbooks with one sheet per level.

Sheets and columns are named with the field names of `interchange` (``set``, ``rating_bands``,
``criteria``, ``indicators``), so a workbook exported here can be edited in Excel and read back.
"""

import json
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from learning_units.imports.parsing import ImportFileError, check_xlsx_archive
from learning_units.spreadsheets import append_row, workbook_bytes

from .interchange import (
    BAND_FIELDS,
    CRITERION_FIELDS,
    INDICATOR_FIELDS,
    SET_FIELDS,
    Field,
    InterchangeError,
    is_blank,
    to_text,
)

SHEETS = {"set": SET_FIELDS, "rating_bands": BAND_FIELDS, "criteria": CRITERION_FIELDS}
INDICATOR_SHEET_FIELDS = (Field("criterion_code", "text"), *INDICATOR_FIELDS)

# The national criteria sets as published, installed with the package (package data), so a
# host site loads them (`load_criteria --national`) without a source checkout.
NATIONAL_SETS_DIR = Path(__file__).resolve().parent / "criteria_sets"


def read_criteria_file(file, name):
    """Raw set dicts from a JSON file (one set or a list of sets) or an xlsx workbook."""
    if name.lower().endswith(".xlsx"):
        return [read_xlsx(file)]
    if name.lower().endswith(".json"):
        text = file.read()
        try:
            content = json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InterchangeError(
                [_("This is not valid JSON: %(error)s") % {"error": error}]
            ) from None
        return content if isinstance(content, list) else [content]
    raise InterchangeError([_("Choose a .json or .xlsx file.")])


def write_xlsx(data):
    """An xlsx workbook (bytes) with one sheet per level of the set."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "set"
    _header(sheet, ["field", "value"])
    for field in SET_FIELDS:
        append_row(sheet, [field.name, _cell(data[field.name])])
    _rows(workbook, "rating_bands", BAND_FIELDS, data["rating_bands"])
    _rows(workbook, "criteria", CRITERION_FIELDS, data["criteria"])
    _rows(
        workbook,
        "indicators",
        INDICATOR_SHEET_FIELDS,
        [
            {"criterion_code": criterion["code"], **indicator}
            for criterion in data["criteria"]
            for indicator in criterion["indicators"]
        ],
    )
    for worksheet in workbook.worksheets:
        worksheet.freeze_panes = "A2"
        for column in worksheet.columns:
            longest = max(len(str(cell.value or "")) for cell in column)
            worksheet.column_dimensions[column[0].column_letter].width = min(max(12, longest), 60)
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)


def _header(sheet, names):
    append_row(sheet, names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def _rows(workbook, title, fields, rows):
    sheet = workbook.create_sheet(title)
    _header(sheet, [field.name for field in fields])
    for row in rows:
        append_row(sheet, [_cell(row[field.name]) for field in fields])


def _cell(value):
    if isinstance(value, list | tuple):
        return "\n".join(value)
    return value


def read_xlsx(file):
    """A raw set dict from a workbook written by `write_xlsx` (or by hand in the same shape)."""
    try:
        check_xlsx_archive(file)
    except ImportFileError as error:
        raise InterchangeError([error.message]) from None
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise InterchangeError(
            [_("This is not an xlsx workbook: %(error)s") % {"error": error}]
        ) from None
    missing = [name for name in [*SHEETS, "indicators"] if name not in workbook.sheetnames]
    if missing:
        raise InterchangeError(
            [_("The workbook has no sheet “%(sheet)s”.") % {"sheet": name} for name in missing]
        )
    errors = []
    raw = {row[0]: row[1] for row in _sheet_rows(workbook["set"])[1:] if len(row) > 1 and row[0]}
    raw["rating_bands"] = _records(workbook["rating_bands"])
    raw["criteria"] = _records(workbook["criteria"])
    by_code = {criterion.get("code"): criterion for criterion in raw["criteria"]}
    for criterion in raw["criteria"]:
        criterion["indicators"] = []
    for indicator in _records(workbook["indicators"]):
        criterion = by_code.get(to_text(indicator.pop("criterion_code", "") or ""))
        if criterion is None:
            errors.append(
                _("%(where)s: no criterion has this criterion_code.")
                % {"where": indicator["_where"]}
            )
            continue
        criterion["indicators"].append(indicator)
    if errors:
        raise InterchangeError(errors)
    return raw


def _sheet_rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _records(sheet):
    rows = _sheet_rows(sheet)
    if not rows:
        return []
    header = [str(name).strip() if name is not None else "" for name in rows[0]]
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if all(is_blank(value) for value in row):
            continue
        record = {name: value for name, value in zip(header, row, strict=False) if name}
        record["_where"] = _("Sheet “%(sheet)s”, row %(row)s") % {
            "sheet": sheet.title,
            "row": number,
        }
        records.append(record)
    return records


def data_to_json(data):
    """JSON text of plain data (Decimals and dates as strings), e.g. for a confirmation form."""
    return json.dumps(data, ensure_ascii=False, default=str, indent=2)
