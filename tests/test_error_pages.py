"""Error pages in the site's frame and the visitor's language (templates/404.html, 500.html),
not Django's bare English "Not Found"."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_404_in_vietnamese_inside_the_site_frame(client):
    response = client.get("/khong-co-trang-nay/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in content
    assert 'class="site-header"' in content and 'name="q"' in content
    assert "Not Found" not in content


def test_a_missing_english_page_answers_404_in_english(client):
    response = client.get("/en/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in content and 'lang="en"' in content


@pytest.mark.parametrize(
    ("language", "expected"), [("vi", "Đã xảy ra lỗi"), ("en", "Something went wrong")]
)
def test_the_server_error_page_reads_no_database_and_speaks_the_language(
    language, expected, django_assert_num_queries
):
    request = RequestFactory().get("/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert expected in response.content.decode()
