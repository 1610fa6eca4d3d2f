"""The LMS completions API: token auth, validation with field names, limits, idempotency."""

import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from learning_units.lms.matching import LearnerIndex, MatchError
from learning_units.lms.services import lms_source_create, lms_source_rotate_token
from learning_units.lms.tokens import token_hash
from learning_units.models import CourseCompletion, LmsSource
from tests.factories import (
    CentralAreaFactory,
    CitizenFactory,
    CommuneFactory,
    OfficerRoleFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
)

URL = "/api/lms/completions/"


@pytest.fixture(autouse=True)
def english_and_fresh_cache():
    cache.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    province = ProvinceFactory(code="01")
    other_province = ProvinceFactory(code="79")
    hamlet = ResidentialAreaFactory(parent=CommuneFactory(parent=province))
    far = ResidentialAreaFactory(parent=CommuneFactory(parent=other_province))
    an = CitizenFactory(area=hamlet, email="an@example.vn")
    stranger = CitizenFactory(area=far, email="far@example.vn")
    source, token = lms_source_create(
        user=None, name="Moodle Hà Nội", provider="moodle", area=province, matching="email"
    )
    return {"an": an, "stranger": stranger, "source": source, "token": token}


def item(**overrides):
    return {
        "external_id": "cc-1",
        "email": "AN@example.vn",
        "course_title": "Kỹ năng số cơ bản",
        "course_id": "KNS-101",
        "completed_on": "2025-06-05",
        "hours": 8,
        "grade": "Đạt",
        "certificate_url": "https://lms.example.vn/cert/1",
        **overrides,
    }


def post(client, payload, token, **extra):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(URL, body, content_type="application/json", **headers, **extra)


def test_url_is_outside_the_language_prefix():
    assert reverse("learning_units_api:lms_completions") == URL


def test_one_item_is_recorded(world, client):
    response = post(client, item(), world["token"])
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 1
    completion = CourseCompletion.objects.get()
    assert completion.citizen == world["an"] and completion.source == "api"
    assert completion.provider == "moodle" and str(completion.hours) == "8.0"
    world["source"].refresh_from_db()
    assert world["source"].last_used_at is not None


def test_a_batch_is_recorded_and_a_replay_changes_nothing(world, client):
    batch = {"completions": [item(), item(external_id="cc-2", course_title="Tin học")]}
    first = post(client, batch, world["token"])
    assert first.json()["created"] == 2
    replay = post(client, batch, world["token"])
    assert replay.status_code == 200
    assert replay.json()["created"] == 0 and replay.json()["unchanged"] == 2
    assert CourseCompletion.objects.count() == 2


def test_a_changed_item_with_the_same_external_id_is_updated(world, client):
    post(client, item(), world["token"])
    response = post(client, item(hours=10), world["token"])
    assert response.json()["updated"] == 1
    assert str(CourseCompletion.objects.get().hours) == "10.0"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong-token", "Basic abc", "Bearer "],
)
def test_missing_or_wrong_token_is_401(world, client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(URL, json.dumps(item()), content_type="application/json", **extra)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "unauthorized"
    assert "Bearer" in response["WWW-Authenticate"]
    assert not CourseCompletion.objects.exists()


def test_inactive_source_is_401(world, client):
    LmsSource.objects.filter(pk=world["source"].pk).update(is_active=False)
    assert post(client, item(), world["token"]).status_code == 401


def test_rotated_token_replaces_the_old_one(world, client):
    new_token = lms_source_rotate_token(source=world["source"])
    assert post(client, item(), world["token"]).status_code == 401
    assert post(client, item(), new_token).status_code == 200
    world["source"].refresh_from_db()
    assert world["source"].token_hash == token_hash(new_token)
    assert new_token not in world["source"].token_hash


def test_invalid_items_name_the_field_and_nothing_is_written(world, client):
    batch = {
        "completions": [
            item(),
            item(external_id="cc-2", completed_on="2999-01-01"),
            item(external_id="cc-3", hours=-2),
            item(external_id="cc-4", email="nobody@example.vn"),
            item(external_id="cc-5", completed_on="05/06/2025", course_title=""),
            item(external_id="cc-6", certificate_url="ftp://x", colour="red"),
            item(external_id="cc-7", email="far@example.vn"),
            "not an object",
            item(),  # the same external ID as item 0
        ]
    }
    response = post(client, batch, world["token"])
    assert response.status_code == 400
    errors = {(e["index"], e["field"], e["code"]) for e in response.json()["errors"]}
    assert errors == {
        (1, "completed_on", "future_date"),
        (2, "hours", "negative_hours"),
        (3, "email", "unknown_learner"),
        (4, "completed_on", "date"),
        (4, "course_title", "required"),
        (5, "certificate_url", "url"),
        (5, "colour", "unknown_field"),
        (6, "email", "unknown_learner"),
        (7, "", "invalid"),
        (8, "external_id", "duplicate_in_batch"),
    }
    assert not CourseCompletion.objects.exists()


def test_missing_fields_are_named(world, client):
    response = post(client, {"external_id": "x"}, world["token"])
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"course_title", "completed_on", "email"} <= fields


