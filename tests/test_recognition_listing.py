"""The public recognition listing page: by year, searchable, private details never shown."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from assessments import selectors
from assessments.demo import load_demo_recognitions
from assessments.models import AssessmentStatus, Recognition, RecognitionListingPage
from assessments.services.recognition import recognition_revoke
from home.models import CommunePage
from reports.services import summaries_rebuild
from tests.factories.review import (
    YEAR,
    bulk_assessments,
    make_assessment,
    make_unit_assessment,
    recognise_directly,
    review_world,
)

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def world(db):
    return review_world()


@pytest.fixture
def page(world):
    root = Site.objects.get(is_default_site=True).root_page
    page = RecognitionListingPage(title="Công dân học tập xã", slug="cong-nhan", area=world.commune)
    root.add_child(instance=page)
    page.save_revision().publish()
    return page


def get(client, page, suffix="", **params):
    response = client.get(page.url + suffix, params)
    assert response.status_code == 200
    return response.content.decode()


def test_lists_recognised_citizens_of_the_year_with_their_residential_area(client, world, page):
    make_assessment(world, status=S.RECOGNISED, full_name="Nguyễn Thị Hoa")
    make_assessment(world, status=S.VERIFIED, full_name="Chưa Công Nhận")

    html = get(client, page, f"{YEAR}/")

    assert "Nguyễn Thị Hoa" in html and world.branch_area.name in html
    assert "Chưa Công Nhận" not in html


def last_year_title(world):
    old = make_assessment(world, status=S.VERIFIED, full_name="Năm Trước")
    old.year, old.status = YEAR - 1, S.RECOGNISED
    old.save()
    recognise_directly([old], world.commune, year=YEAR - 1)


def test_the_page_opens_on_the_latest_year_and_other_years_have_their_own_url(client, world, page):
    last_year_title(world)
    make_assessment(world, status=S.RECOGNISED, full_name="Năm Nay")
    summaries_rebuild()  # set up past the services: the listing's years are read from them

    latest = get(client, page)
    assert "Năm Nay" in latest and "Năm Trước" not in latest
    assert f'href="{page.url}{YEAR - 1}/"' in latest
    assert "Năm Trước" in get(client, page, f"{YEAR - 1}/")
    assert client.get(page.url + "1800/").status_code == 404


def test_search_by_name_ignores_accents_and_filters_by_residential_area(client, world, page):
    make_assessment(world, status=S.RECOGNISED, full_name="Nguyễn Thị Hoa")
    make_assessment(world, status=S.RECOGNISED, full_name="Trần Văn Bình")
    make_assessment(
        world, status=S.RECOGNISED, full_name="Lê Thị Hoa", area=world.other_branch_area
    )

    html = get(client, page, f"{YEAR}/", q="nguyen thi hoa")
    assert "Nguyễn Thị Hoa" in html and "Trần Văn Bình" not in html

    html = get(client, page, f"{YEAR}/", q="hoa", area=world.other_branch_area.pk)
    assert "Lê Thị Hoa" in html and "Nguyễn Thị Hoa" not in html


def test_citizens_who_opted_out_are_not_listed(client, world, page):
    hidden = make_assessment(world, status=S.RECOGNISED, full_name="Ẩn Danh")
    hidden.citizen.listing_opt_out = True
    hidden.citizen.save()

    assert "Ẩn Danh" not in get(client, page, f"{YEAR}/")


def test_revoked_recognitions_are_not_listed(client, world, page):
    revoked = make_assessment(world, status=S.RECOGNISED, full_name="Bị Thu Hồi")
    Recognition.objects.filter(assessment=revoked).update(revoked=True, revoked_reason="x")

    assert "Bị Thu Hồi" not in get(client, page, f"{YEAR}/")


def test_no_citizen_id_or_birth_year_in_the_page(client, world, page):
    assessment = make_assessment(world, status=S.RECOGNISED, full_name="Nguyễn Thị Hoa")
    citizen = assessment.citizen

    html = get(client, page, f"{YEAR}/")

    assert citizen.citizen_id not in html
    assert citizen.citizen_id[-6:] not in html
    assert str(citizen.birth_year) not in html


def test_collective_titles_are_listed_apart(client, world, page):
    make_unit_assessment(world, status=S.RECOGNISED, name="Gia đình ông Nguyễn Văn An")

    html = get(client, page, f"{YEAR}/")

    section = html.split('id="recognised-collectives"', 1)[1]
    assert "Gia đình ông Nguyễn Văn An" in section


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_the_same_for_10_and_5000_recognitions(client, world, page):
    bulk_assessments(world, 10, status=S.RECOGNISED)
    summaries_rebuild()
    url = page.url + f"{YEAR}/"
    client.get(url)  # warm the site and locale caches
    few = count_queries(client, url)
    few_searched = count_queries(client, url + "?page=40&q=nguyen")

    bulk_assessments(world, 4990, status=S.RECOGNISED, area=world.other_branch_area)
    summaries_rebuild()

    assert count_queries(client, url) == few
    assert count_queries(client, url + "?page=40&q=nguyen") == few_searched


@pytest.fixture
def province_page(world):
    root = Site.objects.get(is_default_site=True).root_page
    page = RecognitionListingPage(title="Tỉnh", slug="cong-nhan-tinh", area=world.commune.parent)
    root.add_child(instance=page)
    page.save_revision().publish()
    return page


def shown_counts(html):
    """The totals in the two sections' headings, as shown."""
    return [part.split(")</span>", 1)[0] for part in html.split('"recognitions__count">(')[1:]]


