"""The files of a report: an xlsx of any report view, a PDF summary (xhtml2pdf).

Both are built from `table.columns`/`table.cells`, the same as the screen. The PDF is set in
Noto Sans (SIL OFL 1.1, fonts/OFL.txt), shipped with the app because xhtml2pdf's built-in
Helvetica has no Vietnamese letters; text is NFC because ReportLab does not compose accents.
"""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from assessments.certificates import fonts
from assessments.certificates.pdf import html_to_pdf
from assessments.models.criteria import SubjectKind
from learning_units import spreadsheets
from learning_units.models import TargetGroup
from learning_units.text import file_slug, nfc

from . import listing, table


def file_name(report, extension):
    return f"bao-cao-{file_slug(report.area.name)}-{report.year}.{extension}"


def header_lines(report, exported_at):
    """Area, year, filters and date of export: printed on top of every export."""
    group = (
        TargetGroup(report.target_group).label if report.target_group else _("All target groups")
    )
    return [
        (_("Area"), report.area.name),
        (_("Year"), report.year),
        (_("Subject"), str(SubjectKind(report.subject_kind).label)),
        (_("Target group"), str(group)),
        (_("Exported on"), exported_at.strftime("%d/%m/%Y %H:%M")),
    ]


def _excel_value(value):
    # Decimals go in as numbers (a spreadsheet sums them); None stays an empty cell.
    return float(value) if isinstance(value, Decimal) else value


def report_xlsx(report, *, exported_at):
    workbook = spreadsheets.new_workbook()
    sheet = workbook.create_sheet(str(report.year))
    append = spreadsheets.append_row  # area names and labels are text people typed
    append(sheet, [_("Learning citizen report")])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in header_lines(report, exported_at):
        append(sheet, [str(label), value])
    append(sheet, [])
    header_row = sheet.max_row + 1
    append(sheet, [column.label for column in table.columns(report)])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in report.rows:
        append(sheet, [_excel_value(v) for v in table.cells(report, row)])
    append(sheet, [_("Total"), *(_excel_value(v) for v in table.cells(report, report.total)[1:])])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    append(sheet, [])
    append(sheet, [_("Targets"), _("Actual (%)"), _("Target (%)"), _("Target year"), _("Gap")])
    for target in report.targets:
        append(
            sheet,
            [
                str(target.label),
                _excel_value(target.actual),
                _excel_value(target.target),
                target.target_year,
                _excel_value(target.gap),
            ],
        )
    sheet.column_dimensions[get_column_letter(1)].width = 36
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    return spreadsheets.workbook_bytes(workbook)


def report_pdf(report, *, exported_at):
    indexes = table.summary_indexes(report)
    html = render_to_string(
        "reports/pdf_summary.html",
        {
            "report": report,
            "header": header_lines(report, exported_at),
            "columns": table.pick(table.columns(report), indexes),
            # Areas without any figure are left out of the summary (the xlsx keeps them all).
            "rows": [
                table.pick(cells, indexes)
                for cells in listing.without_empty([table.cells(report, r) for r in report.rows])
            ],
            "total": table.pick(table.cells(report, report.total), indexes),
            # The certificates' shipped fonts, through the same confined renderer.
            "fonts": fonts.FONT_FILES,
            "font_family": fonts.FAMILY,
        },
    )
    return html_to_pdf(nfc(html))