@pytest.mark.parametrize(
    "body", [b"{not json", json.dumps([1, 2]), json.dumps({"completions": []})]
)
def test_malformed_payloads_are_400(world, client, body):
    response = post(client, body, world["token"])
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


@override_settings(CDHT_LMS_API_MAX_BODY_BYTES=2000)
def test_oversized_body_is_413(world, client):
    batch = {"completions": [item(external_id=f"cc-{n}") for n in range(50)]}
    response = post(client, batch, world["token"])
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"
    assert not CourseCompletion.objects.exists()


def test_too_many_items_is_413(world, client):
    batch = {"completions": [{"external_id": str(n)} for n in range(1001)]}
    response = post(client, batch, world["token"])
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "completions"


@override_settings(CDHT_LMS_API_REQUESTS_PER_MINUTE=3)
def test_rate_limit_is_per_source_and_429(world, client):
    for _ in range(3):
        assert post(client, item(), world["token"]).status_code == 200
    limited = post(client, item(), world["token"])
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    _other, other_token = lms_source_create(
        user=None, name="Open edX", provider="open_edx", area=world["an"].area, matching="email"
    )
    assert post(client, item(), other_token).status_code == 200


def test_get_is_not_allowed(world, client):
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {world['token']}").status_code == 405


def test_username_matching_uses_the_mappings(world, client):
    from learning_units.models import LearnerMapping

    source, token = lms_source_create(
        user=None, name="Moodle B", provider="moodle", area=world["an"].area, matching="username"
    )
    LearnerMapping.objects.create(source=source, username="an01", citizen=world["an"])
    body = item(username="AN01")
    del body["email"]
    response = post(client, body, token)
    assert response.status_code == 200, response.json()
    assert CourseCompletion.objects.get().citizen == world["an"]


def test_citizen_id_matching_checks_the_number(world, client):
    source, token = lms_source_create(
        user=None, name="Site", provider="other", area=world["an"].area, matching="citizen_id"
    )
    body = item(citizen_id=world["an"].citizen_id)
    del body["email"]
    assert post(client, body, token).status_code == 200
    bad = post(client, {**body, "external_id": "cc-9", "citizen_id": "12345"}, token)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "citizen_id"


@pytest.mark.parametrize("hours", [1e30, "1e308", -1e30])
def test_hours_too_large_to_round_are_refused_as_a_field_error(world, client, hours):
    response = post(client, {"completions": [item(hours=hours)]}, world["token"])
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("hours", "negative_hours" if str(hours).startswith("-") else "hours")
    ]


def test_a_learner_elsewhere_in_the_country_is_answered_like_nobody(world, client):
    """A token holder must not learn whether an e-mail belongs to a citizen of another province."""
    batch = {
        "completions": [
            item(external_id="cc-1", email="nobody@example.vn"),
            item(external_id="cc-2", email="far@example.vn"),
        ]
    }
    errors = post(client, batch, world["token"]).json()["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("unknown_learner", "email")] * 2
    nobody, far = (e["message"] for e in errors)
    assert nobody.replace("nobody@example.vn", "X") == far.replace("far@example.vn", "X")


def test_a_citizen_elsewhere_sharing_an_email_neither_blocks_nor_reveals(world, client):
    CitizenFactory(area=world["stranger"].area, email="an@example.vn")
    response = post(client, item(), world["token"])
    assert response.status_code in (200, 201)
    assert CourseCompletion.objects.get().citizen == world["an"]


def test_only_an_officer_with_national_scope_hears_that_a_learner_lives_elsewhere(world):
    def code_for(officer):
        index = LearnerIndex(
            matching="email", scopes=[[world["source"].area.path]], officer=officer
        )
        index.load(["far@example.vn"])
        with pytest.raises(MatchError) as caught:
            index.find("far@example.vn")
        return caught.value.code

    province_officer = OfficerRoleFactory(area=world["source"].area).user
    national_officer = OfficerRoleFactory(area=CentralAreaFactory()).user
    assert code_for(None) == "unknown_learner"
    assert code_for(province_officer) == "unknown_learner"
    assert code_for(national_officer) == "learner_outside_jurisdiction"