@pytest.mark.parametrize("level", ["commune", "province"])
def test_the_totals_shown_equal_a_live_count_and_no_count_query_runs(
    client, world, page, province_page, level
):
    listing = page if level == "commune" else province_page
    bulk_assessments(world, 7, status=S.RECOGNISED)
    hidden, revoked = (make_assessment(world, status=S.RECOGNISED) for _n in range(2))
    make_unit_assessment(world, status=S.RECOGNISED, name="Gia đình ông Lê Văn Thắng")
    make_assessment(world, status=S.VERIFIED)
    summaries_rebuild()  # set up past the services; what follows goes through them
    hidden.citizen.listing_opt_out = True
    hidden.citizen.save()
    recognition_revoke(
        recognition=Recognition.objects.get(assessment=revoked),
        officer=world.officers["commune"],
        reason="Sai sót",
    )

    with CaptureQueriesContext(connection) as queries:
        html = get(client, listing, f"{YEAR}/")

    area = listing.area
    live = [
        selectors.public_citizen_recognitions(area=area, year=YEAR).count(),
        selectors.public_collective_recognitions(area=area, year=YEAR).count(),
    ]
    assert live == [7, 1]
    assert shown_counts(html) == [str(n) for n in live]
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_kept_total_past_the_cap_is_shown_exact_and_pages_stop_at_the_cap(
    client, world, page, monkeypatch
):
    monkeypatch.setattr("learning_units.pagination.CAP", 60)
    bulk_assessments(world, 120, status=S.RECOGNISED)
    summaries_rebuild()
    url = page.url + f"{YEAR}/"

    html = get(client, page, f"{YEAR}/")
    deepest = client.get(url, {"page": "3"}).content.decode()  # past the cap: the last page

    assert shown_counts(html)[0] == "120"
    assert "2+" in html
    assert 'rel="next"' not in deepest.split('id="recognised-collectives"')[0]


def test_rows_are_listed_even_where_the_kept_totals_lag_behind(client, world, page):
    make_assessment(world, status=S.RECOGNISED, full_name="Nguyễn Thị Hoa")  # no summary kept

    html = get(client, page, f"{YEAR}/")

    assert "Nguyễn Thị Hoa" in html


def test_load_demo_publishes_a_recognition_page_per_demo_commune(client, demo_site):
    home = Site.objects.get(is_default_site=True).root_page
    load_demo_recognitions(  # a second run changes nothing
        parent_for=lambda area: CommunePage.objects.get(area=area, locale=home.locale)
    )

    pages = {page.area.code: page for page in RecognitionListingPage.objects.live()}
    assert set(pages) == {"10999", "10813"}
    for code, page in pages.items():  # on the commune's own page, under its URL
        assert page.get_parent().specific.area.code == code
        assert page.url.startswith(page.get_parent().url)
    gia_loc = client.get(pages["10999"].url).content.decode()
    assert "Phạm Thị Thu Hằng" in gia_loc and "Nguyễn Văn An" not in gia_loc.split("<table")[1]
    assert "Đặng Văn Hùng" in client.get(pages["10813"].url).content.decode()
    assert Recognition.objects.filter(decision__number="02/QĐ-KH-DEMO").count() == 0


def test_big_searches_are_counted_up_to_a_cap_and_said_so(client, world, page, monkeypatch):
    monkeypatch.setattr("learning_units.pagination.CAP", 60)
    bulk_assessments(world, 70, status=S.RECOGNISED)
    url = page.url + f"{YEAR}/"

    with CaptureQueriesContext(connection) as queries:
        html = get(client, page, f"{YEAR}/", q="n")  # a search's totals are no kept figure

    assert "(60+)" in html  # 70 recognised, counted up to the cap of 60
    assert "2+" in html  # pages of 50: two, and more past the cap
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 61" in sql for sql in counts)
    # Under the cap (a search, an area) the figures are exact again.
    assert "(0)" in get(client, page, f"{YEAR}/", q="không có ai")
    assert client.get(url, {"page": "999", "q": "n"}).status_code == 200


