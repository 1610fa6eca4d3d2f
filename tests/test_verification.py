"""Public verification by code: valid, revoked, unknown, malformed; nothing personal; limited."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentStatus, Recognition
from tests.factories.review import make_assessment, review_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def recognition(db):
    world = review_world()
    assessment = make_assessment(
        world, status=AssessmentStatus.RECOGNISED, full_name="Nguyễn Thị Ngọc Ánh"
    )
    return Recognition.objects.select_related("assessment__citizen").get(assessment=assessment)


def verify(client, code):
    return client.get(reverse("assessments:verify", args=[code]))


def test_a_valid_code_shows_name_title_year_and_issuer_only(client, recognition):
    response = verify(client, recognition.verification_code)

    assert response.status_code == 200
    facts = response.context["facts"]
    assert facts["name"] == "Nguyễn Thị Ngọc Ánh"
    assert facts["title"] == "Công dân học tập"
    assert facts["year"] == recognition.year
    assert facts["issuing_area"] == recognition.issuing_area.name
    assert facts["revoked"] is False
    html = response.content.decode()
    citizen = recognition.assessment.citizen
    assert "Nguyễn Thị Ngọc Ánh" in html
    assert citizen.citizen_id not in html
    assert str(citizen.birth_year) not in html
    assert citizen.area.name not in html  # the residence is not shown


def test_a_revoked_certificate_says_so_with_its_date(client, recognition):
    revoked_at = timezone.now()
    Recognition.objects.filter(pk=recognition.pk).update(
        revoked=True, revoked_reason="Hồ sơ không trung thực", revoked_at=revoked_at
    )

    response = verify(client, recognition.verification_code)

    assert response.status_code == 200
    assert response.context["facts"]["revoked"] is True
    assert response.context["facts"]["revoked_on"] == revoked_at
    assert "verify-card--revoked" in response.content.decode()
    assert "Hồ sơ không trung thực" not in response.content.decode()


def test_an_unknown_code_is_a_404_with_an_explanation(client, recognition):
    response = verify(client, "A" * 16)

    assert response.status_code == 404
    assert response.context["facts"] is None
    assert "verify-card--unknown" in response.content.decode()


@pytest.mark.parametrize("code", ["abc", "x" * 40, "ÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁÁ", "AAAAAAAAAAAAAAA!"])
def test_a_malformed_code_gets_a_friendly_404(client, db, code):
    response = verify(client, code)

    assert response.status_code == 404
    assert "assessments/certificates/verify_malformed.html" in [
        template.name for template in response.templates
    ]


def test_codes_are_long_and_random(recognition):
    from assessments.certificates.codes import new_verification_code

    codes = {new_verification_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(code) == 16 for code in codes)


@override_settings(CDHT_VERIFY_RATE=(3, 60))
def test_verification_is_rate_limited_per_address(client, recognition):
    for _ in range(3):
        assert verify(client, recognition.verification_code).status_code == 200

    response = verify(client, recognition.verification_code)

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Nguyễn Thị Ngọc Ánh" not in response.content.decode()
    other = client.get(
        reverse("assessments:verify", args=[recognition.verification_code]),
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 200


def test_the_429_page_explains_when_to_retry(client, recognition):
    with override_settings(CDHT_VERIFY_RATE=(0, 45)):
        response = verify(client, recognition.verification_code)

    assert response.status_code == 429
    assert "assessments/certificates/verify_limited.html" in [t.name for t in response.templates]
    assert response.context["window"] == 45
