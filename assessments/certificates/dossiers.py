"""Dossiers an officer submits upward: per campaign and area, the list of recognised subjects
(name, residential area, group, score) and a summary per residential area, as PDF and xlsx.

Like the certificate, the dossier is an official paper in Vietnamese: its wording is fixed here
and in its template, rendered with the Vietnamese labels whatever the officer's language.

The PDF is laid out with ReportLab's platypus directly (xhtml2pdf is built on it): 10,000 rows
through xhtml2pdf's HTML layer took about a minute, too long for a request; one `LongTable`
with a repeated header and the shipped fonts takes a few seconds
(bench/bench_certificates.py measures it).
"""

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

from learning_units import spreadsheets
from learning_units.models import TargetGroup

from ..rules import format_points
from . import fonts
from .documents import TITLES, association_phrase, nfc_text
from .selectors import dossier_rows, dossier_summary

# (heading, width in % of the A4 portrait line): certificate numbers do not wrap, so theirs is
# sized for "10999-CQ1/2026/00001".
COLUMNS = [
    ("STT", 6),
    ("Họ và tên / Tên tập thể", 19),
    ("Khu dân cư", 13),
    ("Nhóm", 15),
    ("Điểm", 7),
    ("Xếp loại", 9),
    ("Số giấy chứng nhận", 18),
    ("Quyết định", 13),
]
HEADERS = [heading for heading, _width in COLUMNS]


@dataclass
class DossierData:
    campaign: object
    area: object
    rows: list = field(default_factory=list)
    summary: list = field(default_factory=list)

    @property
    def title(self):
        return TITLES.get(self.campaign.subject_kind, TITLES["citizen"])

    @property
    def totals(self):
        return {
            key: sum(row[key] for row in self.summary)
            for key in ("assessed", "recognised", "revoked")
        }


def dossier_data(*, campaign, area):
    """The rows and the summary, read in two queries as plain values."""
    with translation.override("vi"):
        groups = {value: str(label) for value, label in TargetGroup.choices}
        rows = []
        for number, values in enumerate(dossier_rows(campaign=campaign, area=area), start=1):
            (
                certificate,
                full_name,
                unit_name,
                area_name,
                group,
                score,
                band,
                decision,
                revoked,
            ) = values
            rows.append(
                (
                    number,
                    nfc_text(full_name or unit_name),
                    nfc_text(area_name),
                    groups.get(group, ""),
                    format_points(score) if score is not None else "",
                    nfc_text(band) + (" (đã thu hồi)" if revoked else ""),
                    certificate,
                    nfc_text(decision),
                )
            )
    summary = list(dossier_summary(campaign=campaign, area=area))
    return DossierData(campaign=campaign, area=area, rows=rows, summary=summary)


def dossier_filename(*, campaign, area, extension):
    return f"ho-so-{campaign.year}-{campaign.subject_kind}-{area.code}.{extension}"


_PAGE = A4
_MARGIN = 1.2 * cm
_GRID = [
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
    ("LEADING", (0, 0), (-1, -1), 10.5),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
]


def _styles():
    regular, bold = fonts.measuring_font("regular"), fonts.measuring_font("bold")
    return {
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", fontName=bold, fontSize=8.5, leading=10.5),
        "sub": ParagraphStyle("sub", fontName=regular, fontSize=10, leading=13, alignment=1),
        "title": ParagraphStyle("title", fontName=bold, fontSize=14, leading=18, alignment=1),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=11, leading=14, spaceBefore=10),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9, leading=12),
    }


