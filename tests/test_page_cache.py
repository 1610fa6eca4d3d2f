"""The public page cache (learning_units/page_cache.py): anonymous visitors share stored pages,
purged exactly when what they show changes; logged-in visitors, forms and messages never share."""

import gzip

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from assessments.models import AssessmentStatus, RecognitionListingPage
from assessments.services.recognition import recognition_issue, recognition_revoke
from home.models import (
    CommunePage,
    GuidancePage,
    ProvincePage,
    TrainingIndexPage,
    TrainingMaterialPage,
)
from learning_units.page_cache import PublicPageCacheMiddleware, declare
from tests.factories import CommuneFactory
from tests.factories.review import YEAR, make_assessment, make_unit_assessment, review_world

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.CDHT_PAGE_CACHE = True


def add_page(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def site(db):
    """A province page with two communes' pages, each commune with its recognition listing."""
    world = review_world()
    root = Site.objects.get(is_default_site=True).root_page
    province = add_page(root, ProvincePage(title="Tỉnh", slug="tinh", area=world.commune.parent))
    commune = add_page(province, CommunePage(title="Xã A", slug="xa-a", area=world.commune))
    listing = add_page(
        commune, RecognitionListingPage(title="Công nhận", slug="cong-nhan", area=world.commune)
    )
    other_area = CommuneFactory(parent=world.commune.parent)
    other = add_page(province, CommunePage(title="Xã B", slug="xa-b", area=other_area))
    other_listing = add_page(
        other, RecognitionListingPage(title="Công nhận B", slug="cong-nhan", area=other_area)
    )
    world.pages = {
        "province": province,
        "commune": commune,
        "listing": listing,
        "other": other,
        "other_listing": other_listing,
    }
    return world


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response


def cached(client, url):
    """Fetch twice; the second answer must come from the cache."""
    fetch(client, url)
    response = fetch(client, url)
    assert response["X-Page-Cache"] == "hit"
    return response


def recognise(world, assessments):
    return recognition_issue(
        assessments=assessments,
        officer=world.officers["commune"],
        number="7/QĐ-KH",
        decided_on=timezone.localdate(),
        signer="Nguyễn Văn Chủ Tịch",
        issuing_area=world.commune,
    )


def test_a_cached_anonymous_page_costs_no_query(client, site, django_assert_num_queries):
    url = site.pages["commune"].url
    first = fetch(client, url)
    assert first["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = fetch(client, url)

    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_shared_pages_carry_validators_public_cache_control_and_gzip(client, site):
    url = site.pages["listing"].url
    plain = fetch(client, url)
    response = fetch(client, url, accept_encoding="gzip, deflate")

    assert response["X-Page-Cache"] == "hit" and response["Content-Encoding"] == "gzip"
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
    assert gzip.decompress(response.content) == plain.content
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=30"} <= cache_control
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"cookie", "accept-encoding"} <= vary
    assert response["Last-Modified"]
    assert "csrfmiddlewaretoken" not in plain.content.decode()
    assert not response.cookies

    not_modified = client.get(url, headers={"if-none-match": response["ETag"]})
    assert not_modified.status_code == 304


def test_a_logged_in_visitor_is_never_served_nor_stores_a_shared_copy(client, site):
    url = site.pages["commune"].url
    anonymous = cached(client, url).content

    client.force_login(site.officers["citizen"])
    personal = fetch(client, url)
    assert "X-Page-Cache" not in personal
    assert "no-store" in personal["Cache-Control"] and "private" in personal["Cache-Control"]
    assert personal.content != anonymous

    client.logout()
    again = fetch(client, url)
    assert again["X-Page-Cache"] == "hit" and again.content == anonymous


def test_a_training_material_is_shared_with_anonymous_visitors_only(client, site):
    index = add_page(site.pages["commune"], TrainingIndexPage(title="Tài liệu", slug="tai-lieu"))
    material = add_page(
        index,
        TrainingMaterialPage(
            title="Học suốt đời",
            summary="Tóm tắt",
            estimated_hours=1,
            body=[{"type": "text", "value": "<p>Học suốt đời</p>"}],
        ),
    )
    cached(client, material.url)
    cached(client, index.url)

    client.force_login(site.officers["citizen"])
    personal = fetch(client, material.url)
    assert "X-Page-Cache" not in personal and "no-store" in personal["Cache-Control"]


def test_a_visitor_with_a_pending_message_is_not_served_a_shared_copy(client, site):
    url = site.pages["commune"].url
    cached(client, url)
    client.cookies["messages"] = "pending"

    assert "X-Page-Cache" not in fetch(client, url)


def respond_through_cache(request, *, render):
    return PublicPageCacheMiddleware(render)(request)


def test_a_page_that_rendered_a_csrf_token_or_set_a_cookie_is_never_stored(rf):
    def with_token(request):
        declare(request, ["test:form"])
        return HttpResponse(f"<form>{get_token(request)}</form>", content_type="text/html")

    def with_cookie(request):
        declare(request, ["test:cookie"])
        response = HttpResponse("<p>hello</p>", content_type="text/html")
        response.set_cookie("greeting", "hello")
        return response

    for render, path in ((with_token, "/form/"), (with_cookie, "/cookie/")):
        first = respond_through_cache(rf.get(path), render=render)
        second = respond_through_cache(rf.get(path), render=render)
        assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
        assert "private" in first["Cache-Control"] and "no-store" in first["Cache-Control"]


def test_vietnamese_and_english_copies_never_mix(client, site):
    assessment = make_assessment(site, status=S.RECOGNISED, full_name="Nguyễn Thị Hoa")
    code = assessment.recognition.verification_code
    vietnamese = cached(client, f"/verify/{code}/")
    english = fetch(client, f"/en/verify/{code}/")

    assert english["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="vi">' in vietnamese.content.decode()
    assert fetch(client, f"/en/verify/{code}/")["Content-Language"] == "en"


def test_publishing_a_page_purges_it_and_the_province_listing_it_not_its_sibling(
    client, site, django_capture_on_commit_callbacks
):
    commune, other, province = (site.pages[name] for name in ("commune", "other", "province"))
    for page in (commune, other, province):
        cached(client, page.url)

    commune.title = "Xã A mới"
    commune.intro = "Lời giới thiệu mới"
    with django_capture_on_commit_callbacks(execute=True):
        commune.save_revision().publish()

    fresh = fetch(client, commune.url)
    assert fresh["X-Page-Cache"] == "miss" and "Lời giới thiệu mới" in fresh.content.decode()
    assert "Xã A mới" in fetch(client, province.url).content.decode()
    assert fetch(client, other.url)["X-Page-Cache"] == "hit"


def test_guidance_published_by_the_province_purges_its_commune_pages(
    client, site, django_capture_on_commit_callbacks
):
    commune = site.pages["commune"]
    cached(client, commune.url)

    with django_capture_on_commit_callbacks(execute=True):
        add_page(
            site.pages["province"],
            GuidancePage(title="Hướng dẫn của tỉnh", slug="huong-dan", intro="Tóm tắt", body=[]),
        )

    assert "Hướng dẫn của tỉnh" in fetch(client, commune.url).content.decode()


def test_unpublishing_a_page_takes_it_off_at_once(client, site, django_capture_on_commit_callbacks):
    commune = site.pages["commune"]
    cached(client, commune.url)

    with django_capture_on_commit_callbacks(execute=True):
        commune.unpublish()

    assert client.get(commune.url).status_code == 404


def test_a_page_made_private_is_no_longer_served_from_the_cache(
    client, site, django_capture_on_commit_callbacks
):
    commune = site.pages["commune"]
    cached(client, commune.url)

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=site.pages["province"], restriction_type=PageViewRestriction.LOGIN
        )

    response = client.get(commune.url)
    assert response.status_code == 302 and "X-Page-Cache" not in response


def test_moving_a_page_purges_its_old_and_new_places(
    client, site, django_capture_on_commit_callbacks
):
    province, listing = site.pages["province"], site.pages["listing"]
    old_url = listing.url
    cached(client, old_url)

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=listing.pk).move(province, pos="last-child")

    moved_away = client.get(old_url)  # Wagtail's redirects app sends visitors on
    assert moved_away.status_code == 301 and "X-Page-Cache" not in moved_away
    assert fetch(client, Page.objects.get(pk=listing.pk).url)["X-Page-Cache"] == "miss"


