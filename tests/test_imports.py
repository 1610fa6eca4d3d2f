"""Imports of citizens, residential areas and learning units: the service and the admin screens.

Files are generated in tmp_path; assertions check stable error codes plus the reason's content
(under English, the msgid language, until the Vietnamese catalogue is merged).
"""

import codecs
import csv
import io
import re
import unicodedata

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import AuditAction, AuditEvent
from learning_units.imports import import_run
from learning_units.imports import storage as import_storage
from learning_units.imports.parsing import MAX_FILE_BYTES
from learning_units.imports.resources import AreaResource, CitizenResource, LearningUnitResource
from learning_units.models import Area, AreaLevel, Citizen, LearningUnit
from tests.factories import (
    CitizenFactory,
    CommuneFactory,
    OfficerRoleFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
    make_citizen_id,
)

CITIZEN_HEADERS = CitizenResource.headers()
AREA_HEADERS = AreaResource.headers()
UNIT_HEADERS = LearningUnitResource.headers()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    """Two communes of one province, each with a residential area and a commune officer."""
    province = ProvinceFactory(code="31", name="Thành phố Hải Phòng")
    commune_a = CommuneFactory(parent=province, code="10999", name="Xã Gia Lộc")
    commune_b = CommuneFactory(parent=province, code="10813", name="Xã Thanh Hà")
    hamlet_a = ResidentialAreaFactory(parent=commune_a, code="10999-T01", name="Thôn Phương Điếm")
    hamlet_b = ResidentialAreaFactory(parent=commune_b, code="10813-T01", name="Thôn Hà Tây")
    officer_a = OfficerRoleFactory(area=commune_a).user
    officer_b = OfficerRoleFactory(area=commune_b).user
    return {
        "commune_a": commune_a,
        "commune_b": commune_b,
        "hamlet_a": hamlet_a,
        "hamlet_b": hamlet_b,
        "officer_a": officer_a,
        "officer_b": officer_b,
    }


def citizen_row(
    citizen_id=None,
    name="Nguyễn Thị Hoa",
    gender="Nữ",
    year=1990,
    area="10999-T01",
    group=1,
    **extra,
):
    citizen_id = citizen_id or make_citizen_id(year, "female" if gender == "Nữ" else "male")
    row = [citizen_id, name, gender, year, "Kinh", "Không", area, group, "Nông dân", "", ""]
    for index, header in enumerate(CITIZEN_HEADERS):
        if header in extra:
            row[index] = extra[header]
    return row


