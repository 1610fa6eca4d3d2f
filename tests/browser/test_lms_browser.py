"""Completions from an LMS reach the right citizens: the province officer imports a Moodle course
completion report in the admin (preview, then apply), another LMS pushes one through the API, and
both show in the admin's list and on the citizen's own courses page."""

import json
import re
import urllib.error
import urllib.request

import pytest

from learning_units.lms.services import lms_source_create
from learning_units.models import Area, AreaLevel, CourseCompletion, LmsSource
from tests.browser.test_review_browser import admin_login

pytestmark = pytest.mark.browser

# Moodle's "Course completion" report layout (tests/data/README.md), the demo citizen by e-mail.
MOODLE_REPORT = (
    "ID,Name,Email address,Kỹ năng số: Bài 1,Kỹ năng số: Bài 1 - Completion date,"
    "Course complete\n"
    '7,Nguyễn Thị Hoa,CITIZEN@example.com,Completed,"02/06/25, 09:15","05/06/25, 10:00"\n'
)


def push(base, token, payload):
    request = urllib.request.Request(
        f"{base}/api/lms/completions/",
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:  # 4xx answers carry a JSON body too
        return error.code, json.loads(error.read())


def test_moodle_file_and_api_push_reach_the_right_citizens(
    live_demo, desktop_page, phone_page, output_dir, tmp_path
):
    base = live_demo.url
    hai_phong = Area.objects.get(level=AreaLevel.PROVINCE, code="31")
    lms_source_create(
        user=None, name="Moodle Hải Phòng", provider="moodle", area=hai_phong,
        matching=LmsSource.Matching.EMAIL,
    )  # fmt: skip
    _api, token = lms_source_create(
        user=None, name="Open edX Hải Phòng", provider="open_edx", area=hai_phong,
        matching=LmsSource.Matching.CITIZEN_ID,
    )  # fmt: skip
    report = tmp_path / "KNS101_completion.csv"
    report.write_text(MOODLE_REPORT, encoding="utf-8")

    page = desktop_page
    admin_login(page, base, "province_officer", "cdht-demo-province")
    page.goto(f"{base}/admin/imports/?kind=completions")
    page.check("input[name=kind][value=completions]")
    page.set_input_files("#id_file", str(report))
    page.select_option("#id_source", label="Moodle Hải Phòng")
    page.fill("#id_course_title", "Kỹ năng số cơ bản")
    page.fill("#id_course_id", "KNS-101")
    page.locator("form button.button-longrunning").click()
    page.wait_for_url(re.compile(r"/admin/imports/[\w-]+/$"))
    page.screenshot(path=output_dir / "1-preview.png", full_page=True)
    assert not CourseCompletion.objects.exists()  # a preview writes nothing
    page.locator("form[action$='/apply/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=output_dir / "2-applied.png", full_page=True)
    assert CourseCompletion.objects.get().citizen.full_name == "Nguyễn Thị Hoa"

    status, body = push(
        base,
        token,
        {
            "external_id": "edx-cert-42",
            "citizen_id": "031085004521",
            "course_title": "An toàn trên mạng",
            "completed_on": "2026-03-02",
            "hours": 6,
        },
    )
    assert status == 200 and body["created"] == 1, body
    status, body = push(base, token, {"citizen_id": "031085004521", "course_title": "X"})
    assert status == 400 and body["errors"][0]["field"] == "external_id"  # names the field

    page.goto(f"{base}/admin/learning-citizens/course-completions/")
    listing = page.locator("main").inner_text()
    assert "Nguyễn Thị Hoa" in listing and "Nguyễn Văn An" in listing
    assert "Kỹ năng số cơ bản" in listing and "An toàn trên mạng" in listing
    page.screenshot(path=output_dir / "3-admin-completions.png", full_page=True)

    phone = phone_page
    phone.goto(f"{base}/accounts/login/?next=/accounts/courses/")
    phone.fill("#id_username", "031190001234")
    phone.fill("#id_password", "cdht-demo-citizen")
    phone.locator("form button.button--primary").click()
    phone.wait_for_url(f"{base}/accounts/courses/")
    courses = phone.locator("main").inner_text()
    assert "Kỹ năng số cơ bản" in courses and "An toàn trên mạng" not in courses
    phone.screenshot(path=output_dir / "4-citizen-courses.png", full_page=True)
