"""Files the import screens hand out: the sample template, the list of errors, exports."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import selectors
from ..models import Area, AreaLevel, Citizen
from ..spreadsheets import XLSX_CONTENT_TYPE, append_row, csv_bytes, workbook_bytes
from .service import SPECS

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
EXAMPLE_FONT = Font(italic=True, color="555555")
EXAMPLE_NAME = "Nguyễn Văn Mẫu"


def write_rows(sheet, headers, rows, *, text_columns=(), widths=None):
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    for index in range(1, len(headers) + 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = (widths or {}).get(index, 18)
        if index in text_columns:
            sheet.column_dimensions[letter].number_format = "@"
    for row in rows:
        append_row(sheet, row)  # text that looks like a formula stays text
        if text_columns:
            for index in text_columns:
                sheet.cell(sheet.max_row, index).number_format = "@"
    sheet.freeze_panes = "A2"


# --- sample template --------------------------------------------------------------------


def sample_workbook(kind, *, officer):
    """An xlsx with the header row, one example row valid for this officer, column notes
    (as header comments and on a second sheet) and identifier columns formatted as text."""
    resource = SPECS[kind].resource_class
    columns = list(resource.columns().values())
    text_columns = [index for index, column in enumerate(columns, start=1) if column.as_text]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")
    example = example_row(kind, officer)
    write_rows(
        sheet,
        [column.column_name for column in columns],
        [[example.get(name, "") for name in resource.columns()]],
        text_columns=text_columns,
        widths={index: 22 for index in text_columns},
    )
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index)
        note = column_note(column)
        cell.comment = Comment(note, "CDHT", width=320, height=140)
        if column.required:
            cell.fill = REQUIRED_FILL
        sheet.cell(2, index).font = EXAMPLE_FONT
    notes = workbook.create_sheet(_("Instructions"))
    notes.append([_("How to fill in this file")])
    notes["A1"].font = Font(bold=True, size=13)
    for line in general_notes():
        notes.append([line])
    notes.append([])
    notes.append([_("Column"), _("Required"), _("English header"), _("Notes")])
    for cell in notes[notes.max_row]:
        cell.font = HEADER_FONT
    for column in columns:
        notes.append(
            [
                column.column_name,
                _("yes") if column.required else "",
                column.english,
                str(column.note),
            ]
        )
        notes.cell(notes.max_row, 4).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (24, 10, 22, 90), strict=True):
        notes.column_dimensions[letter].width = width
    return workbook_bytes(workbook)


def column_note(column):
    required = _("Required.") if column.required else _("Optional.")
    return f"{column.column_name} ({column.english}) — {required} {column.note}".strip()


def general_notes():
    return [
        _("Keep the header row (row 1) as it is; English headers are accepted too."),
        _("Row 2 is an example: replace it with your own data or delete it before importing."),
        _("Columns with a yellow header are required; hover over a header to read its note."),
        _(
            "An empty cell in an optional column keeps the value already recorded; it never "
            "erases it."
        ),
        _(
            "Enter values, not formulas. Citizen ID, code and phone columns are formatted as "
            "Text so that Excel keeps their leading zeros: keep them that way when pasting."
        ),
        _(
            "Save as .xlsx (Excel Workbook) or as CSV UTF-8. The import first shows a "
            "preview; nothing is written until you confirm, and then all rows or none are."
        ),
    ]


def example_row(kind, officer):
    """Values valid for the officer: an area of their jurisdiction, an unused citizen ID."""
    if hasattr(SPECS[kind], "example_row"):
        return SPECS[kind].example_row(officer)
    areas = selectors.areas_for_officer(officer).filter(is_active=True)
    residential = (
        areas.filter(level=AreaLevel.RESIDENTIAL).order_by("is_agency_branch", "path").first()
    )
    commune = areas.filter(level=AreaLevel.COMMUNE).order_by("path").first()
    if commune is None and residential is not None:
        commune = residential.parent
    area_code = (residential or commune).code if (residential or commune) else "10999-T01"
    if kind == "citizens":
        return {
            "citizen_id": unused_citizen_id(),
            "full_name": EXAMPLE_NAME,
            "gender": "Nam",
            "birth_year": 1990,
            "ethnicity": "Kinh",
            "religion": "Không",
            "area": area_code,
            "target_group": 1,
            "occupation": "Nông dân",
            "phone": "0912345678",
            "email": "",
        }
    if kind == "areas":
        commune_code = commune.code if commune else "10999"
        return {
            "code": unused_area_code(commune_code),
            "name": "Thôn Mẫu",
            "division_type": "thôn",
            "parent": commune_code,
            "is_agency_branch": "Không",
        }
    return {"kind": "Gia đình", "name": f"Gia đình ông {EXAMPLE_NAME}", "area": area_code}


def unused_citizen_id():
    """A well-formed ID (Hà Nội, male, born 1990) that no citizen has."""
    candidates = [f"001090{serial:06d}" for serial in range(999_990, 999_999)]
    taken = set(
        Citizen.objects.filter(citizen_id__in=candidates).values_list("citizen_id", flat=True)
    )
    return next(number for number in candidates if number not in taken)


def unused_area_code(commune_code):
    candidates = [f"{commune_code}-T{serial:02d}" for serial in range(90, 100)]
    taken = set(
        Area.objects.filter(level=AreaLevel.RESIDENTIAL, code__in=candidates).values_list(
            "code", flat=True
        )
    )
    return next(code for code in candidates if code not in taken)


# --- errors -----------------------------------------------------------------------------


def errors_workbook(report):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Errors")
    rows = [
        [error.row or "", error.column, error.value, error.message, error.code]
        for error in ([report.file_error] if report.file_error else []) + report.errors
    ]
    write_rows(
        sheet,
        [_("Row"), _("Column"), _("Value"), _("Reason"), _("Code")],
        rows,
        text_columns=(3,),
        widths={1: 8, 2: 20, 3: 22, 4: 100, 5: 22},
    )
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)


def unknown_learners_workbook(report):
    """The learners of an LMS report who are no citizens (their completions kept pending)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Learners")
    rows = [[item["row"], item["learner"], item["name"]] for item in report.unknown_learners]
    write_rows(
        sheet,
        [_("Row"), _("Learner"), _("Name in the LMS")],
        rows,
        text_columns=(2,),
        widths={1: 8, 2: 40, 3: 40},
    )
    return workbook_bytes(workbook)