def write_xlsx(path, headers, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path, headers, rows, *, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run(path, officer, kind="citizens", dry_run=False):
    return import_run(kind=kind, file=path, officer=officer, dry_run=dry_run)


def errors_by_code(report):
    return {error.code: error for error in report.errors}


# --- a good file ------------------------------------------------------------------------


def test_good_citizen_file_creates_new_and_updates_known_citizens(world, tmp_path):
    known = CitizenFactory(area=world["hamlet_a"], full_name="Nguyen Van Cu", gender="male")
    rows = [
        citizen_row(),
        citizen_row(name="Trần Văn Bình", gender="Nam", year=1985),
        citizen_row(known.citizen_id, "Nguyễn Văn Cũ", "Nam", known.birth_year, group=2),
    ]
    path = write_xlsx(tmp_path / "citizens.xlsx", CITIZEN_HEADERS, rows)

    report = run(path, world["officer_a"])

    assert report.ok and report.applied
    assert (report.new, report.updated, report.unchanged, report.invalid) == (2, 1, 0, 0)
    known.refresh_from_db()
    assert (known.full_name, known.target_group, known.search_name) == (
        "Nguyễn Văn Cũ",
        2,
        "nguyen van cu",
    )
    binh = Citizen.objects.get(full_name="Trần Văn Bình")
    assert (binh.gender, binh.birth_year, binh.area, binh.search_name) == (
        "male",
        1985,
        world["hamlet_a"],
        "tran van binh",
    )


def test_dry_run_reports_changes_and_writes_nothing(world, tmp_path):
    path = write_xlsx(tmp_path / "citizens.xlsx", CITIZEN_HEADERS, [citizen_row()])

    report = run(path, world["officer_a"], dry_run=True)

    assert report.ok and report.new == 1 and not report.applied
    assert Citizen.objects.count() == 0
    assert report.samples[0].action == "new" and report.samples[0].row == 2


def test_reimporting_the_same_file_counts_rows_as_unchanged(world, tmp_path):
    path = write_xlsx(tmp_path / "citizens.xlsx", CITIZEN_HEADERS, [citizen_row()])
    run(path, world["officer_a"])

    report = run(path, world["officer_a"])

    assert (report.new, report.updated, report.unchanged) == (0, 0, 1)


# --- bad input: each gives a clear message and leaves the database unchanged --------------


def assert_nothing_written(before=0):
    assert Citizen.objects.count() == before


def test_citizen_id_that_lost_its_leading_zeros_in_excel_is_explained(world, tmp_path):
    rows = [citizen_row(1088000123, gender="Nam", year=1988), citizen_row(1088000124.0)]
    path = write_xlsx(tmp_path / "citizens.xlsx", CITIZEN_HEADERS, rows)

    report = run(path, world["officer_a"])

    assert [error.code for error in report.errors] == ["leading_zeros", "leading_zeros"]
    first = report.errors[0]
    assert (first.row, first.column, first.value) == (2, "Số CCCD", "1088000123")
    assert "did you mean 001088000123" in first.message
    assert_nothing_written()


def test_citizen_id_disagreeing_with_gender_or_birth_year_names_the_digits(world, tmp_path):
    rows = [
        citizen_row(make_citizen_id(1990, "male"), gender="Nữ"),
        citizen_row(make_citizen_id(1991, "female"), year=1990),
        citizen_row("099190000001"),
    ]
    path = write_xlsx(tmp_path / "citizens.xlsx", CITIZEN_HEADERS, rows)

    report = run(path, world["officer_a"])

    codes = [(error.row, error.code) for error in report.errors]
    assert codes == [(2, "gender_mismatch"), (3, "birth_year_mismatch"), (4, "province")]
    assert "4th digit" in report.errors[0].message
    assert "born in 1991" in report.errors[1].message
    assert_nothing_written()


def test_citizen_id_in_scientific_notation_or_masked_is_explained(world, tmp_path):
    rows = [citizen_row("3.1119E+11"), citizen_row("0311******34")]
    path = write_csv(tmp_path / "citizens.csv", CITIZEN_HEADERS, rows)

    report = run(path, world["officer_a"])

    assert [error.code for error in report.errors] == ["scientific_notation", "masked_citizen_id"]
    assert "scientific notation" in report.errors[0].message
    assert_nothing_written()


def test_unknown_area_code_is_rejected_with_the_code(world, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", CITIZEN_HEADERS, [citizen_row(area="99999")])

    report = run(path, world["officer_a"])

    error = errors_by_code(report)["unknown_area"]
    assert error.row == 2 and error.column == "Mã địa bàn" and "“99999”" in error.message
    assert_nothing_written()


def test_commune_code_that_lost_a_leading_zero_is_explained(world, tmp_path):
    CommuneFactory(parent=world["commune_a"].parent, code="00070")
    officer = UserFactory(is_superuser=True)
    path = write_xlsx(tmp_path / "c.xlsx", CITIZEN_HEADERS, [citizen_row(area=70)])

    report = run(path, officer)

    assert "did you mean 00070" in errors_by_code(report)["area_leading_zeros"].message


def test_duplicate_citizen_ids_inside_the_file_name_the_first_row(world, tmp_path):
    number = make_citizen_id(1990, "female")
    rows = [citizen_row(number), citizen_row(), citizen_row(number, name="Nguyễn Thị Hoa B")]
    path = write_xlsx(tmp_path / "c.xlsx", CITIZEN_HEADERS, rows)

    report = run(path, world["officer_a"])

    error = errors_by_code(report)["duplicate_in_file"]
    assert error.row == 4 and "row 2" in error.message
    assert report.invalid == 1 and report.new == 2
    assert_nothing_written()


def test_citizen_id_registered_outside_the_jurisdiction_is_not_taken_over(world, tmp_path):
    other = CitizenFactory(area=world["hamlet_b"], gender="female")
    path = write_xlsx(tmp_path / "c.xlsx", CITIZEN_HEADERS, [citizen_row(other.citizen_id)])

    report = run(path, world["officer_a"])

    error = errors_by_code(report)["citizen_not_in_area"]
    assert "is found in your area, and the ID cannot be registered here" in error.message
    assert "outside" not in error.message and world["hamlet_b"].name not in error.message
    other.refresh_from_db()
    assert other.area == world["hamlet_b"]


def test_officer_of_commune_a_cannot_import_into_commune_b(world, tmp_path):
    rows = [citizen_row(area="10813-T01"), citizen_row(area="10813")]
    path = write_xlsx(tmp_path / "c.xlsx", CITIZEN_HEADERS, rows)

    report = run(path, world["officer_a"])

    assert [error.code for error in report.errors] == ["outside_jurisdiction"] * 2
    assert "Thôn Hà Tây (10813-T01) is outside your jurisdiction" in report.errors[0].message
    assert_nothing_written()


def test_one_bad_row_among_good_ones_writes_nothing(world, tmp_path):
    rows = [citizen_row() for _ in range(5)] + [citizen_row(group=7)] + [citizen_row()]
    path = write_xlsx(tmp_path / "c.xlsx", CITIZEN_HEADERS, rows)

    report = run(path, world["officer_a"])

    assert not report.applied and report.invalid == 1 and report.new == 6
    assert errors_by_code(report)["target_group"].row == 7
    assert_nothing_written()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("citizens.pdf", b"%PDF-1.4 ...", "wrong_type"),
        ("citizens.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old_xls"),
        ("citizens.csv", b"PK\x03\x04" + b"\0" * 100, "wrong_type"),
        ("citizens.csv", b"So CCCD,Ho va ten\x00\x01\x02", "wrong_type"),
        ("citizens.xlsx", "Số CCCD,Họ và tên\n".encode(), "broken_xlsx"),
        ("citizens.xlsx", b"PK\x03\x04 truncated zip", "broken_xlsx"),
        ("citizens.csv", b"", "empty"),
        ("citizens.csv", b"  \r\n \r\n", "empty"),
        ("citizens.csv", "Số CCCD,Họ và tên,Giới tính\n".encode(), "missing_columns"),
        ("citizens.csv", b"a,b,c\n1,2,3\n", "no_header"),
        ("citizens.csv", ",".join(CITIZEN_HEADERS).encode(), "no_rows"),
    ],
)
def test_unreadable_files_are_rejected_as_a_whole_with_a_reason(
    world, tmp_path, name, content, code
):
    path = tmp_path / name
    path.write_bytes(content)

    report = run(path, world["officer_a"])

    assert report.file_error.code == code and report.file_error.message
    assert not report.applied
    assert_nothing_written()


