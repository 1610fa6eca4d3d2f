"""LMS sources in the admin (token shown once, only its hash stored), completions listing,
and the citizen's own courses page."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from learning_units.lms.services import lms_source_create
from learning_units.lms.tokens import token_hash
from learning_units.models import CourseCompletion, LmsSource
from tests.factories import (
    CitizenFactory,
    CommuneFactory,
    OfficerRoleFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.refusals import assert_refused_to_admin_home


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def admin_login(client, user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(user)
    return client


@pytest.fixture
def world(db):
    province = ProvinceFactory(code="01")
    other = ProvinceFactory(code="79")
    commune = CommuneFactory(parent=province)
    hamlet = ResidentialAreaFactory(parent=commune)
    far = ResidentialAreaFactory(parent=CommuneFactory(parent=other))
    return {
        "province": province,
        "other": other,
        "commune": commune,
        "hamlet": hamlet,
        "far": far,
        "province_officer": OfficerRoleFactory(area=province).user,
        "commune_officer": OfficerRoleFactory(area=commune).user,
    }


def shown_token(response):
    match = re.search(r"<output data-lms-token[^>]*>([^<]+)</output>", response.content.decode())
    return match.group(1) if match else None


def test_creating_a_source_shows_the_token_once_and_stores_its_hash(world, client):
    admin_login(client, world["province_officer"])
    response = client.post(
        reverse("learning_units_lms_sources:add"),
        {
            "name": "Moodle Hà Nội",
            "provider": "moodle",
            "area": world["province"].pk,
            "matching": "email",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    token = shown_token(response)
    source = LmsSource.objects.get()
    assert token and source.token_hash == token_hash(token)
    assert token not in str(LmsSource.objects.values().get())
    assert source.created_by == world["province_officer"]
    page = response.content.decode()
    assert "http://testserver/xapi/<" in page and f"<code>{token[:8]}</code>" in page
    edit = client.get(reverse("learning_units_lms_sources:edit", args=[source.pk]))
    assert edit.status_code == 200 and token not in edit.content.decode()


def test_rotating_shows_a_new_token_and_the_old_one_stops(world, client):
    source, old = lms_source_create(
        user=None, name="Moodle", provider="moodle", area=world["province"], matching="email"
    )
    admin_login(client, world["province_officer"])
    url = reverse("learning_units_lms_sources:rotate_token", args=[source.pk])
    assert client.get(url).status_code == 200
    new = shown_token(client.post(url))
    source.refresh_from_db()
    assert new and new != old and source.token_hash == token_hash(new)
    assert source.token_prefix == new[:8]


def test_commune_officers_cannot_manage_sources(world, client):
    admin_login(client, world["commune_officer"])
    assert_refused_to_admin_home(client.get(reverse("learning_units_lms_sources:index")))


def test_sources_of_another_province_are_out_of_reach(world, client):
    source, _token = lms_source_create(
        user=None, name="HCM", provider="moodle", area=world["other"], matching="email"
    )
    admin_login(client, world["province_officer"])
    url = reverse("learning_units_lms_sources:rotate_token", args=[source.pk])
    assert client.post(url).status_code == 404
    listing = client.get(reverse("learning_units_lms_sources:index"))
    assert "HCM" not in listing.content.decode()


def completion(citizen, title, **fields):
    return CourseCompletion.objects.create(
        citizen=citizen,
        course_title=title,
        provider="moodle",
        completed_on=datetime.date(2025, 6, 5),
        source="import",
        **fields,
    )


def test_completions_listing_is_scoped_and_searchable_without_accents(world, client):
    mine = CitizenFactory(full_name="Nguyễn Văn An", gender="male", area=world["hamlet"])
    far = CitizenFactory(full_name="Nguyễn Văn Xa", gender="male", area=world["far"])
    completion(mine, "Kỹ năng số")
    completion(far, "Tiếng Anh")
    admin_login(client, world["commune_officer"])
    url = reverse("learning_units_completions:index")
    content = client.get(url).content.decode()
    assert "Kỹ năng số" in content and "Tiếng Anh" not in content
    found = client.get(url, {"q": "nguyen van an"}).content.decode()
    assert "Kỹ năng số" in found
    assert client.get(url, {"year": 2024}).content.decode().count("Kỹ năng số") == 0


def test_citizens_see_only_their_own_courses(world, client):
    user = UserFactory()
    me = CitizenFactory(area=world["hamlet"], user=user)
    other = CitizenFactory(area=world["hamlet"])
    completion(me, "Kỹ năng số", certificate_url="https://lms.example.vn/cert/1", hours=8)
    completion(other, "Bí mật của người khác")
    url = reverse("learning_units:courses")
    assert client.get(url).status_code == 302  # log in first
    client.force_login(user)
    content = client.get(url).content.decode()
    assert "Kỹ năng số" in content and "https://lms.example.vn/cert/1" in content
    assert "Bí mật" not in content


def test_province_officers_map_lms_usernames_to_their_citizens(world, client):
    from learning_units.models import LearnerMapping

    source, _token = lms_source_create(
        user=None, name="Moodle", provider="moodle", area=world["province"], matching="username"
    )
    mine = CitizenFactory(area=world["hamlet"])
    far = CitizenFactory(area=world["far"])
    admin_login(client, world["province_officer"])
    add = reverse("learning_units_learner_mappings:add")
    refused = client.post(add, {"source": source.pk, "username": "far", "citizen": far.pk})
    assert refused.status_code == 200 and not LearnerMapping.objects.exists()
    client.post(add, {"source": source.pk, "username": "an01", "citizen": mine.pk})
    assert LearnerMapping.objects.get().citizen == mine
    again = client.post(add, {"source": source.pk, "username": "AN01", "citizen": mine.pk})
    assert again.status_code == 200 and LearnerMapping.objects.count() == 1


def test_admin_pages_render_and_course_completions_cannot_be_edited(world, client):
    source, _token = lms_source_create(
        user=None, name="Moodle", provider="moodle", area=world["province"], matching="email"
    )
    citizen = CitizenFactory(area=world["hamlet"])
    done = completion(citizen, "Kỹ năng số")
    admin_login(client, world["province_officer"])
    for url in (
        reverse("learning_units_imports:index"),
        reverse("learning_units_lms_sources:index"),
        reverse("learning_units_lms_sources:add"),
        reverse("learning_units_lms_sources:edit", args=[source.pk]),
        reverse("learning_units_learner_mappings:index"),
        reverse("learning_units_learner_mappings:add"),
        reverse("learning_units_completions:index"),
        reverse("learning_units_completions:inspect", args=[done.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert_refused_to_admin_home(
        client.get(reverse("learning_units_completions:edit", args=[done.pk]))
    )