# --- exports ----------------------------------------------------------------------------


def export_queryset(kind, officer):
    if hasattr(SPECS[kind], "export_queryset"):
        return SPECS[kind].export_queryset(officer)
    if kind == "citizens":
        return selectors.citizens_for_officer(officer).order_by("area__path", "search_name")
    if kind == "areas":
        return (
            selectors.areas_for_officer(officer)
            .filter(level=AreaLevel.RESIDENTIAL)
            .select_related("parent")
            .order_by("path")
        )
    return (
        selectors.learning_units_for_officer(officer)
        .select_related("head")
        .prefetch_related("members")
        .order_by("area__path", "search_name")
    )


def export_file(kind, officer, file_format):
    """(content, content type) of the officer's records in the import layout, with citizen
    IDs masked (exports never carry full ID numbers)."""
    resource = SPECS[kind].resource_class()
    dataset = resource.export(export_queryset(kind, officer))
    if file_format == "csv":
        return csv_bytes([dataset.headers, *dataset]), CSV_CONTENT_TYPE
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")
    columns = list(resource.columns().values())
    write_rows(
        sheet,
        dataset.headers,
        list(dataset),
        text_columns=[index for index, column in enumerate(columns, start=1) if column.as_text],
    )
    return workbook_bytes(workbook), XLSX_CONTENT_TYPE