def test_broken_xlsx_message_says_how_to_fix_it(world, tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", CITIZEN_HEADERS, [citizen_row()])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:2000])

    report = run(broken, world["officer_a"])

    assert report.file_error.code == "broken_xlsx"
    assert "save it again" in report.file_error.message


def test_file_over_50_mb_is_refused_before_it_is_read(world, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)

    report = run(path, world["officer_a"])

    assert report.file_error.code == "too_large"
    assert "50 MB" in report.file_error.message


def test_more_rows_than_the_limit_is_refused(tmp_path):
    from learning_units.imports.parsing import ImportFileError, Upload, read_table

    content = "\n".join(["a,b"] + ["1,2"] * 5).encode()
    with pytest.raises(ImportFileError) as caught:
        read_table(Upload("rows.csv", content), max_rows=3)
    assert caught.value.code == "too_many_rows"


def test_formula_cells_are_rejected_naming_the_cell(world, tmp_path):
    row = citizen_row()
    row[CITIZEN_HEADERS.index("Năm sinh")] = "=1980+10"
    path = write_xlsx(tmp_path / "c.xlsx", CITIZEN_HEADERS, [citizen_row(), row])

    report = run(path, world["officer_a"])

    error = errors_by_code(report)["formula"]
    assert error.row == 3 and error.column == "Năm sinh"
    assert "Cell D3 contains a formula (=1980+10)" in error.message
    assert_nothing_written()


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text):
    """Encode as Windows-1258 does: base letters precomposed (ê, ơ, ă), tone marks combining."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tone = next(mark for mark in decomposed if mark in TONE_MARKS)
            base = unicodedata.normalize("NFC", decomposed.replace(tone, ""))
            out += (base + tone).encode("cp1258")
    return bytes(out)


def csv_text(headers, rows, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        cp1258,
    ],
    ids=["utf8", "utf8-bom", "windows-1258"],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_csv_encodings_and_delimiters_are_detected(world, tmp_path, encode, delimiter):
    text = csv_text(CITIZEN_HEADERS, [citizen_row(name="Nguyễn Thị Ánh Tuyết")], delimiter)
    path = tmp_path / "citizens.csv"
    path.write_bytes(encode(text))

    report = run(path, world["officer_a"])

    assert report.ok and report.applied, report.errors or report.file_error
    citizen = Citizen.objects.get()
    assert citizen.full_name == "Nguyễn Thị Ánh Tuyết"  # NFC, whatever the encoding
    assert citizen.search_name == "nguyen thi anh tuyet"


def test_csv_mixing_utf8_and_windows_1258_rows_is_refused(world, tmp_path):
    header = ",".join(CITIZEN_HEADERS) + "\r\n"
    first = ",".join(map(str, citizen_row(name="Nguyễn Thị Hoa"))) + "\r\n"
    second = ",".join(map(str, citizen_row(name="Trần Thị Bích"))) + "\r\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(header.encode() + first.encode() + cp1258(second))

    report = run(path, world["officer_a"])

    assert report.file_error.code == "mixed_encoding"
    assert "row 1 is UTF-8 but row 3 is not" in report.file_error.message
    assert_nothing_written()


def test_title_rows_above_the_header_and_english_headers_are_accepted(world, tmp_path):
    english = [column.english for column in CitizenResource.columns().values()]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH CÔNG DÂN HỌC TẬP NĂM 2026"])
    sheet.append([])
    sheet.append(english + ["Ghi chú"])
    sheet.append(citizen_row())
    workbook.save(tmp_path / "c.xlsx")

    report = run(tmp_path / "c.xlsx", world["officer_a"])

    assert report.ok and report.new == 1
    assert report.samples[0].row == 4
    assert "Ghi chú" in report.warnings[0]


def test_blank_optional_cells_keep_recorded_values(world, tmp_path):
    known = CitizenFactory(area=world["hamlet_a"], gender="female", occupation="Thợ may")
    row = citizen_row(known.citizen_id, known.full_name, "Nữ", known.birth_year)
    row[CITIZEN_HEADERS.index("Nghề nghiệp")] = ""
    path = write_xlsx(tmp_path / "c.xlsx", CITIZEN_HEADERS, [row])

    report = run(path, world["officer_a"])

    assert report.ok
    known.refresh_from_db()
    assert known.occupation == "Thợ may"


# --- residential areas ------------------------------------------------------------------


def test_area_file_creates_and_updates_residential_areas_under_own_commune(world, tmp_path):
    rows = [
        ["10999-T05", "Thôn Mới", "thôn", "10999", "Không"],
        ["10999-CQ2", "Chi hội Trạm Y tế", "chi hội cơ quan", "10999", "Có"],
        ["10999-T01", "Thôn Phương Điếm Mới", "thôn", "10999", ""],
    ]
    path = write_xlsx(tmp_path / "areas.xlsx", AREA_HEADERS, rows)

    report = run(path, world["officer_a"], kind="areas")

    assert report.applied and (report.new, report.updated) == (2, 1)
    branch = Area.objects.get(code="10999-CQ2")
    assert branch.is_agency_branch and branch.level == AreaLevel.RESIDENTIAL
    assert branch.path == world["commune_a"].path + "10999-CQ2/"
    assert branch.search_name == "chi hoi tram y te"
    world["hamlet_a"].refresh_from_db()
    assert world["hamlet_a"].name == "Thôn Phương Điếm Mới"


def test_area_file_rejects_communes_outside_the_jurisdiction_and_commune_codes(world, tmp_path):
    rows = [
        ["10813-T09", "Thôn Lạ", "thôn", "10813", "Không"],
        ["10999", "Thôn Trùng Mã", "thôn", "10999", "Không"],
        ["10999-T07", "Thôn Bảy", "thôn", "12345", "Không"],
        ["10999/T08", "Thôn Tám", "thôn", "10999", "có lẽ"],
    ]
    path = write_xlsx(tmp_path / "areas.xlsx", AREA_HEADERS, rows)
    before = Area.objects.count()

    report = run(path, world["officer_a"], kind="areas")

    codes = [(error.row, error.code) for error in report.errors]
    assert codes == [
        (2, "outside_jurisdiction"),
        (3, "code_is_commune"),
        (4, "unknown_commune"),
        (5, "code_slash"),
        (5, "yes_no"),
    ]
    assert Area.objects.count() == before


# --- learning units ---------------------------------------------------------------------


def test_unit_file_creates_units_with_head_and_members(world, tmp_path):
    head = CitizenFactory(area=world["hamlet_a"])
    member = CitizenFactory(area=world["hamlet_a"])
    rows = [
        ["Gia đình", "Gia đình ông An", "", "10999-T01", head.citizen_id, member.citizen_id],
        [
            "Đơn vị",
            "Trường THCS",
            "THCS-GL",
            "10999",
            "",
            f"{head.citizen_id}; {member.citizen_id}",
        ],
    ]
    path = write_xlsx(tmp_path / "units.xlsx", UNIT_HEADERS, rows)

    report = run(path, world["officer_a"], kind="units")

    assert report.applied and report.new == 2
    family = LearningUnit.objects.get(kind="family")
    assert family.head == head and set(family.members.all()) == {head, member}
    school = LearningUnit.objects.get(code="THCS-GL")
    assert school.kind == "organisation" and school.members.count() == 2

    rows[1][5] = head.citizen_id  # the second import replaces the members
    path = write_xlsx(tmp_path / "units2.xlsx", UNIT_HEADERS, rows)
    report = run(path, world["officer_a"], kind="units")
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    assert list(school.members.all()) == [head]


def test_unit_file_rejects_citizens_outside_the_jurisdiction(world, tmp_path):
    stranger = CitizenFactory(area=world["hamlet_b"])
    rows = [["Gia đình", "Gia đình bà Lạ", "", "10999-T01", stranger.citizen_id, "123"]]
    path = write_xlsx(tmp_path / "units.xlsx", UNIT_HEADERS, rows)

    report = run(path, world["officer_a"], kind="units")

    codes = {error.code: error.message for error in report.errors}
    assert set(codes) == {"unknown_citizen", "member_citizen_id"}
    assert "registered in your jurisdiction" in codes["unknown_citizen"]
    assert LearningUnit.objects.count() == 0


# --- admin screens ----------------------------------------------------------------------


def admin_client(client, user):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"learning_units_imports:{name}", args=args)


def xlsx_upload(name, headers, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, kind, file):
    response = client.post(url("index"), {"kind": kind, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").split("/")[-1]


def test_admin_upload_preview_and_apply_writes_the_rows(world, client):
    client = admin_client(client, world["officer_a"])
    assert "Nhập / xuất dữ liệu" in client.get(url("index")).content.decode()

    token = upload(client, "citizens", xlsx_upload("c.xlsx", CITIZEN_HEADERS, [citizen_row()] * 1))
    preview = client.get(url("preview", token)).content.decode()

    assert "Áp dụng các thay đổi (1)" in preview and "Nguyễn Thị Hoa" in preview
    assert Citizen.objects.count() == 0
    response = client.post(url("apply", token), follow=True)
    assert "Đã nhập dữ liệu: 1 mới, 0 cập nhật, 0 không đổi." in response.content.decode()
    assert Citizen.objects.count() == 1


def test_admin_preview_lists_invalid_rows_with_number_column_and_reason(world, client):
    client = admin_client(client, world["officer_a"])
    rows = [citizen_row(), citizen_row(area="10813-T01"), citizen_row(1088000123)]

    token = upload(client, "citizens", xlsx_upload("c.xlsx", CITIZEN_HEADERS, rows))
    page = client.get(url("preview", token)).content.decode()

    assert "Số dòng có vấn đề: 2." in page and url("apply", token) not in page
    assert "Thôn Hà Tây (10813-T01) không thuộc phạm vi quản lý của bạn" in page
    assert re.search(r"<td>4</td>\s*<td>Số CCCD</td>", page)
    errors = openpyxl.load_workbook(io.BytesIO(client.get(url("errors", token)).content))
    rows = list(errors.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Dòng", "Cột", "Giá trị", "Lý do")
    assert [(row[0], row[4]) for row in rows[1:]] == [
        (3, "outside_jurisdiction"),
        (4, "leading_zeros"),
    ]
    assert client.post(url("apply", token)).status_code == 302
    assert Citizen.objects.count() == 0


def test_admin_upload_of_an_unreadable_file_shows_the_reason_on_the_form(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = admin_client(client, world["officer_a"])
    for name, content, reason in [
        ("c.pdf", b"%PDF", "Chỉ nhập được tệp .xlsx (Excel) và .csv"),
        ("c.csv", b"", "Tệp rỗng."),
        ("c.xlsx", b"PK\x03\x04broken", "Không đọc được tệp Excel"),
    ]:
        response = client.post(
            url("index"), {"kind": "citizens", "file": SimpleUploadedFile(name, content)}
        )
        assert response.status_code == 200
        assert reason in response.content.decode()


def test_applying_twice_is_safe(world, client):
    client = admin_client(client, world["officer_a"])
    token = upload(client, "citizens", xlsx_upload("c.xlsx", CITIZEN_HEADERS, [citizen_row()]))

    client.post(url("apply", token))
    second = client.post(url("apply", token), follow=True).content.decode()

    assert "đã được áp dụng" in second
    assert Citizen.objects.count() == 1


def test_officer_cannot_open_or_apply_another_users_upload(world, client, django_user_model):
    from django.test import Client

    owner = admin_client(client, world["officer_a"])
    token = upload(owner, "citizens", xlsx_upload("c.xlsx", CITIZEN_HEADERS, [citizen_row()]))
    other = admin_client(Client(), world["officer_b"])

    assert other.get(url("preview", token)).status_code == 404
    assert other.post(url("apply", token)).status_code == 404
    assert other.get(url("errors", token)).status_code == 404
    assert Citizen.objects.count() == 0


def test_upload_is_bound_to_the_session_it_was_sent_from(world, client):
    from django.test import Client

    owner = admin_client(client, world["officer_a"])
    token = upload(owner, "citizens", xlsx_upload("c.xlsx", CITIZEN_HEADERS, [citizen_row()]))
    same_user_elsewhere = admin_client(Client(), world["officer_a"])

    assert same_user_elsewhere.post(url("apply", token)).status_code == 404
    assert Citizen.objects.count() == 0


def test_uploads_are_kept_privately_and_removed_after_apply(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = admin_client(client, world["officer_a"])
    token = upload(client, "citizens", xlsx_upload("c.xlsx", CITIZEN_HEADERS, [citizen_row()]))
    folder = import_storage.folder()

    assert folder.is_relative_to(settings.MEDIA_ROOT) and folder.parts[-2:] == (
        "private",
        "imports",
    )
    stored = [path.name for path in folder.iterdir() if path.suffix == ".upload"]
    assert len(stored) == 1 and token not in stored[0]
    client.post(url("apply", token))
    assert not import_storage.upload_path(token).exists()
    assert import_storage.uploads_purge(older_than=import_storage.LIFETIME * 0) >= 1
    assert client.get(url("preview", token)).status_code == 404


def test_users_without_an_officer_role_are_refused(world, client):
    """Wagtail turns the refusal into a redirect to the dashboard with a message."""
    client = admin_client(client, UserFactory())

    for address in (url("index"), url("template", "citizens"), url("export", "citizens", "csv")):
        response = client.get(address)
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))


@pytest.mark.parametrize("kind", ["citizens", "areas", "units"])
def test_sample_template_is_a_real_xlsx_that_imports_cleanly(world, client, tmp_path, kind):
    client = admin_client(client, world["officer_a"])

    response = client.get(url("template", kind))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / f"sample-{kind}.xlsx"
    path.write_bytes(response.content)
    workbook = openpyxl.load_workbook(path)
    assert workbook.worksheets[0]["A1"].comment is not None
    report = run(path, world["officer_a"], kind=kind, dry_run=True)
    assert report.ok and report.new == 1, (report.errors, report.file_error)


def test_export_gives_the_officers_records_with_masked_citizen_ids(world, client):
    mine = CitizenFactory(area=world["hamlet_a"])
    CitizenFactory(area=world["hamlet_b"])
    client = admin_client(client, world["officer_a"])

    content = client.get(url("export", "citizens", "csv")).content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == CITIZEN_HEADERS
    assert [row[0] for row in rows[1:]] == [mine.masked_citizen_id]
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url("export", "units", "xlsx")).content)
    )
    assert [cell.value for cell in workbook.active[1]] == UNIT_HEADERS


def test_a_file_of_another_kind_is_recognised(world, tmp_path):
    path = write_xlsx(
        tmp_path / "areas.xlsx", AREA_HEADERS, [["10999-T05", "Thôn Mới", "", "10999"]]
    )

    report = run(path, world["officer_a"], kind="citizens")

    assert report.file_error.code == "wrong_kind"
    assert "This file holds Residential areas and agency branches, not Citizens" in (
        report.file_error.message
    )


def test_area_code_used_outside_the_jurisdiction_is_not_taken_over(world, tmp_path):
    rows = [["10813-T01", "Thôn Hà Tây Mới", "thôn", "10999", "Không"]]
    path = write_xlsx(tmp_path / "areas.xlsx", AREA_HEADERS, rows)

    report = run(path, world["officer_a"], kind="areas")

    assert errors_by_code(report)["area_outside_jurisdiction"].row == 2
    world["hamlet_b"].refresh_from_db()
    assert (world["hamlet_b"].name, world["hamlet_b"].parent) == ("Thôn Hà Tây", world["commune_b"])


def test_the_same_unit_twice_in_a_file_is_reported(world, tmp_path):
    rows = [["Gia đình", "Gia đình ông An", "", "10999-T01", "", ""]] * 2
    path = write_xlsx(tmp_path / "units.xlsx", UNIT_HEADERS, rows)

    report = run(path, world["officer_a"], kind="units")

    error = errors_by_code(report)["duplicate_in_file"]
    assert error.row == 3 and "row 2" in error.message
    assert LearningUnit.objects.count() == 0


def test_csv_in_an_unknown_encoding_is_refused(world, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(",".join(CITIZEN_HEADERS).encode("utf-8")[:-1] + b"\x81\x8d\n")

    report = run(path, world["officer_a"])

    assert report.file_error.code == "encoding"
    assert "CSV UTF-8" in report.file_error.message


def test_excel_unicode_text_export_in_utf16_is_read(world, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(csv_text(CITIZEN_HEADERS, [citizen_row()], "\t").encode("utf-16"))

    assert run(path, world["officer_a"]).applied


# --- big imports run as a task ---------------------------------------------------------------


def citizen_rows(count):
    return [citizen_row(make_citizen_id(1990, "female")) for _serial in range(count)]


def test_an_import_above_the_threshold_is_applied_by_the_task(world, client, settings):
    settings.CDHT_IMPORT_TASK_MIN_ROWS = 2
    client = admin_client(client, world["officer_a"])
    token = upload(client, "citizens", xlsx_upload("c.xlsx", CITIZEN_HEADERS, citizen_rows(3)))

    response = client.post(url("apply", token), follow=True)

    page = response.content.decode()
    assert Citizen.objects.count() == 3
    assert "Số dòng đã ghi: 3." in page and 'http-equiv="refresh"' not in page
    meta = import_storage.upload_meta(token, user=world["officer_a"])
    assert meta["state"] == import_storage.APPLIED and meta["progress"] is None
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, actor=world["officer_a"]).exists()


def test_an_import_at_the_threshold_is_applied_in_the_request(world, client, settings):
    settings.CDHT_IMPORT_TASK_MIN_ROWS = 3
    client = admin_client(client, world["officer_a"])
    token = upload(client, "citizens", xlsx_upload("c.xlsx", CITIZEN_HEADERS, citizen_rows(3)))

    response = client.post(url("apply", token), follow=True)

    assert "Đã nhập dữ liệu: 3 mới, 0 cập nhật, 0 không đổi." in response.content.decode()


def test_the_preview_of_a_running_import_shows_progress_and_refreshes(world, client):
    client = admin_client(client, world["officer_a"])
    token = upload(client, "citizens", xlsx_upload("c.xlsx", CITIZEN_HEADERS, citizen_rows(2)))
    assert import_storage.upload_claim(token)
    meta = import_storage.upload_meta(token, user=world["officer_a"])
    meta.update(state=import_storage.APPLYING, progress={"stage": "write", "done": 1, "total": 4})
    import_storage.write_meta(token, meta)

    page = client.get(url("preview", token)).content.decode()

    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Đang ghi các dòng: đã xong 1 / 4." in page and 'value="25"' in page
    assert url("apply", token) not in page  # no second apply while it runs
    assert 'href="' + url("preview", token) + '"' in page  # a reload link without JavaScript
    assert Citizen.objects.count() == 0