def test_deleting_a_page_takes_it_off_and_purges_the_province_listing_it(
    client, site, django_capture_on_commit_callbacks
):
    commune, province = site.pages["commune"], site.pages["province"]
    cached(client, commune.url)
    cached(client, province.url)

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=commune.pk).delete()

    assert client.get(commune.url).status_code == 404
    assert "Xã A" not in fetch(client, province.url).content.decode()


def test_a_recognition_shows_on_the_next_request_and_leaves_other_communes_cached(
    client, site, django_capture_on_commit_callbacks
):
    listing, other_listing = site.pages["listing"], site.pages["other_listing"]
    verified = make_assessment(site, status=S.VERIFIED, full_name="Trần Văn Bình")
    for page in (listing, other_listing, site.pages["commune"]):
        cached(client, page.url)

    with django_capture_on_commit_callbacks(execute=True):
        recognise(site, [verified])

    assert "Trần Văn Bình" in fetch(client, listing.url).content.decode()
    assert fetch(client, site.pages["commune"].url)["X-Page-Cache"] == "miss"
    assert fetch(client, other_listing.url)["X-Page-Cache"] == "hit"


def test_a_revocation_leaves_the_listing_and_marks_the_verification_page(
    client, site, django_capture_on_commit_callbacks
):
    assessment = make_assessment(site, status=S.RECOGNISED, full_name="Lê Thị Hoa")
    listing_url = site.pages["listing"].url + f"{YEAR}/"
    verify_url = f"/verify/{assessment.recognition.verification_code}/"
    assert "Lê Thị Hoa" in cached(client, listing_url).content.decode()
    cached(client, verify_url)

    with django_capture_on_commit_callbacks(execute=True):
        recognition_revoke(
            recognition=assessment.recognition, officer=site.officers["commune"], reason="Khai man"
        )

    assert "Lê Thị Hoa" not in fetch(client, listing_url).content.decode()
    assert fetch(client, verify_url)["X-Page-Cache"] == "miss"


