"""The language switch is never a dead end (issue #19): a page links its live translation, or
itself with a notice in the requested language; editors copy a page for translation in the admin;
the page cache keeps the notice for those who asked and follows translations being published."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Locale

from home.models import CommunePage, GuidancePage

GIA_LOC = "/hai-phong/gia-loc/"
NOTICE_EN = "This page has no English version yet: it is shown in Vietnamese."
NOTICE_VI = "Trang này chưa có bản tiếng Việt: trang đang được hiển thị bằng tiếng Anh."


@pytest.fixture
def gia_loc(demo_site):
    return CommunePage.objects.get(area__code="10999", locale__language_code="vi")


@pytest.fixture
def vietnamese_only(gia_loc):
    """Guidance an editor published in Vietnamese only."""
    page = GuidancePage(title="Lịch học tháng sau", slug="lich-hoc", intro="Tóm tắt", body=[])
    gia_loc.add_child(instance=page)
    page.save_revision().publish()
    return page


def switch_link(html, code):
    nav = html.split('<nav class="language-switch"', 1)[1].split("</nav>", 1)[0]
    return re.search(rf'<a href="([^"]*)" lang="{code}"', nav).group(1).replace("&amp;", "&")


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_a_page_with_an_english_copy_links_to_it(gia_loc, client):
    html = fetch(client, GIA_LOC).content.decode()
    assert switch_link(html, "en") == "/en" + GIA_LOC
    assert switch_link(fetch(client, "/en" + GIA_LOC).content.decode(), "vi") == GIA_LOC


def test_a_page_without_an_english_copy_links_itself_with_a_notice_in_english(
    vietnamese_only, client
):
    url = vietnamese_only.url
    html = fetch(client, url).content.decode()
    assert NOTICE_EN not in html
    english = switch_link(html, "en")
    assert english == url + "?untranslated=en"

    shown = fetch(client, english).content.decode()
    assert NOTICE_EN in shown
    assert 'lang="en">' + NOTICE_EN in shown
    assert "Lịch học tháng sau" in shown  # the Vietnamese page itself
    assert switch_link(shown, "vi") == url  # back without the notice


def test_an_english_page_without_its_vietnamese_copy_says_so_in_vietnamese(gia_loc, client):
    english = gia_loc.get_translation(Locale.objects.get(language_code="en"))
    gia_loc.unpublish()
    link = switch_link(fetch(client, english.url).content.decode(), "vi")
    assert link == english.url + "?untranslated=vi"
    assert NOTICE_VI in fetch(client, link).content.decode()


def test_the_switch_keeps_the_query_and_drops_the_marker(gia_loc, client):
    html = fetch(client, GIA_LOC + "?page=2&untranslated=en").content.decode()
    assert switch_link(html, "en") == "/en" + GIA_LOC + "?page=2"
    assert switch_link(html, "vi") == GIA_LOC + "?page=2"
    assert NOTICE_EN not in html  # the page has an English copy: the marker is stale


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "xx", "vi", "EN", "en%00", "", "e" * 5000]
)
def test_a_hostile_marker_is_ignored(vietnamese_only, client, value):
    response = fetch(client, vietnamese_only.url + "?untranslated=" + value)
    html = response.content.decode()
    assert "This page has no" not in html and "Trang này chưa có" not in html
    assert "<script>alert" not in html


def test_a_repeated_marker_is_read_once(vietnamese_only, client):
    html = fetch(client, vietnamese_only.url + "?untranslated=en&untranslated=<b>").content
    assert NOTICE_EN not in html.decode() and "<b>" not in html.decode()


# The page cache ----------------------------------------------------------------------------


def test_the_cache_keeps_the_notice_for_those_who_asked(
    vietnamese_only, client, settings, django_capture_on_commit_callbacks
):
    settings.CDHT_PAGE_CACHE = True
    url = vietnamese_only.url
    fetch(client, url)
    assert fetch(client, url)["X-Page-Cache"] == "hit"

    noticed = fetch(client, url + "?untranslated=en")
    assert noticed["X-Page-Cache"] == "miss" and NOTICE_EN in noticed.content.decode()
    assert fetch(client, url + "?untranslated=en")["X-Page-Cache"] == "hit"
    plain = fetch(client, url)
    assert plain["X-Page-Cache"] == "hit" and NOTICE_EN not in plain.content.decode()

    # The English copy is published: both variants are purged and link to it.
    with django_capture_on_commit_callbacks(execute=True):
        english = vietnamese_only.copy_for_translation(Locale.objects.get(language_code="en"))
        english.title = "Next month's classes"
        english.save_revision().publish()
    plain = fetch(client, url)
    assert plain["X-Page-Cache"] == "miss"
    assert switch_link(plain.content.decode(), "en") == english.url
    noticed = fetch(client, url + "?untranslated=en")
    assert NOTICE_EN not in noticed.content.decode()
    assert fetch(client, english.url)["X-Page-Cache"] == "miss"


def test_unpublishing_the_english_copy_purges_the_vietnamese_page(
    gia_loc, client, settings, django_capture_on_commit_callbacks
):
    settings.CDHT_PAGE_CACHE = True
    fetch(client, GIA_LOC)
    assert fetch(client, GIA_LOC)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        gia_loc.get_translation(Locale.objects.get(language_code="en")).unpublish()
    response = fetch(client, GIA_LOC)
    assert response["X-Page-Cache"] == "miss"
    assert switch_link(response.content.decode(), "en") == GIA_LOC + "?untranslated=en"


# Editors: Wagtail's copy for translation ------------------------------------------------------


def test_a_commune_editor_copies_a_page_for_translation_as_a_draft(vietnamese_only, client):
    editor = get_user_model().objects.get(username="gia_loc_editor")
    assert editor.has_perm("simple_translation.submit_translation")
    client.force_login(editor)
    url = reverse("simple_translation:submit_page_translation", args=[vietnamese_only.pk])
    english = Locale.objects.get(language_code="en")

    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [english.pk]})

    copy = vietnamese_only.get_translation(english)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert not copy.live  # written and submitted for moderation like any page
    assert copy.get_parent().specific.area == vietnamese_only.get_parent().specific.area


def test_an_editor_cannot_translate_a_page_outside_their_commune(demo_site, client):
    thanh_ha = CommunePage.objects.get(area__code="10813", locale__language_code="vi")
    client.force_login(get_user_model().objects.get(username="gia_loc_editor"))
    url = reverse("simple_translation:submit_page_translation", args=[thanh_ha.pk])
    assert client.get(url).status_code in (302, 403)


# Routable pages: the switch keeps the sub-path --------------------------------------------------


@pytest.fixture
def listing(demo_site):
    from assessments.models import RecognitionListingPage

    return RecognitionListingPage.objects.filter(locale__language_code="vi").first()


def test_the_switch_on_a_sub_path_leads_to_the_same_sub_path_of_the_translation(listing, client):
    english = listing.get_translation(Locale.objects.get(language_code="en"))
    year_url = listing.url + "2024/"
    html = fetch(client, year_url + "?q=an").content.decode()
    assert switch_link(html, "en") == english.url + "2024/?q=an"

    back = fetch(client, english.url + "2024/").content.decode()
    assert switch_link(back, "vi") == year_url
    fetch(client, switch_link(html, "en"))  # never a 404


def test_the_switch_on_a_sub_path_without_a_translation_keeps_the_sub_path(listing, client):
    listing.get_translation(Locale.objects.get(language_code="en")).unpublish()
    year_url = listing.url + "2024/"
    link = switch_link(fetch(client, year_url).content.decode(), "en")
    assert link == year_url + "?untranslated=en"
    assert NOTICE_EN in fetch(client, link).content.decode()
