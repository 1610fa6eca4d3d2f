"""Private files: served only through permission-checked views; X-Accel-Redirect when a web
server is in front (CDHT_PRIVATE_MEDIA_ACCEL_PREFIX), streamed by Django otherwise; never under
a public media URL."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from assessments import conf as assessments_conf
from assessments.models import AssessmentStatus
from assessments.services.evidence import evidence_add_file
from tests.factories import UserFactory
from tests.factories.review import make_assessment, review_world

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def evidence(db):
    world = review_world()
    assessment = make_assessment(world, status=AssessmentStatus.DRAFT)
    item = evidence_add_file(
        answer=assessment.answers.first(),
        actor=world.officers["branch"],
        uploaded_file=SimpleUploadedFile("bằng khen.pdf", PDF),
    )
    return world, item


def test_without_a_prefix_django_streams_the_file(client, evidence):
    world, item = evidence
    client.force_login(world.officers["branch"])
    response = client.get(reverse("assessments:evidence", args=[item.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert "X-Accel-Redirect" not in response
    assert response["Cache-Control"] == "private, no-store"


def test_with_a_prefix_nginx_sends_the_file_after_the_check(client, evidence, settings):
    settings.CDHT_PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    world, item = evidence
    client.force_login(world.officers["branch"])
    response = client.get(reverse("assessments:evidence", args=[item.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{quote(item.file.name)}"
    assert response.content == b""
    assert "attachment" in response["Content-Disposition"]
    assert "b%E1%BA%B1ng" in response["Content-Disposition"]  # RFC 5987 for the Vietnamese name


@override_settings(CDHT_PRIVATE_MEDIA_ACCEL_PREFIX="/_nginx/")
def test_the_prefix_setting_is_honoured(client, evidence):
    world, item = evidence
    client.force_login(world.officers["branch"])
    response = client.get(reverse("assessments:evidence", args=[item.pk]))
    assert response["X-Accel-Redirect"] == f"/_nginx/{quote(item.file.name)}"


def test_without_the_setting_the_default_of_assessments_conf_applies(
    client, evidence, settings, monkeypatch
):
    del settings.CDHT_PRIVATE_MEDIA_ACCEL_PREFIX
    monkeypatch.setitem(assessments_conf.DEFAULTS, "PRIVATE_MEDIA_ACCEL_PREFIX", "/_default")
    world, item = evidence
    client.force_login(world.officers["branch"])
    response = client.get(reverse("assessments:evidence", args=[item.pk]))
    assert response["X-Accel-Redirect"] == f"/_default/{quote(item.file.name)}"


def test_the_review_view_uses_the_same_path(client, evidence, settings):
    settings.CDHT_PRIVATE_MEDIA_ACCEL_PREFIX = "/_private"
    world, item = evidence
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("assessment_review:evidence", args=[item.pk]))
    assert response["X-Accel-Redirect"] == f"/_private/{quote(item.file.name)}"


def test_no_header_leaks_to_someone_without_permission(client, evidence, settings):
    settings.CDHT_PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    world, item = evidence
    client.force_login(world.officers["other_branch"])
    response = client.get(reverse("assessments:evidence", args=[item.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
    client.force_login(UserFactory())
    assert client.get(reverse("assessments:evidence", args=[item.pk])).status_code == 404


def test_private_files_have_no_public_media_url(client, evidence):
    _world, item = evidence
    assert client.get(f"/media/private/{item.file.name}").status_code == 404
    assert client.get(f"/media/{item.file.name}").status_code == 404
