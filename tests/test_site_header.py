"""The site header shows each request's own CSRF token, path, language and login state, and
nothing else of the user."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def header(html):
    return html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


def test_login_state_language_and_path_are_this_requests():
    client = Client(enforce_csrf_checks=True)
    anonymous = header(client.get(reverse("search")).content.decode())
    assert reverse("login") in anonymous and reverse("logout") not in anonymous

    user = UserFactory(username="nguyen-thi-bi-mat", first_name="Bí Mật")
    client.force_login(user)
    logged_in = header(client.get(reverse("search") + "?q=a&b=<x>").content.decode())
    assert reverse("logout") in logged_in and reverse("login") not in logged_in
    assert "nguyen-thi-bi-mat" not in logged_in and "Bí Mật" not in logged_in
    # The language switch links this very page in the other language (no form, no token).
    assert f'href="/en{reverse("search")}?q=a&amp;b=%3Cx%3E"' in logged_in
    assert "<x>" not in logged_in  # the path is escaped
    with_english = Client()
    with_english.force_login(user)
    english = header(with_english.get("/en" + reverse("search")).content.decode())
    assert "Log out" in english and "Đăng xuất" not in english


def test_the_headers_csrf_token_logs_out():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    page = client.get(reverse("search")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header(page)).group(1)
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
