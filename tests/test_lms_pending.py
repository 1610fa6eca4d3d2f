"""Learners of an LMS report who are no citizens yet (issue #20): the known ones are imported,
the unknown ones listed (with a file) and kept pending until a citizen is that learner; real
errors still stop the whole file; pending rows are seen only over the source's area."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from learning_units.imports import import_run
from learning_units.lms.pending import pending_for_officer
from learning_units.models import CourseCompletion, LearnerMapping, LmsSource, PendingCompletion
from tests.factories import (
    CitizenFactory,
    CommuneFactory,
    OfficerRoleFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.test_lms_import import admin_login, make_source, make_world, run


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return make_world()


def day(days_ago):
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def moodle_report(tmp_path, rows, column="Email address"):
    """A Moodle course completion report of course kns-101 (rows: learner, completion date)."""
    path = tmp_path / f"completion-kns-101-{timezone.localdate():%Y%m%d}_0900-comma_separated.csv"
    lines = [f"ID,Name,{column},Course complete"]
    for number, (learner, done) in enumerate(rows, start=1):
        when = done.strftime("%d/%m/%y, 10:00") if isinstance(done, datetime.date) else done
        lines.append(f'{number},Học viên {number},{learner},"{when}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_unknown_learners_do_not_stop_the_known_ones(world, tmp_path):
    source = make_source(world, "moodle")
    path = moodle_report(
        tmp_path,
        [
            ("an.nguyen@example.vn", day(5)),
            ("Stranger@Example.vn", day(4)),
            ("binh.tran@example.vn", day(3)),
        ],
    )
    report = run(path, world["province_officer"], source=source.pk)
    assert report.ok and report.applied, report.errors
    assert report.new == 2 and report.pending == 1 and report.unchanged == 0
    assert report.unknown_learners == [
        {"row": 3, "learner": "stranger@example.vn", "name": "Học viên 2"}
    ]
    pending = PendingCompletion.objects.get()
    assert (pending.source, pending.course_id, pending.completed_on) == (source, "kns-101", day(4))
    again = run(path, world["province_officer"], source=source.pk)
    assert again.ok and again.unchanged == 2 and again.pending == 1
    assert PendingCompletion.objects.count() == 1 and CourseCompletion.objects.count() == 2


def test_the_preview_keeps_nothing_pending(world, tmp_path):
    source = make_source(world, "moodle")
    path = moodle_report(tmp_path, [("stranger@example.vn", day(4))])
    report = run(path, world["province_officer"], source=source.pk, dry_run=True)
    assert report.ok and report.pending == 1 and not PendingCompletion.objects.exists()


def test_a_real_error_still_stops_the_whole_file_pending_rows_included(world, tmp_path):
    source = make_source(world, "moodle")
    path = moodle_report(
        tmp_path,
        [("stranger@example.vn", day(4)), ("an.nguyen@example.vn", "31/02/25, 10:00")],
    )
    report = run(path, world["province_officer"], source=source.pk)
    assert report.error_codes == {"date"} and not report.applied
    assert not PendingCompletion.objects.exists() and not CourseCompletion.objects.exists()


def test_a_learner_who_registers_later_gets_the_completion(world, tmp_path):
    source = make_source(world, "moodle")
    path = moodle_report(tmp_path, [("stranger@example.vn", day(4))])
    run(path, world["province_officer"], source=source.pk)
    hamlet = world["an"].area
    citizen = CitizenFactory(area=hamlet, email="STRANGER@example.vn")
    completion = CourseCompletion.objects.get(citizen=citizen)
    assert (completion.course_id, completion.completed_on) == ("kns-101", day(4))
    assert completion.provider == "moodle" and not PendingCompletion.objects.exists()
    again = run(path, world["province_officer"], source=source.pk)  # the same completion
    assert again.ok and again.unchanged == 1 and again.pending == 0 and again.new == 0


def test_a_citizen_outside_the_source_area_does_not_get_it(world, tmp_path):
    source = make_source(world, "moodle")
    run(
        moodle_report(tmp_path, [("stranger@example.vn", day(4))]),
        world["province_officer"],
        source=source.pk,
    )
    elsewhere = ResidentialAreaFactory(parent=CommuneFactory(parent=ProvinceFactory(code="79")))
    CitizenFactory(area=elsewhere, email="stranger@example.vn")
    assert not CourseCompletion.objects.exists() and PendingCompletion.objects.count() == 1


def test_an_account_email_or_a_learner_mapping_attaches_it(world, tmp_path):
    by_email = make_source(world, "moodle")
    by_username = make_source(world, "moodle", LmsSource.Matching.USERNAME, name="Moodle 2")
    run(
        moodle_report(tmp_path, [("late@example.vn", day(6))]),
        world["province_officer"],
        source=by_email.pk,
    )
    path = moodle_report(tmp_path, [("annguyen", day(2))], column="Username")
    report = run(path, world["province_officer"], source=by_username.pk)
    assert report.pending == 1 and PendingCompletion.objects.count() == 2
    user = UserFactory(username="late", email="")
    citizen = CitizenFactory(area=world["an"].area, user=user)
    assert not CourseCompletion.objects.filter(citizen=citizen).exists()
    user.email = "Late@example.vn"
    user.save()
    assert CourseCompletion.objects.get(citizen=citizen).completed_on == day(6)
    LearnerMapping.objects.create(source=by_username, username="AnNguyen", citizen=world["an"])
    assert CourseCompletion.objects.get(citizen=world["an"]).completed_on == day(2)
    assert not PendingCompletion.objects.exists()


def test_the_citizens_import_attaches_pending_completions(world, tmp_path):
    source = make_source(world, "moodle", LmsSource.Matching.CITIZEN_ID)
    number = "001090000777"
    run(
        moodle_report(tmp_path, [(number, day(8))], column="ID number"),
        world["province_officer"],
        source=source.pk,
    )
    assert PendingCompletion.objects.get().learner_key == number
    citizens = tmp_path / "citizens.csv"
    citizens.write_text(
        "Số CCCD,Họ và tên,Giới tính,Năm sinh,Mã địa bàn,Nhóm đối tượng\n"
        f"{number},Vũ Văn Mới,Nam,1990,{world['an'].area.code},1\n",
        encoding="utf-8",
    )
    report = import_run(
        kind="citizens", file=citizens, officer=world["province_officer"], dry_run=False
    )
    assert report.applied, (report.file_error, report.errors)
    completion = CourseCompletion.objects.get(citizen__citizen_id=number)
    assert completion.completed_on == day(8) and not PendingCompletion.objects.exists()


def test_pending_rows_are_seen_only_by_officers_over_the_source_area(world, tmp_path, client):
    source = make_source(world, "moodle")
    run(
        moodle_report(tmp_path, [("stranger@example.vn", day(4))]),
        world["province_officer"],
        source=source.pk,
    )
    pending = PendingCompletion.objects.get()
    far_officer = OfficerRoleFactory(area=ProvinceFactory(code="79")).user
    assert list(pending_for_officer(world["province_officer"])) == [pending]
    assert not pending_for_officer(world["officer"]).exists()  # a commune under the source
    assert not pending_for_officer(far_officer).exists()
    index = reverse("learning_units_pending_completions:index")
    inspect = reverse("learning_units_pending_completions:inspect", args=[pending.pk])
    admin_login(client, world["province_officer"])
    listing = client.get(index)
    assert listing.status_code == 200 and "stranger@example.vn" in listing.content.decode()
    assert client.get(inspect).status_code == 200
    admin_login(client, far_officer)
    assert "stranger@example.vn" not in client.get(index).content.decode()
    assert client.get(inspect).status_code == 404
    citizen_user = CitizenFactory(area=world["an"].area, user=UserFactory()).user
    client.force_login(citizen_user)
    assert client.get(index).status_code == 302  # not an officer: no admin at all


def test_the_result_page_lists_the_unknown_learners_with_a_file(world, tmp_path, client):
    source = make_source(world, "moodle")
    path = moodle_report(tmp_path, [("an.nguyen@example.vn", day(5)), ("@cmd@example.vn", day(4))])
    admin_login(client, world["province_officer"])
    with path.open("rb") as handle:
        response = client.post(
            reverse("learning_units_imports:index"),
            {"kind": "completions", "file": handle, "source": source.pk},
        )
    assert response.status_code == 302, response.context["form"].errors
    preview = client.get(response["Location"])
    assert "@cmd@example.vn" in preview.content.decode()
    download = client.get(response["Location"] + "unknown-learners.xlsx")
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    cell = sheet.cell(2, 2)
    assert cell.value == "@cmd@example.vn" and cell.data_type == "s"  # text, never a formula
    assert client.post(response["Location"] + "apply/").status_code == 302
    assert PendingCompletion.objects.get().learner_key == "@cmd@example.vn"
    other = OfficerRoleFactory(area=world["province"]).user
    admin_login(client, other)
    assert client.get(response["Location"] + "unknown-learners.xlsx").status_code == 404
