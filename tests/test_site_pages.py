"""Public site pages: creation rules, inheritance, contact, permissions, search, SEO, queries."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from home.models import CommunePage, GuidancePage, HomePage, NewsIndexPage, NewsPage, ProvincePage
from home.services import MODERATION_WORKFLOW_NAME, commune_editor_group
from learning_units.models import OfficerRole

GIA_LOC = "/hai-phong/gia-loc/"
THANH_HA = "/hai-phong/thanh-ha/"


def page_at(url_path, locale="vi"):
    prefix = "/home" if locale == "vi" else "/home-en"
    return Page.objects.get(url_path=prefix + url_path, locale__language_code=locale).specific


@pytest.fixture
def gia_loc(demo_site):
    return CommunePage.objects.get(area__code="10999", locale__language_code="vi")


@pytest.fixture
def thanh_ha(demo_site):
    return CommunePage.objects.get(area__code="10813", locale__language_code="vi")


def guidance(parent, title, **kwargs):
    page = GuidancePage(title=title, intro=kwargs.pop("intro", "Tóm tắt"), body=[], **kwargs)
    parent.add_child(instance=page)
    return page


# Creation rules ---------------------------------------------------------------------------


def test_area_pages_nest_province_then_commune(demo_site):
    assert ProvincePage in HomePage.allowed_subpage_models()
    assert CommunePage not in HomePage.allowed_subpage_models()
    assert CommunePage in ProvincePage.allowed_subpage_models()
    assert ProvincePage not in CommunePage.allowed_subpage_models()


def test_guidance_and_news_listings_go_under_any_level(demo_site):
    for parent in (HomePage, ProvincePage, CommunePage):
        assert GuidancePage in parent.allowed_subpage_models()
        assert NewsIndexPage in parent.allowed_subpage_models()
    assert GuidancePage.allowed_subpage_models() == []


def test_news_items_go_only_under_a_news_listing(demo_site):
    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]
    assert NewsIndexPage.allowed_subpage_models() == [NewsPage]


def test_one_news_listing_per_page(gia_loc):
    assert not NewsIndexPage.can_create_at(gia_loc)
    assert NewsIndexPage.can_create_at(page_at(THANH_HA))


def test_an_area_has_one_page_per_language(gia_loc):
    duplicate = CommunePage(title="Gia Lộc 2", slug="gia-loc-2", area=gia_loc.area)
    duplicate.locale = gia_loc.locale
    with pytest.raises(ValidationError, match="đã có trang bằng ngôn ngữ này"):
        duplicate.clean()
    gia_loc.clean()  # the page itself is no duplicate


# Inheritance ------------------------------------------------------------------------------


def test_commune_page_lists_own_province_and_national_guidance(gia_loc, client):
    html = client.get(GIA_LOC).content.decode()
    assert "Câu lạc bộ tin học ở nhà văn hóa xã" in html  # the commune's own
    assert "Chuẩn bị minh chứng: những gì được chấp nhận ở Hải Phòng" in html  # the province's
    assert "Kỹ năng số cho mọi người" in html  # national
    assert "Phát động phong trào Công dân học tập năm 2026" in html  # national news


def test_a_small_commune_shows_inherited_pages_but_not_a_sibling_communes(thanh_ha, client):
    html = client.get(THANH_HA).content.decode()
    assert "Kỹ năng số cho mọi người" in html
    assert "Chuẩn bị minh chứng" in html
    assert "Câu lạc bộ tin học ở nhà văn hóa xã" not in html
    assert "Gia Lộc mở lớp kỹ năng số" not in html


def test_a_commune_can_hide_an_inherited_page(thanh_ha, client):
    hidden = page_at("/ky-nang-so/")
    thanh_ha.hidden_inherited_pages.add(hidden)
    thanh_ha.save_revision().publish()
    html = client.get(THANH_HA).content.decode()
    assert "Kỹ năng số cho mọi người" not in html
    assert "Tự học, học tập suốt đời" in html
    assert "Kỹ năng số cho mọi người" in client.get(GIA_LOC).content.decode()


def test_only_inherited_pages_are_offered_for_hiding(thanh_ha):
    titles = set(thanh_ha.inherited_candidates().values_list("title", flat=True))
    assert "Kỹ năng số cho mọi người" in titles
    assert "Hải Phòng tập huấn cán bộ chi hội về tự đánh giá trực tuyến" in titles
    assert "Câu lạc bộ tin học ở nhà văn hóa xã" not in titles


def test_english_commune_page_lists_english_pages(demo_site, client):
    html = client.get("/en" + GIA_LOC).content.decode()
    assert "Digital skills for everyone" in html
    assert "Kỹ năng số cho mọi người" not in html


# Contact block ----------------------------------------------------------------------------


def test_contact_block_names_officers_but_shows_no_private_data(gia_loc, client):
    officer = get_user_model().objects.get(username="commune_officer")
    officer.first_name, officer.last_name = "Trần Văn", "Bình"
    officer.save()
    html = client.get(GIA_LOC).content.decode()
    assert "Trần Văn Bình" in html
    assert "Nhà văn hóa xã Gia Lộc, thôn Phương Điếm" in html
    assert officer.email not in html
    assert "commune_officer" not in html
    assert "province_officer" not in html  # a province role is not a commune contact


def test_officers_are_those_of_the_commune_and_its_branches(gia_loc):
    roles = {role.role for role in gia_loc.officers()}
    assert roles == {OfficerRole.Role.COMMUNE, OfficerRole.Role.BRANCH}


# Permissions and moderation ---------------------------------------------------------------


def test_commune_editor_edits_only_their_communes_pages(gia_loc, thanh_ha):
    editor = get_user_model().objects.get(username="gia_loc_editor")
    own = gia_loc.permissions_for_user(editor)
    assert own.can_edit()
    assert own.can_add_subpage()
    assert not own.can_publish()
    child = gia_loc.get_children().first().specific
    assert child.permissions_for_user(editor).can_edit()
    assert not thanh_ha.permissions_for_user(editor).can_edit()
    assert not thanh_ha.permissions_for_user(editor).can_add_subpage()
    assert not page_at("/ky-nang-so/").permissions_for_user(editor).can_edit()


def test_commune_editor_group_covers_the_translation_and_is_idempotent(gia_loc):
    group = commune_editor_group(gia_loc)
    count = group.page_permissions.count()
    assert commune_editor_group(gia_loc) == group
    assert group.page_permissions.count() == count
    pages = set(group.page_permissions.values_list("page__locale__language_code", flat=True))
    assert pages == {"vi", "en"}


def test_guidance_pages_go_through_the_moderators_workflow(gia_loc):
    page = gia_loc.get_children().type(GuidancePage).first().specific
    assert page.get_workflow().name == MODERATION_WORKFLOW_NAME
    assert page_at("/ky-nang-so/", "vi").get_workflow().name == MODERATION_WORKFLOW_NAME
    assert page_at("/ky-nang-so/", "en").get_workflow().name == MODERATION_WORKFLOW_NAME


def test_editor_submits_guidance_for_moderation(gia_loc):
    editor = get_user_model().objects.get(username="gia_loc_editor")
    page = guidance(gia_loc, "Lịch học tháng sau", live=False)
    page.save_revision(user=editor)
    workflow_state = page.get_workflow().start(page, editor)
    assert workflow_state.status == "in_progress"
    assert workflow_state.current_task_state.task.name == MODERATION_WORKFLOW_NAME
    assert not page.live


# Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["ky nang so", "kỹ năng số", "KY NANG SO"])
def test_search_is_accent_insensitive(demo_site, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "Kỹ năng số cho mọi người" in response.content.decode()


def test_search_finds_a_commune_by_unaccented_name(demo_site, client):
    assert "Xã Gia Lộc" in client.get("/search/", {"q": "gia loc"}).content.decode()


def test_search_results_are_in_the_visitors_language(demo_site, client):
    html = client.get("/en/search/", {"q": "digital skills"}).content.decode()
    assert "Digital skills for everyone" in html
    assert "Kỹ năng số cho mọi người" not in html
    assert (
        "Digital skills for everyone"
        not in client.get("/search/", {"q": "digital"}).content.decode()
    )


def test_search_without_query_shows_the_form_only(demo_site, client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["results"] is None


def test_search_shows_ten_results_a_page(demo_site, client):
    thanh_ha = page_at(THANH_HA)
    for number in range(12):
        guidance(thanh_ha, f"Kỹ năng số bài {number}")
    first = client.get("/search/", {"q": "ky nang so"})
    assert first.context["results"].paginator.num_pages == 2
    assert len(first.context["pages"]) == 10
    assert client.get("/search/", {"q": "ky nang so", "page": 2}).status_code == 200


# SEO --------------------------------------------------------------------------------------


def test_sitemap_lists_live_pages(demo_site, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "/hai-phong/gia-loc/</loc>" in xml
    assert "/ky-nang-so/</loc>" in xml
    assert "/en/hai-phong/gia-loc/</loc>" in xml  # the English tree too


def test_robots_txt_points_to_the_sitemap(demo_site, client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_pages_carry_description_and_open_graph(demo_site, client):
    html = client.get("/ky-nang-so/").content.decode()
    assert '<meta name="description" content="Dùng điện thoại thông minh' in html
    assert '<meta property="og:title" content="Kỹ năng số cho mọi người">' in html
    assert '<meta property="og:url" content="http://testserver/ky-nang-so/">' in html
    assert '<meta property="og:locale" content="vi_VN">' in html
    assert '<meta property="og:locale" content="en_GB">' in client.get("/en/").content.decode()


# Guidance blocks --------------------------------------------------------------------------


def test_guidance_page_shows_indicators_faq_and_self_assessment_link(demo_site, client):
    html = client.get("/ky-nang-so/").content.decode()
    assert "Sử dụng điện thoại thông minh, máy tính và dịch vụ số" in html  # indicator 2.1
    assert "<details" in html and "<summary>" in html
    assert 'href="/assessments/"' in html  # assessments:mine resolves on this site
    assert 'srcset="' in html and ".webp" in html  # responsive renditions


# Queries ----------------------------------------------------------------------------------


def commune_page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(THANH_HA).status_code == 200
    return len(queries)


def test_commune_page_queries_do_not_grow_with_children(demo_site, client):
    thanh_ha = page_at(THANH_HA)
    for number in range(10):
        guidance(thanh_ha, f"Hướng dẫn {number}")
    client.get(THANH_HA)  # warm caches (site root paths, content types)
    with_ten = commune_page_queries(client)
    for number in range(10, 100):
        guidance(thanh_ha, f"Hướng dẫn {number}")
    with_hundred = commune_page_queries(client)
    assert "Hướng dẫn 99" in client.get(THANH_HA).content.decode()
    assert with_hundred == with_ten


# Admin ------------------------------------------------------------------------------------


def test_admin_edit_forms_render_for_the_new_page_types(gia_loc, client):
    client.login(username="admin", password="cdht-demo-admin")
    guidance_page = page_at("/ky-nang-so/")
    province = gia_loc.get_parent()
    for url in [
        f"/admin/pages/{gia_loc.pk}/edit/",
        f"/admin/pages/{guidance_page.pk}/edit/",
        f"/admin/pages/add/home/communepage/{province.pk}/",
        f"/admin/pages/add/home/guidancepage/{gia_loc.pk}/",
    ]:
        assert client.get(url).status_code == 200, url


def test_new_commune_page_offers_only_the_provinces_communes(gia_loc, client):
    client.login(username="admin", password="cdht-demo-admin")
    province = gia_loc.get_parent().specific
    response = client.get(f"/admin/pages/add/home/communepage/{province.pk}/")
    queryset = response.context["form"].fields["area"].queryset
    assert queryset.exists()
    assert set(queryset.values_list("parent_id", flat=True)) == {province.area_id}


def test_indicator_block_round_trips_a_primary_key(demo_site):
    from assessments.models import Indicator
    from home.blocks import IndicatorChooserBlock

    block = IndicatorChooserBlock()
    indicator = Indicator.objects.first()
    assert block.get_form_state(indicator) == [str(indicator.pk)]  # as a plain <select>
    assert block.to_python(indicator.pk) == indicator
    assert block.get_prep_value(indicator) == indicator.pk