def test_a_listing_opt_out_leaves_the_listing_on_the_next_request(
    client, site, django_capture_on_commit_callbacks
):
    assessment = make_assessment(site, status=S.RECOGNISED, full_name="Phạm Văn Ẩn")
    url = site.pages["listing"].url + f"{YEAR}/"
    assert "Phạm Văn Ẩn" in cached(client, url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assessment.citizen.listing_opt_out = True
        assessment.citizen.save()

    assert "Phạm Văn Ẩn" not in fetch(client, url).content.decode()


def test_a_renamed_unit_is_shown_under_its_new_name_on_the_next_request(
    client, site, django_capture_on_commit_callbacks
):
    unit = make_unit_assessment(site, status=S.RECOGNISED, name="Gia đình ông Cũ").learning_unit
    url = site.pages["listing"].url + f"{YEAR}/"
    assert "Gia đình ông Cũ" in cached(client, url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        unit.name = "Gia đình ông Mới"
        unit.save()

    html = fetch(client, url).content.decode()
    assert "Gia đình ông Mới" in html and "Gia đình ông Cũ" not in html


def test_a_name_search_on_the_listing_is_not_stored(client, site):
    url = site.pages["listing"].url
    fetch(client, url + "?q=hoa")

    assert "X-Page-Cache" not in fetch(client, url + "?q=hoa")


def test_hostile_query_strings_answer_without_a_server_error(client, site):
    for query in ("?page=abc", "?page=-1&area=x", "?area=%00", "?page_tt=9" * 50):
        assert client.get(site.pages["listing"].url + query).status_code == 200
