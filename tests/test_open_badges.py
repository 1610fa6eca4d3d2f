"""Open Badges 2.0 documents: hosted Assertion, BadgeClass and Issuer with the required fields."""

import hashlib
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import Page, Site

from assessments.certificates import badges
from assessments.models import AssessmentStatus, Recognition, RecognitionListingPage
from learning_units.models import Area, Citizen
from tests.factories import CommuneFactory
from tests.factories.review import make_assessment, make_unit_assessment, review_world

pytestmark = pytest.mark.django_db
CONTEXT = "https://w3id.org/openbadges/v2"
BASE = "https://hoikhuyenhoc.example.vn"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def world(db, public_site):
    return review_world()


def recognised(world, **values):
    assessment = make_assessment(world, status=AssessmentStatus.RECOGNISED, **values)
    return Recognition.objects.get(assessment=assessment)


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


def absolute(url):
    """On the issuing site (the Wagtail Site), never the admin's address."""
    return url.startswith(BASE + "/")


def local(url):
    return url.removeprefix(BASE)


def test_the_assertion_has_the_required_fields_and_a_hashed_email(client, world):
    recognition = recognised(world)
    Citizen.objects.filter(pk=recognition.assessment.citizen_id).update(email="Anh@Example.com")
    url = reverse("assessments:badge_assertion", args=[recognition.verification_code])

    document = get_json(client, url)

    assert document["@context"] == CONTEXT
    assert document["type"] == "Assertion"
    assert document["id"] == BASE + url
    assert document["verification"] == {"type": "HostedBadge"}
    assert document["issuedOn"].startswith(f"{recognition.decision.decided_on.isoformat()}T")
    recipient = document["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    expected = hashlib.sha256(("anh@example.com" + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == "sha256$" + expected
    assert "anh@example.com" not in json.dumps(document).lower()
    assert absolute(document["badge"])


def test_without_an_email_the_recipient_is_the_hashed_verification_url(client, world):
    recognition = recognised(world)
    Citizen.objects.filter(pk=recognition.assessment.citizen_id).update(email="")

    document = get_json(
        client, reverse("assessments:badge_assertion", args=[recognition.verification_code])
    )

    assert document["recipient"]["type"] == "url"
    assert document["recipient"]["identity"].startswith("sha256$")


def test_the_badge_class_and_issuer_it_references_resolve(client, world):
    recognition = recognised(world)
    assertion = badges.assertion(recognition)

    badge = get_json(client, local(assertion["badge"]))

    assert badge["@context"] == CONTEXT and badge["type"] == "BadgeClass"
    assert badge["id"] == assertion["badge"]
    for key in ("name", "description", "image", "criteria", "issuer"):
        assert badge[key], key
    assert "Công dân học tập" in badge["name"]
    assert absolute(badge["image"]) and absolute(badge["issuer"])
    issuer = get_json(client, local(badge["issuer"]))
    assert issuer["@context"] == CONTEXT and issuer["type"] == "Issuer"
    assert issuer["id"] == badge["issuer"]
    assert issuer["name"] and absolute(issuer["url"])


def test_a_collective_title_has_its_own_badge_class(client, world):
    assessment = make_unit_assessment(world, status=AssessmentStatus.RECOGNISED, kind="clan")
    recognition = Recognition.objects.get(assessment=assessment)

    assertion = badges.assertion(recognition)

    assert assertion["badge"].endswith("/clan.json")
    assert assertion["recipient"]["type"] == "url"


def test_a_revoked_assertion_answers_gone_with_the_reason(client, world):
    recognition = recognised(world)
    Recognition.objects.filter(pk=recognition.pk).update(
        revoked=True, revoked_reason="Sai thông tin"
    )

    document = get_json(
        client,
        reverse("assessments:badge_assertion", args=[recognition.verification_code]),
        status=410,
    )

    assert document["revoked"] is True
    assert document["revocationReason"] == "Sai thông tin"
    assert "recipient" not in document


def test_unknown_assertions_and_kinds_are_404(client, world):
    assert client.get(reverse("assessments:badge_assertion", args=["B" * 16])).status_code == 404
    url = reverse("assessments:badge_class", args=[world.commune.pk, "nonsense"])
    assert client.get(url).status_code == 404


def test_the_issuer_names_the_associations_email_else_the_configured_one(client, world, settings):
    url = reverse("assessments:badge_issuer", args=[world.commune.pk])
    settings.CDHT_ISSUER_EMAIL = None
    settings.DEFAULT_FROM_EMAIL = "lienhe@hoikhuyenhoc.example.vn"
    assert get_json(client, url)["email"] == "lienhe@hoikhuyenhoc.example.vn"

    settings.CDHT_ISSUER_EMAIL = "vanphong@hoikhuyenhoc.example.vn"
    assert get_json(client, url)["email"] == "vanphong@hoikhuyenhoc.example.vn"

    Area.objects.filter(pk=world.commune.pk).update(contact_email="gialoc@hoikhuyenhoc.example.vn")
    assert get_json(client, url)["email"] == "gialoc@hoikhuyenhoc.example.vn"


def test_with_several_sites_the_ids_are_on_the_site_holding_the_associations_pages(world):
    root = Page.get_first_root_node()
    home = root.add_child(instance=Page(title="Hội Khuyến học Gia Lộc", slug="gia-loc-site"))
    home.add_child(
        instance=RecognitionListingPage(title="Vinh danh", slug="vinh-danh", area=world.commune)
    )
    Site.objects.create(hostname="gialoc.example.vn", port=443, root_page=home)
    recognition = recognised(world)
    assert recognition.issuing_area_id == world.commune.pk

    assertion = badges.assertion(recognition)

    assert assertion["id"].startswith("https://gialoc.example.vn/badges/assertions/")
    assert assertion["badge"].startswith("https://gialoc.example.vn/badges/issuers/")
    assert assertion["evidence"] == (
        f"https://gialoc.example.vn/verify/{recognition.verification_code}/"
    )
    elsewhere = CommuneFactory(parent=world.commune.parent)  # no pages: the default Site
    assert badges.issuer(elsewhere)["id"].startswith(BASE + "/badges/issuers/")


def test_the_admin_address_is_never_used(world, settings):
    settings.WAGTAILADMIN_BASE_URL = "http://admin.internal:8000"

    assertion = badges.assertion(recognised(world))

    assert absolute(assertion["id"]) and absolute(assertion["badge"])


def test_the_public_base_url_setting_wins_over_the_sites(world, settings):
    settings.CDHT_PUBLIC_BASE_URL = "https://congdanhoctap.example.vn/"

    assertion = badges.assertion(recognised(world))

    assert assertion["id"].startswith("https://congdanhoctap.example.vn/badges/assertions/")
