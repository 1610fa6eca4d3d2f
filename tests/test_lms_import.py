"""Import of course completions: our template, Moodle's and Open edX's report exports."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from learning_units.imports import import_run
from learning_units.lms.services import lms_source_create
from learning_units.models import CourseCompletion, LearnerMapping, LmsSource
from tests.factories import (
    CitizenFactory,
    CommuneFactory,
    OfficerRoleFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)

DATA = Path(__file__).parent / "data"
MOODLE = DATA / "completion-kns-101.csv"
OPEN_EDX = DATA / "VNKH_KNS101_2025_T1_grade_report_2025-06-30-1015.csv"
TEMPLATE = DATA / "completions_template.csv"
HEADER = (
    "Số CCCD,Tên khóa học,Nền tảng,Mã khóa học,Địa chỉ khóa học,Ngày hoàn thành,Số giờ,"
    "Kết quả,Địa chỉ chứng chỉ,Mã ngoài,Năng lực\n"
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return make_world()


def make_world():
    """Two communes of a province, three citizens (An and Bình in the first), two officers."""
    province = ProvinceFactory(code="01", name="Thành phố Hà Nội")
    commune = CommuneFactory(parent=province, code="00070", name="Phường Hoàn Kiếm")
    other_commune = CommuneFactory(parent=province, code="00100", name="Phường Ba Đình")
    hamlet = ResidentialAreaFactory(parent=commune, code="00070-T01")
    other_hamlet = ResidentialAreaFactory(parent=other_commune, code="00100-T01")
    an = CitizenFactory(
        full_name="Nguyễn Văn An",
        gender="male",
        citizen_id="001090000101",
        area=hamlet,
        email="an.nguyen@example.vn",
    )
    binh = CitizenFactory(
        full_name="Trần Thị Bình",
        gender="female",
        citizen_id="001190000102",
        area=hamlet,
        user=UserFactory(username="binh", email="binh.tran@example.vn"),
    )
    cuong = CitizenFactory(
        full_name="Lê Văn Cường", gender="male", area=other_hamlet, email="cuong.le@example.vn"
    )
    officer = OfficerRoleFactory(area=commune).user
    province_officer = OfficerRoleFactory(area=province).user
    return {
        "province": province,
        "commune": commune,
        "an": an,
        "binh": binh,
        "cuong": cuong,
        "officer": officer,
        "province_officer": province_officer,
    }


def make_source(world, provider, matching=LmsSource.Matching.EMAIL, name=None):
    source, _token = lms_source_create(
        user=None,
        name=name or f"{provider} Hà Nội",
        provider=provider,
        area=world["province"],
        matching=matching,
    )
    return source


def run(path, officer, *, dry_run=False, **options):
    return import_run(
        kind="completions", file=path, officer=officer, dry_run=dry_run, options=options
    )


def write(tmp_path, lines, name="completions.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_template_file_imports_both_rows(world):
    report = run(TEMPLATE, world["officer"])
    assert report.ok and report.applied, report.errors
    assert report.new == 2
    an = CourseCompletion.objects.get(citizen=world["an"])
    assert an.provider == "moodle" and an.external_id == "moodle-cc-5501"
    assert an.completed_on == datetime.date(2025, 6, 5) and str(an.hours) == "8.0"
    assert an.source == CourseCompletion.Source.IMPORT
    binh = CourseCompletion.objects.get(citizen=world["binh"])
    assert binh.provider == "open_edx" and binh.external_id.startswith("auto-")


def test_reimporting_the_same_file_changes_nothing(world):
    run(TEMPLATE, world["officer"])
    again = run(TEMPLATE, world["officer"])
    assert again.ok and again.new == 0 and again.unchanged == 2
    assert CourseCompletion.objects.count() == 2


def test_dry_run_writes_nothing_and_lists_samples(world):
    report = run(TEMPLATE, world["officer"], dry_run=True)
    assert report.ok and not report.applied and report.new == 2
    assert {sample.action for sample in report.samples} == {"new"}
    assert not CourseCompletion.objects.exists()


def test_moodle_report_matches_by_email_and_skips_incomplete(world):
    source = make_source(world, "moodle")
    report = run(MOODLE, world["province_officer"], source=source.pk)
    assert report.ok and report.applied, report.errors
    assert report.new == 2  # Cường has no course completion date
    completions = CourseCompletion.objects.order_by("citizen__full_name")
    assert {c.citizen for c in completions} == {world["an"], world["binh"]}
    first = completions.get(citizen=world["an"])
    assert first.course_id == "kns-101" and first.provider == "moodle"
    assert first.completed_on == datetime.date(2025, 6, 5)
    assert any("not completed" in warning for warning in report.warnings)
    assert run(MOODLE, world["province_officer"], source=source.pk).unchanged == 2


def test_moodle_report_by_username_uses_learner_mappings(world, tmp_path):
    source = make_source(world, "moodle", LmsSource.Matching.USERNAME)
    LearnerMapping.objects.create(source=source, username="AnNguyen", citizen=world["an"])
    path = tmp_path / "completion-kns-102.csv"
    path.write_text(
        'ID,Name,Username,Course complete\n1,An,annguyen,"05/06/25, 10:00"\n'
        '2,X,stranger,"05/06/25, 10:00"\n',
        encoding="utf-8",
    )
    report = run(path, world["province_officer"], source=source.pk)
    assert report.ok and report.applied and report.new == 1, report.errors
    assert CourseCompletion.objects.get().citizen == world["an"]
    assert report.pending == 1 and report.unknown_learners[0]["learner"] == "stranger"


def test_open_edx_report_takes_eligible_learners_and_the_report_date(world):
    source = make_source(world, "open_edx")
    report = run(OPEN_EDX, world["province_officer"], source=source.pk, course_title="KNS 101")
    assert report.ok and report.applied, report.errors
    assert report.new == 2
    an = CourseCompletion.objects.get(citizen=world["an"])
    assert an.grade == "87%" and an.course_id == "VNKH_KNS101_2025_T1"
    assert an.course_title == "KNS 101"
    assert an.completed_on == datetime.date(2025, 6, 30)


def test_lms_report_needs_the_course(world, tmp_path):
    source = make_source(world, "moodle")
    path = tmp_path / "export.csv"
    shutil.copy(MOODLE, path)
    report = run(path, world["province_officer"], source=source.pk)
    assert report.error_codes == {"unknown_course"}
    assert run(path, world["province_officer"], source=source.pk, course_id="X1").ok


def test_unmatched_learners_are_listed_and_nothing_is_written(world, tmp_path):
    path = write(
        tmp_path,
        [
            "001090000101,Kỹ năng số,moodle,K1,,01/06/2025,2,,,,",
            "001090999999,Kỹ năng số,moodle,K1,,01/06/2025,2,,,,",
        ],
    )
    report = run(path, world["officer"])
    assert [(e.row, e.code) for e in report.errors] == [(3, "unknown_learner")]
    assert not CourseCompletion.objects.exists()


def test_citizens_outside_the_jurisdiction_are_refused(world, tmp_path):
    path = write(tmp_path, [f"{world['cuong'].citizen_id},Kỹ năng số,moodle,K1,,01/06/2025,,,,,"])
    report = run(path, world["officer"])
    assert report.error_codes == {"unknown_learner"}  # not "elsewhere" (issue #18)
    assert run(path, world["province_officer"]).ok


def test_future_dates_negative_hours_and_duplicates_are_refused(world, tmp_path):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    path = write(
        tmp_path,
        [
            f"001090000101,Kỹ năng số,moodle,K1,,{tomorrow},2,,,,",
            "001090000101,Tiếng Anh,moodle,T1,,01/06/2025,-3,,,,",
            "001190000102,Tin học,other,TH,,01/06/2025,1,,,dup-1,",
            "001190000102,Tin học 2,other,TH2,,02/06/2025,1,,,dup-1,",
            "001190000102,Tin học,other,TH,,31/02/2025,1,,notaurl,,",
        ],
    )
    report = run(path, world["officer"])
    found = {(e.row, e.code) for e in report.errors}
    assert found == {
        (2, "future_date"),
        (3, "negative_hours"),
        (5, "duplicate_in_file"),
        (6, "date"),
        (6, "url"),
    }
    assert not report.applied and not CourseCompletion.objects.exists()


def test_an_external_id_of_another_citizen_is_a_conflict(world, tmp_path):
    run(TEMPLATE, world["officer"])
    row = "001190000102,Kỹ năng số,moodle,KNS-101,,05/06/2025,8,,,moodle-cc-5501,"
    path = write(tmp_path, [row])
    report = run(path, world["officer"])
    assert report.error_codes == {"external_id_conflict"}


def test_changed_row_with_the_same_external_id_updates(world, tmp_path):
    run(TEMPLATE, world["officer"])
    row = "001090000101,Kỹ năng số,moodle,KNS-101,,05/06/2025,9,,,moodle-cc-5501,"
    path = write(tmp_path, [row])
    report = run(path, world["officer"])
    assert report.updated == 1 and report.new == 0
    assert str(CourseCompletion.objects.get(external_id="moodle-cc-5501").hours) == "9.0"


def test_import_data_command_takes_a_source(world, capsys):
    make_source(world, "moodle", name="Moodle tỉnh")
    call_command("import_data", "completions", str(MOODLE), "--source", "Moodle tỉnh")
    assert CourseCompletion.objects.count() == 2


def admin_login(client, user):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(user)


def test_admin_upload_preview_and_apply(world, client):
    source = make_source(world, "open_edx")
    admin_login(client, world["province_officer"])
    index = reverse("learning_units_imports:index")
    with OPEN_EDX.open("rb") as handle:
        response = client.post(index, {"kind": "completions", "file": handle, "source": source.pk})
    assert response.status_code == 302, response.context["form"].errors
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and "Nguyễn Văn An" in preview.content.decode()
    assert not CourseCompletion.objects.exists()
    applied = client.post(response["Location"] + "apply/")
    assert applied.status_code == 302
    assert CourseCompletion.objects.count() == 2


def test_admin_sample_template_for_completions(world, client):
    admin_login(client, world["officer"])
    response = client.get(reverse("learning_units_imports:template", args=["completions"]))
    assert response.status_code == 200


def test_admin_export_of_completions_masks_citizen_ids(world, client):
    run(TEMPLATE, world["officer"])
    admin_login(client, world["officer"])
    response = client.get(reverse("learning_units_imports:export", args=["completions", "csv"]))
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Số CCCD,Tên khóa học")
    assert "001090000101" not in response.content.decode() and len(lines) == 3


def test_a_later_open_edx_report_keeps_the_first_completion_date(world, tmp_path):
    source = make_source(world, "open_edx")
    run(OPEN_EDX, world["province_officer"], source=source.pk)
    later = tmp_path / "VNKH_KNS101_2025_T1_grade_report_2025-09-01-0800.csv"
    shutil.copy(OPEN_EDX, later)
    report = run(later, world["province_officer"], source=source.pk)
    assert report.unchanged == 2 and report.new == 0
    assert set(CourseCompletion.objects.values_list("completed_on", flat=True)) == {
        datetime.date(2025, 6, 30)
    }


@pytest.mark.parametrize("hours", ["1e30", "1e308", "-1e30", "inf", "NaN"])
def test_hours_too_large_or_not_numbers_are_a_field_error(world, tmp_path, hours):
    path = write(tmp_path, [f"001090000101,Kỹ năng số,moodle,K1,,01/06/2025,{hours},,,,"])
    report = run(path, world["officer"])
    assert report.error_codes <= {"hours", "negative_hours"} and report.errors, report.errors
    assert [(error.row, error.column) for error in report.errors] == [(2, "Số giờ")]
    assert not report.applied and not CourseCompletion.objects.exists()


def test_hours_as_huge_number_cells_of_a_workbook_are_a_field_error(world, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.strip().split(","))
    for hours in (1e30, 1e308):
        workbook.active.append(
            ["001090000101", f"Khóa {hours}", "moodle", "K1", None, "01/06/2025", hours]
        )
    path = tmp_path / "completions.xlsx"
    workbook.save(path)
    report = run(path, world["officer"])
    assert [(error.row, error.code) for error in report.errors] == [(2, "hours"), (3, "hours")]
    assert not CourseCompletion.objects.exists()
