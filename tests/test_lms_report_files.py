"""LMS reports as Moodle and Open edX name and write them (issue #20): the course read from the
download's file name whatever its date and delimiter, re-imports that change nothing, Moodle's
Vietnamese column names."""

import datetime

import pytest
from django.utils import timezone, translation

from learning_units.imports.report_files import report_course
from learning_units.models import CourseCompletion
from tests.test_lms_import import MOODLE, make_source, make_world, run


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return make_world()


def moodle_name(shortname, day, delimiter="comma"):
    """Moodle's csv_export_writer naming: completion-<shortname>-YYYYMMDD_HHMM-<d>_separated."""
    return f"completion-{shortname}-{day:%Y%m%d}_0815-{delimiter}_separated.csv"


@pytest.mark.parametrize("delimiter", ["comma", "semicolon", "colon", "tab", "cfg"])
def test_moodle_download_names_give_the_course_and_the_day(delimiter):
    day = timezone.localdate()
    assert report_course(moodle_name("kns-101", day, delimiter), "moodle") == ("kns-101", day)


@pytest.mark.parametrize(
    "name",
    [
        "completion-kns-101.csv",
        "completion-kns-101 (1).csv",
        "completion-kns-101-comma_separated.csv",
    ],
)
def test_older_or_copied_moodle_names_give_the_same_course(name):
    assert report_course(name, "moodle")[0] == "kns-101"


def test_a_browser_copy_of_a_dated_moodle_download_keeps_the_course():
    day = timezone.localdate()
    name = moodle_name("kns_101_t1", day).replace(".csv", " (2).csv")
    assert report_course(name, "moodle") == ("kns_101_t1", day)


def test_open_edx_names_give_the_course_and_the_report_day():
    day = timezone.localdate()
    name = f"VNKH_KNS101_T1_grade_report_{day:%Y-%m-%d}-1015.csv"
    assert report_course(name, "open_edx") == ("VNKH_KNS101_T1", day)


@pytest.mark.parametrize("name", ["export.csv", "", "completion-.csv", "grades.csv"])
def test_other_names_give_no_course(name):
    assert report_course(name, "moodle") == ("", None)
    assert report_course(name, "open_edx") == ("", None)


def test_a_moodle_report_imported_twice_and_exported_again_leaves_the_same_completions(
    world, tmp_path
):
    source = make_source(world, "moodle")
    today = timezone.localdate()
    first = tmp_path / moodle_name("kns-101", today - datetime.timedelta(days=40))
    first.write_bytes(MOODLE.read_bytes())
    report = run(first, world["province_officer"], source=source.pk)
    assert report.ok and report.applied and report.new == 2, report.errors
    again = run(first, world["province_officer"], source=source.pk)
    assert again.ok and again.new == 0 and again.unchanged == 2
    later = tmp_path / moodle_name("kns-101", today)
    later.write_bytes(MOODLE.read_bytes())
    reexport = run(later, world["province_officer"], source=source.pk)
    assert reexport.ok and reexport.new == 0 and reexport.unchanged == 2
    assert CourseCompletion.objects.count() == 2
    assert set(CourseCompletion.objects.values_list("course_id", flat=True)) == {"kns-101"}


def test_a_moodle_site_in_vietnamese_writes_vietnamese_headers_and_dates(world, tmp_path):
    source = make_source(world, "moodle")
    done = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    path = tmp_path / moodle_name("kns-101", timezone.localdate(), "semicolon")
    path.write_text(
        "ID;Name;Địa chỉ thư điện tử;Kỹ năng số: Bài 1;Khóa học hoàn thành\n"
        f"101;Nguyễn Văn An;an.nguyen@example.vn;Đã hoàn thành;{done} 10:00\n"
        "103;Lê Văn Cường;cuong.le@example.vn;Chưa hoàn thành;\n",
        encoding="utf-8",
    )
    report = run(path, world["province_officer"], source=source.pk)
    assert report.ok and report.applied and report.new == 1, (report.file_error, report.errors)
    completion = CourseCompletion.objects.get()
    assert completion.citizen == world["an"] and completion.course_id == "kns-101"
    assert completion.completed_on == timezone.localdate() - datetime.timedelta(days=3)


@pytest.mark.parametrize("header", ["Mã số ID", "ID number"], ids=["vietnamese", "english"])
def test_moodle_id_number_column_in_either_language_matches_by_citizen_id(world, tmp_path, header):
    source = make_source(world, "moodle", matching="citizen_id")
    path = tmp_path / "completion-kns-101.csv"
    done = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%y")
    path.write_text(
        f'ID,Name,{header},Khóa học hoàn thành\n1,An,{world["an"].citizen_id},"{done}, 10:00"\n',
        encoding="utf-8",
    )
    report = run(path, world["province_officer"], source=source.pk)
    assert report.ok and report.new == 1, (report.file_error, report.errors)
