"""The self-assessment offline (issue #23): the service worker and manifest the site serves, the
pages it may keep and for whom, and the conflict a device meets when it comes back with answers
typed against an older revision."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from assessments.models import IndicatorAnswer
from assessments.services.criteria import criteria_set_load
from assessments.services.self_assessment import (
    assessment_save_answers,
    assessment_start,
    assessment_submit,
)
from assessments.views.offline import OFFLINE_HEADER
from cdht_wagtail.pwa import ICONS, SHELL
from tests.factories import (
    CentralAreaFactory,
    CitizenFactory,
    CommuneFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.test_self_assessment import attach_required, citizen_raw, fill_all, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    commune = CommuneFactory(parent=ProvinceFactory(parent=CentralAreaFactory()))
    return ResidentialAreaFactory(parent=commune)


@pytest.fixture
def assessment(place):
    criteria_set = criteria_set_load(raw=citizen_raw(code="CD-OFF")).criteria_set
    campaign = open_campaign(criteria_set, scope=CentralAreaFactory())
    citizen = CitizenFactory(user=UserFactory(), area=place)
    return assessment_start(citizen=citizen, actor=citizen.user, campaign=campaign)


def worker_config(response):
    match = re.search(r"^const CONFIG = (.*);$", response.content.decode(), re.M)
    return json.loads(match.group(1))


def test_the_service_worker_is_javascript_served_at_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]  # a new version reaches phones at once
    # It runs under the site's policy: scripts (and so workers) from this origin only.
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe" not in policy.split("script-src")[1].split(";")[0]


def test_the_service_worker_keeps_the_shell_and_forgets_pages_at_log_in_and_out(client):
    config = worker_config(client.get("/sw.js"))
    assert config["shell"] == [f"/static/{path}" for path in SHELL]
    assert all(finders.find(path) for path in SHELL)
    assert {
        "/accounts/login/",
        "/accounts/logout/",
        "/en/accounts/logout/",
        "/admin/login/",
        "/admin/logout/",
    } <= set(config["forget"])
    assert config["admin"] == "/admin/"
    assert config["header"] == OFFLINE_HEADER.lower()
    assert "Không có kết nối mạng" in config["offline_page"]


def test_the_service_worker_is_the_same_for_everyone(client, assessment):
    anonymous = client.get("/sw.js").content
    client.force_login(assessment.citizen.user)
    assert client.get("/sw.js").content == anonymous


def test_the_service_worker_refuses_anything_but_get(client):
    assert client.post("/sw.js").status_code == 405
    assert client.post("/manifest.webmanifest").status_code == 405


def test_the_manifest_names_the_app_in_vietnamese_with_real_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Công dân học tập"
    assert data["lang"] == "vi"
    assert data["display"] == "standalone"
    assert data["start_url"] == reverse("assessments:mine")
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in data["icons"])
    for path, sizes, _purpose in ICONS:
        with open(finders.find(path), "rb") as handle:
            png = handle.read()
        assert png.startswith(b"\x89PNG")
        width = int.from_bytes(png[16:20], "big")
        assert f"{width}x{width}" == sizes


def test_every_page_links_the_manifest_and_installs_the_worker(client):
    content = client.get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in content
    assert 'data-worker="/sw.js"' in content


def test_a_step_page_may_be_kept_for_its_user_only(client, assessment):
    url = reverse("assessments:step", args=[assessment.pk, 1])
    client.force_login(assessment.citizen.user)
    mine = client.get(url)[OFFLINE_HEADER]
    assert (
        mine == client.get(reverse("assessments:all_parts", args=[assessment.pk]))[OFFLINE_HEADER]
    )
    assert str(assessment.citizen.user.pk) != mine and assessment.citizen.user.username not in mine
    other = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(other)
    assert client.get(url)[OFFLINE_HEADER] != mine  # another user's pages go in another cache
    # Neither the admin nor the autosave's answers nor a page of errors are ever kept.
    assert OFFLINE_HEADER not in client.get("/admin/")
    assert OFFLINE_HEADER not in client.get(reverse("assessments:mine"))
    client.force_login(assessment.citizen.user)
    autosave = reverse("assessments:autosave", args=[assessment.pk, 1])
    assert OFFLINE_HEADER not in client.post(autosave, {"revision": assessment.revision})
    client.logout()
    assert OFFLINE_HEADER not in client.get(url)  # the log-in redirect


def test_a_sent_assessment_step_is_no_page_to_keep(client, assessment):
    fill_all(assessment)
    attach_required(assessment)
    assessment_submit(assessment=assessment, actor=assessment.citizen.user)
    client.force_login(assessment.citizen.user)
    response = client.get(reverse("assessments:step", args=[assessment.pk, 1]))
    assert response.status_code == 302
    assert OFFLINE_HEADER not in response


def test_answers_sent_back_online_against_an_old_revision_come_back_with_the_saved_values(
    client, assessment
):
    """The phone typed 4 offline on revision 0; meanwhile another device saved 9 with a note.
    The server refuses, writes nothing, and says what it holds, for the page to show both."""
    user = assessment.citizen.user
    first, second = (assessment.answers.get(indicator__code=code) for code in ("1.1", "1.2"))
    assessment_save_answers(
        assessment=assessment, actor=user, answers={first.indicator_id: ("9", "ở nhà văn hoá")}
    )
    client.force_login(user)
    response = client.post(
        reverse("assessments:autosave", args=[assessment.pk, 1]),
        {
            "revision": "0",
            f"points_{first.indicator_id}": "4",
            f"note_{first.indicator_id}": "trên điện thoại",
            f"points_{second.indicator_id}": "",
        },
    )
    assert response.status_code == 409
    data = response.json()
    assert data["revision"] == 1
    assert data["server"][f"points_{first.indicator_id}"] == "9"
    assert data["server"][f"note_{first.indicator_id}"] == "ở nhà văn hoá"
    assert data["server"][f"points_{second.indicator_id}"] == ""
    kept = IndicatorAnswer.objects.get(pk=first.pk)
    assert (kept.self_points, kept.note) == (9, "ở nhà văn hoá")
    # Sent again with the revision it was given (the citizen kept their value): saved.
    again = client.post(
        reverse("assessments:autosave", args=[assessment.pk, 1]),
        {"revision": data["revision"], f"points_{first.indicator_id}": "4"},
    )
    assert again.status_code == 200
    assert IndicatorAnswer.objects.get(pk=first.pk).self_points == 4


def test_the_saved_values_are_only_the_steps_own(client, assessment):
    user = assessment.citizen.user
    fill_all(assessment, points=5)
    client.force_login(user)
    response = client.post(
        reverse("assessments:autosave", args=[assessment.pk, 2]), {"revision": 0}
    )
    server = response.json()["server"]
    step_two = set(
        assessment.answers.filter(indicator__criterion__code="2").values_list(
            "indicator_id", flat=True
        )
    )
    assert {int(name.split("_")[1]) for name in server} == step_two
    assert set(server.values()) == {"5", ""}


def test_a_sent_assessment_refuses_a_late_device_without_values(client, assessment):
    fill_all(assessment)
    attach_required(assessment)
    assessment_submit(assessment=assessment, actor=assessment.citizen.user)
    client.force_login(assessment.citizen.user)
    response = client.post(
        reverse("assessments:autosave", args=[assessment.pk, 1]), {"revision": 0}
    )
    assert response.status_code == 409
    assert response.json()["revision"] is None
    assert response.json()["server"] == {}


@pytest.mark.parametrize("revision", ["abc", "1e309", "-1", "9" * 40, "٣"])
def test_a_garbled_revision_from_a_device_is_a_conflict_not_an_error(client, assessment, revision):
    client.force_login(assessment.citizen.user)
    answer = assessment.answers.get(indicator__code="1.1")
    response = client.post(
        reverse("assessments:autosave", args=[assessment.pk, 1]),
        {"revision": revision, f"points_{answer.indicator_id}": "3"},
    )
    assert response.status_code == 409
    assert IndicatorAnswer.objects.get(pk=answer.pk).self_points is None


def test_someone_else_gets_no_saved_values(client, assessment, place):
    stranger = CitizenFactory(user=UserFactory(), area=place)
    client.force_login(stranger.user)
    response = client.post(
        reverse("assessments:autosave", args=[assessment.pk, 1]), {"revision": 0}
    )
    assert response.status_code == 404


def test_without_javascript_the_step_is_a_plain_form_and_the_banner_stays_hidden(
    client, assessment
):
    client.force_login(assessment.citizen.user)
    content = client.get(reverse("assessments:step", args=[assessment.pk, 1])).content.decode()
    assert '<form id="step-form" method="post"' in content
    banner = re.search(r"<div class=\"sa-offline\"[^>]*>", content).group(0)
    assert " hidden" in banner
    assert "Đang ngoại tuyến — câu trả lời được lưu trên máy, sẽ gửi khi có mạng." in banner