def dossier_pdf(data):
    """A4 portrait: heading, summary per residential area, then the list (header repeated)."""
    styles, width = _styles(), _PAGE[0] - 2 * _MARGIN
    issuer, title = association_phrase(data.area), data.title.upper()
    story = [
        Paragraph(escape(issuer.upper()), styles["sub"]),
        Paragraph(
            escape(f"DANH SÁCH ĐƯỢC CÔNG NHẬN DANH HIỆU {title} NĂM {data.campaign.year}"),
            styles["title"],
        ),
        Paragraph(
            escape(f"{nfc_text(data.area.name)} · lập ngày {timezone.localdate():%d/%m/%Y}"),
            styles["sub"],
        ),
        Paragraph("I. Tổng hợp", styles["h2"]),
    ]
    totals = data.totals
    summary = [["Khu dân cư / đơn vị", "Đã đánh giá", "Được công nhận", "Đã thu hồi"]]
    summary += [
        [Paragraph(escape(nfc_text(row["area__name"])), styles["cell"]), row["assessed"],
         row["recognised"], row["revoked"]]
        for row in data.summary
    ]  # fmt: skip
    summary.append(["Tổng cộng", totals["assessed"], totals["recognised"], totals["revoked"]])
    story.append(_table(summary, [0.52 * width] + [0.16 * width] * 3, bold_last=True))
    story.append(Paragraph(f"II. Danh sách ({len(data.rows)})", styles["h2"]))
    if data.rows:
        wrapped = (1, 2, 3, 7)  # names, areas, groups and decisions may wrap
        rows = [[Paragraph(escape(heading), styles["head"]) for heading in HEADERS]] + [
            [Paragraph(escape(str(value)), styles["cell"]) if index in wrapped else value
             for index, value in enumerate(row)]
            for row in data.rows
        ]  # fmt: skip
        story.append(_table(rows, [width * share / 100 for _h, share in COLUMNS]))
    else:
        story.append(Paragraph("Chưa có ai được công nhận.", styles["body"]))
    footer = f"{issuer} · {title} {data.campaign.year} · trang "

    def number_pages(canvas, document):
        canvas.setFont(fonts.measuring_font("regular"), 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawRightString(_PAGE[0] - _MARGIN, 0.8 * cm, footer + str(document.page))

    output = io.BytesIO()
    document = SimpleDocTemplate(
        output, pagesize=_PAGE, leftMargin=_MARGIN, rightMargin=_MARGIN,
        topMargin=1.5 * cm, bottomMargin=1.5 * cm, title=f"Danh sách {title}",
    )  # fmt: skip
    document.build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    return output.getvalue()


def _table(rows, widths, *, bold_last=False):
    table = LongTable(rows, colWidths=widths, repeatRows=1)
    style = [*_GRID, ("FONTNAME", (0, 1), (-1, -1), fonts.measuring_font("regular"))]
    if bold_last:
        style.append(("FONTNAME", (0, -1), (-1, -1), fonts.measuring_font("bold")))
    style.append(("FONTNAME", (0, 0), (-1, 0), fonts.measuring_font("bold")))
    table.setStyle(TableStyle(style))
    return table


def dossier_xlsx(data):
    """The same list as a workbook: sheet "Danh sách" and sheet "Tổng hợp"."""
    workbook = spreadsheets.new_workbook()
    sheet = workbook.create_sheet("Danh sách")
    spreadsheets.append_row(
        sheet, [f"Danh sách {data.title} năm {data.campaign.year} — {nfc_text(data.area.name)}"]
    )
    spreadsheets.append_row(sheet, HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in data.rows:
        spreadsheets.append_row(sheet, list(row))
    for column, width in zip("ABCDEFGH", (6, 30, 24, 30, 8, 14, 20, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    summary = workbook.create_sheet("Tổng hợp")
    spreadsheets.append_row(
        summary, ["Khu dân cư / đơn vị", "Đã đánh giá", "Được công nhận", "Đã thu hồi"]
    )
    for cell in summary[1]:
        cell.font = Font(bold=True)
    for row in data.summary:
        spreadsheets.append_row(
            summary, [row["area__name"], row["assessed"], row["recognised"], row["revoked"]]
        )
    totals = data.totals
    spreadsheets.append_row(
        summary, ["Tổng cộng", totals["assessed"], totals["recognised"], totals["revoked"]]
    )
    summary.column_dimensions["A"].width = 32
    return spreadsheets.workbook_bytes(workbook)
