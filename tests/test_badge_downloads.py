"""Downloads of a recognition's credentials (issue #21): the badge picture with its Open Badges
2.0 Assertion baked in, on the public verification page (by code) and on the citizen's own
page (their own only), the Assertion linked from the verification page; hostile codes and ids
are 4xx, a revoked recognition never hands out a badge."""

import io
import json

import pytest
from django.urls import reverse
from openbadges_bakery import unbake
from PIL import Image

from assessments.certificates import badges, baking
from assessments.models import AssessmentStatus, Recognition
from assessments.services.recognition import recognition_revoke
from learning_units.models import Citizen
from tests.factories import UserFactory
from tests.factories.review import make_assessment, review_world

pytestmark = pytest.mark.django_db
BASE = "https://hoikhuyenhoc.example.vn"


@pytest.fixture
def world(db, public_site):
    return review_world()


@pytest.fixture
def recognition(world):
    assessment = make_assessment(
        world, status=AssessmentStatus.RECOGNISED, full_name="Nguyễn Thị Ngọc Ánh"
    )
    return Recognition.objects.get(assessment=assessment)


def owned_by(recognition, user):
    Citizen.objects.filter(pk=recognition.assessment.citizen_id).update(user=user)
    return user


def public_badge_url(recognition):
    return reverse("assessments:badge_image", args=[recognition.verification_code])


def unbaked(content):
    return json.loads(unbake(io.BytesIO(content)))


def test_the_baked_badge_is_the_badge_image_carrying_its_assertion(client, recognition):
    response = client.get(public_badge_url(recognition))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith('attachment; filename="huy-hieu-')
    assertion = unbaked(response.content)
    assert assertion["id"] == f"{BASE}/badges/assertions/{recognition.verification_code}.json"
    assert assertion["id"] == badges.assertion(recognition)["id"]
    assert assertion["verification"] == {"type": "HostedBadge"}
    baked = Image.open(io.BytesIO(response.content))
    original = Image.open(io.BytesIO(baking.badge_image()))
    assert baked.size == original.size and baked.tobytes() == original.tobytes()
    badge_class = client.get(assertion["badge"].removeprefix(BASE)).json()
    assert badge_class["image"].startswith(BASE + "/static/")
    assert badge_class["image"].endswith(".png")


def test_the_verification_page_links_the_assertion_and_offers_the_downloads(client, recognition):
    html = client.get(reverse("assessments:verify", args=[recognition.verification_code]))
    html = html.content.decode()

    assertion_url = f"{BASE}/badges/assertions/{recognition.verification_code}.json"
    assert f'<link rel="alternate" type="application/ld+json" href="{assertion_url}"' in html
    assert f'href="{assertion_url}"' in html.split("</head>", 1)[1]  # a visible link too
    assert "Tải về" in html
    assert public_badge_url(recognition) in html
    assert reverse("assessments:badge_assertion", args=[recognition.verification_code]) in html


def test_the_english_verification_page_says_downloads(client, recognition):
    response = client.get(f"/en/verify/{recognition.verification_code}/")

    assert "Downloads" in response.content.decode()


def test_anonymous_badge_downloads_are_shared_briefly_and_revalidated(client, recognition):
    url = public_badge_url(recognition)
    response = client.get(url)

    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=" in cache_control
    assert "max-age=0" in cache_control
    again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_a_revoked_recognition_serves_no_badge_and_no_downloads(
    client, world, recognition, settings, django_capture_on_commit_callbacks
):
    settings.CDHT_PAGE_CACHE = True
    verify_url = reverse("assessments:verify", args=[recognition.verification_code])
    assert client.get(public_badge_url(recognition)).status_code == 200
    client.get(verify_url)
    assert client.get(verify_url)["X-Page-Cache"] == "hit"
    owner = owned_by(recognition, UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        recognition_revoke(
            recognition=recognition, officer=world.officers["commune"], reason="Khai man"
        )

    gone = client.get(public_badge_url(recognition))
    assert gone.status_code == 410
    assert gone["Content-Type"].startswith("text/plain")
    assert "no-store" in gone["Cache-Control"]
    page = client.get(verify_url)
    assert page["X-Page-Cache"] == "miss"
    assert public_badge_url(recognition) not in page.content.decode()
    client.force_login(owner)
    assert client.get(reverse("assessments:my_badge", args=[recognition.pk])).status_code == 404
    with pytest.raises(ValueError):
        baking.baked_badge(Recognition.objects.get(pk=recognition.pk))


def test_a_citizen_downloads_their_own_badge_and_not_anyone_elses(client, world, recognition):
    owner = owned_by(recognition, UserFactory())
    other = make_assessment(world, status=AssessmentStatus.RECOGNISED, full_name="Trần Văn Khác")
    someone_else = owned_by(Recognition.objects.get(assessment=other), UserFactory())
    url = reverse("assessments:my_badge", args=[recognition.pk])

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert unbaked(response.content)["id"].endswith(f"/{recognition.verification_code}.json")

    client.force_login(someone_else)
    assert client.get(url).status_code == 404
    client.force_login(world.officers["commune"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to log in


def test_the_citizens_own_page_offers_the_downloads(client, recognition):
    client.force_login(owned_by(recognition, UserFactory()))

    page = client.get(reverse("assessments:overview", args=[recognition.assessment_id]))

    html = page.content.decode()
    assert "Tải về" in html
    assert reverse("assessments:my_badge", args=[recognition.pk]) in html
    assert reverse("assessments:badge_assertion", args=[recognition.verification_code]) in html


@pytest.mark.parametrize(
    "code", ["\x00", "AAAAAAAAAAAAAAA\x00", "A" * 16, "x" * 10_000, "%", "‮evil", "' OR 1=1 --"]
)
def test_hostile_codes_are_a_404(client, recognition, code):
    response = client.get(reverse("assessments:badge_image", args=[code]))

    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("pk", [0, 2**63, 10**40])
def test_hostile_ids_of_the_citizens_badge_are_a_404(client, recognition, pk):
    client.force_login(owned_by(recognition, UserFactory()))

    assert client.get(f"/assessments/certificate/{pk}/badge.png").status_code == 404


def test_badge_downloads_count_against_the_verification_limit(client, recognition, settings):
    settings.CDHT_VERIFY_RATE = (2, 60)
    url = public_badge_url(recognition)

    statuses = [client.get(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