def test_a_breadcrumb_leads_back_to_the_commune_and_province(client, demo_site):
    page = RecognitionListingPage.objects.live().get(area__code="10999", locale__language_code="vi")
    commune_page = page.get_parent()
    province_page = commune_page.get_parent()

    html = client.get(page.url).content.decode()

    breadcrumb = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{commune_page.url}"' in breadcrumb
    assert f'href="{province_page.url}"' in breadcrumb
    assert breadcrumb.index(province_page.url) < breadcrumb.index(commune_page.url)
    assert 'aria-current="page"' in breadcrumb


def test_each_listed_name_links_to_its_verification_page(client, world, page):
    citizen = make_assessment(world, status=S.RECOGNISED, full_name="Nguyễn Thị Hoa")
    unit = make_unit_assessment(world, status=S.RECOGNISED, name="Gia đình ông Lê Văn Thắng")

    html = get(client, page, f"{YEAR}/")

    for assessment, name in ((citizen, "Nguyễn Thị Hoa"), (unit, "Gia đình ông Lê Văn Thắng")):
        code = Recognition.objects.get(assessment=assessment).verification_code
        assert f'<a href="/verify/{code}/">{name}</a>' in html


def test_an_opted_out_citizens_verification_code_is_not_in_the_page(client, world, page):
    hidden = make_assessment(world, status=S.RECOGNISED, full_name="Ẩn Danh")
    hidden.citizen.listing_opt_out = True
    hidden.citizen.save()

    html = get(client, page, f"{YEAR}/")

    assert Recognition.objects.get(assessment=hidden).verification_code not in html


def two_years(world):
    last_year_title(world)
    make_assessment(world, status=S.RECOGNISED, full_name="Năm Nay")
    summaries_rebuild()  # set up past the services: the listing's years are read from them


def test_the_year_selector_opens_the_chosen_years_page_with_the_same_search(client, world, page):
    two_years(world)
    html = get(client, page)
    assert '<select id="recognitions-year" name="year">' in html

    response = client.get(page.url + f"{YEAR}/", {"year": YEAR - 1, "q": "nam"})

    assert response.status_code == 302
    assert response["Location"] == f"{page.url}{YEAR - 1}/?q=nam"
    assert "Năm Trước" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "value",
    ["abc", "99999999999999999999", "-1", "1800", "２０２５", "2024'--", "", "0x7e8", "12345"],
)
def test_a_hostile_year_parameter_is_ignored(client, world, page, value):
    two_years(world)

    html = get(client, page, f"{YEAR}/", year=value)

    assert "Năm Nay" in html and "Năm Trước" not in html


def test_a_year_without_recognitions_is_not_redirected_to(client, world, page):
    two_years(world)

    html = get(client, page, f"{YEAR}/", year=YEAR - 5)

    assert "Năm Nay" in html


@pytest.mark.parametrize("found_ids", [2002, 2])  # under the limit: by id; over it: by name
def test_a_search_reads_the_names_once_for_both_tabs(client, world, page, monkeypatch, found_ids):
    monkeypatch.setattr("assessments.selectors.public.FOUND_IDS", found_ids)
    for name in ("Nguyễn Thị Hoa", "Nguyễn Văn Nam", "Trần Hoa", "Lê Bình"):
        make_assessment(world, status=S.RECOGNISED, full_name=name)
    make_unit_assessment(world, status=S.RECOGNISED, name="Gia đình Hoa Sen")
    make_unit_assessment(world, status=S.RECOGNISED, name="Dòng họ Lê")

    with CaptureQueriesContext(connection) as queries:
        html = get(client, page, f"{YEAR}/", q="HOA")

    for name in ("Nguyễn Thị Hoa", "Trần Hoa", "Gia đình Hoa Sen"):
        assert name in html
    for name in ("Nguyễn Văn Nam", "Lê Bình", "Dòng họ Lê"):
        assert name not in html
    name_filter = re.compile(r'"listed_name"(::text)? LIKE')  # PostgreSQL casts the column
    by_name = [q["sql"] for q in queries.captured_queries if name_filter.search(q["sql"])]
    # One read of the names, then each tab's count and page by id; over the limit, by name.
    assert len(by_name) == (1 if found_ids > 3 else 5)
