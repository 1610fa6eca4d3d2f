"""Dossiers an officer submits upward: per campaign and area, the list of recognised subjects
(name, residential area, group, score) and a summary per residential area, as PDF and xlsx.

Like the certificate, the dossier is an official paper in Vietnamese: its wording is fixed here
and in its template, rendered with the Vietnamese labels whatever the officer's language.

xhtml2pdf lays a table out as one flowable and splits it page by page, re-measuring what is left
each time: the list is cut into tables of `ROWS_PER_TABLE` rows, about a page each (each
repeating its header), which keeps 10,000 rows linear. The footer numbers pages without the
total: `<pdf:pagecount>` makes xhtml2pdf lay the whole document out twice.
bench/bench_certificates.py measures it.
"""

import io
from dataclasses import dataclass, field

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from learning_units.models import TargetGroup

from ..rules import format_points
from . import fonts, pdf
from .documents import TITLES, association_phrase, nfc_text
from .selectors import dossier_rows, dossier_summary

ROWS_PER_TABLE = 40
TEMPLATE = "assessments/certificates/dossier.html"
# (heading, width in % of the A4 portrait line): certificate numbers do not wrap, so theirs is
# sized for "10999-CQ1/2026/00001".
COLUMNS = [
    ("STT", 5),
    ("Họ và tên / Tên tập thể", 19),
    ("Khu dân cư", 13),
    ("Nhóm", 17),
    ("Điểm", 6),
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
    def chunks(self):
        return [
            self.rows[start : start + ROWS_PER_TABLE]
            for start in range(0, len(self.rows), ROWS_PER_TABLE)
        ]

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


def dossier_pdf(data):
    return pdf.render_pdf(
        TEMPLATE,
        {
            "data": data,
            "columns": COLUMNS,
            "issuer": association_phrase(data.area),
            "area_name": nfc_text(data.area.name),
            "today": timezone.localdate(),
            "title": data.title.upper(),
            "fonts": fonts.FONT_FILES,
            "font_family": fonts.FAMILY,
        },
        policy=pdf.LONG_RESOURCE_POLICY,
    )


def dossier_xlsx(data):
    """The same list as a workbook: sheet "Danh sách" and sheet "Tổng hợp"."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append([f"Danh sách {data.title} năm {data.campaign.year} — {nfc_text(data.area.name)}"])
    sheet.append(HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in data.rows:
        sheet.append(list(row))
    for column, width in zip("ABCDEFGH", (6, 30, 24, 30, 8, 14, 20, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    summary = workbook.create_sheet("Tổng hợp")
    summary.append(["Khu dân cư / đơn vị", "Đã đánh giá", "Được công nhận", "Đã thu hồi"])
    for cell in summary[1]:
        cell.font = Font(bold=True)
    for row in data.summary:
        summary.append([row["area__name"], row["assessed"], row["recognised"], row["revoked"]])
    totals = data.totals
    summary.append(["Tổng cộng", totals["assessed"], totals["recognised"], totals["revoked"]])
    summary.column_dimensions["A"].width = 32
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
