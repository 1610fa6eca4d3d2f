"""The site search (issue #19): every page type of the demo found by its words typed without
accents, in any case, with "đ" typed as "d"; results shown as plain text. Run on SQLite and on
PostgreSQL (Wagtail's database backend uses each one's full-text search)."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from assessments.models import RecognitionListingPage


def result_titles(client, query, language=""):
    response = client.get(f"{language}/search/", {"q": query})
    assert response.status_code == 200
    return [page.title for page in response.context["pages"]]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("gia loc", "Xã Gia Lộc"),  # a commune page
        ("XA THANH HA", "Xã Thanh Hà"),
        ("hai phong", "Hội Khuyến học thành phố Hải Phòng"),  # the province page
        ("cong dan hoc tap gia loc", "Công dân học tập – Xã Gia Lộc"),  # a recognition listing
        ("tai lieu hoc tap", "Tài liệu học tập"),  # a training listing
        ("ke hoach hoc tap", "Lập kế hoạch học tập của bản thân"),  # a training material
        ("DUNG DICH VU CONG", "Kỹ năng số: dùng dịch vụ công trực tuyến"),
        ("cau lac bo doc sach", "Sinh hoạt câu lạc bộ đọc sách ở nhà văn hóa xã"),
        ("tin tuc va thong bao", "Tin tức và thông báo"),  # a news listing
        ("phat dong phong trao", "Phát động phong trào Công dân học tập năm 2026"),  # news
        ("chuan bi minh chung", "Chuẩn bị minh chứng: những gì được chấp nhận ở Hải Phòng"),
    ],
)
def test_demo_pages_are_found_by_their_names_typed_without_accents(demo_site, client, query, title):
    assert title in result_titles(client, query)


def test_a_listing_is_found_by_its_communes_name_alone(demo_site, client):
    titles = result_titles(client, "gia loc")
    assert "Công dân học tập – Xã Gia Lộc" in titles
    assert "Công dân học tập – Xã Thanh Hà" not in titles


def test_d_with_stroke_is_found_typed_as_d(demo_site, client):
    # "Phương Điếm" is the village in Gia Lộc's meeting place.
    for query in ("phuong diem", "PHUONG DIEM", "Phương Điếm", "phuong điem"):
        assert "Xã Gia Lộc" in result_titles(client, query), query


def test_english_pages_are_found_in_english(demo_site, client):
    titles = result_titles(client, "phuong diem", language="/en")
    assert titles == ["Gia Loc Commune"]
    assert "Learning citizens – Xã Gia Lộc" in result_titles(client, "gia loc", language="/en")


def test_an_edited_listing_is_found_by_its_new_introduction(demo_site, client):
    listing = RecognitionListingPage.objects.get(area__code="10813", locale__language_code="vi")
    listing.intro = "<p>Danh sách do <b>thôn Xuân Trạch</b> lập &amp; công bố.</p>"
    listing.save_revision().publish()
    assert result_titles(client, "xuan trach") == [listing.title]
    html = client.get("/search/", {"q": "xuan trach"}).content.decode()
    assert "Danh sách do thôn Xuân Trạch lập &amp; công bố." in html  # one escape, no tags


def test_result_snippets_are_plain_text(demo_site, client):
    html = client.get("/search/", {"q": "cong dan hoc tap gia loc"}).content.decode()
    assert "&lt;p&gt;" not in html
    assert "<p>Danh sách công dân, gia đình và đơn vị được Hội Khuyến học Xã Gia Lộc" in html


def test_a_snippet_keeps_html_typed_as_text_escaped(demo_site, client):
    listing = RecognitionListingPage.objects.get(area__code="10813", locale__language_code="vi")
    listing.intro = "<p>Thôn &lt;script&gt;alert(1)&lt;/script&gt; Xuân Trạch</p>"
    listing.save_revision().publish()
    html = client.get("/search/", {"q": "xuan trach"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Xuân Trạch" in html
    assert "<script>alert(1)" not in html


# Documents ------------------------------------------------------------------------------------


def test_the_demo_document_is_found_by_its_title_typed_without_accents(demo_site, client):
    response = client.get("/search/", {"q": "DANH SACH MINH CHUNG DUOC CHAP NHAN"})
    titles = [document.title for document in response.context["documents"]]
    assert titles == ["Danh sách minh chứng được chấp nhận"]
    html = response.content.decode()
    assert f'href="{response.context["documents"][0].url}"' in html
    assert "Danh sách minh chứng được chấp nhận" in html
    assert response.context["count"] == response.context["results"].paginator.count + 1


def test_documents_of_a_restricted_collection_are_not_listed(demo_site, client):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Hồ sơ nội bộ")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    inner = private.add_child(name="Biên bản")
    for collection, title in ((private, "Đề cương mật"), (inner, "Đề cương họp kín")):
        document = Document(title=title, collection=collection)
        document.file.save("de-cuong.txt", ContentFile(b"x"), save=False)
        document.save()
    public = Document(title="Đề cương công khai", collection=root)
    public.file.save("de-cuong.txt", ContentFile(b"x"), save=False)
    public.save()
    response = client.get("/search/", {"q": "de cuong"})
    assert [document.title for document in response.context["documents"]] == ["Đề cương công khai"]
