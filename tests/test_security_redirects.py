"""Return addresses from a request (`back`, `next`) never lead off the site (open redirect)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from learning_units.return_urls import return_url
from tests.factories import CitizenFactory, UserFactory

HOSTILE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http:///evil.example",
    "https://testserver@evil.example/",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_start_without_a_round_goes_back_only_to_this_site(client, db, target):
    citizen = CitizenFactory(user=UserFactory())  # no open round: the start is refused
    client.force_login(citizen.user)
    response = client.post(reverse("assessments:start"), {"back": target})
    assert response.status_code == 302
    assert response.url == reverse("assessments:mine")


def test_start_without_a_round_goes_back_to_a_local_page(client, db):
    citizen = CitizenFactory(user=UserFactory())
    client.force_login(citizen.user)
    response = client.post(reverse("assessments:start"), {"back": "/assessments/?year=1"})
    assert response.status_code == 302
    assert response.url == "/assessments/?year=1"


@pytest.mark.parametrize("target", HOSTILE)
def test_marking_notices_read_goes_back_only_to_this_site(client, db, target):
    citizen = CitizenFactory(user=UserFactory())
    client.force_login(citizen.user)
    response = client.post(reverse("assessments:notices_read"), {"next": target})
    assert response.status_code == 302
    assert response.url == reverse("assessments:mine")


@pytest.mark.parametrize("target", HOSTILE)
def test_the_password_change_never_offers_a_foreign_next(client, db, target):
    citizen = CitizenFactory(user=UserFactory())
    client.force_login(citizen.user)
    response = client.get(reverse("learning_units:password_change"), {"next": target})
    assert response.status_code == 200
    assert response.context["next"] == ""


def test_the_helper_prefers_post_and_refuses_rather_than_falling_back_to_get():
    request = RequestFactory().post("/x/?next=/fine/", {"next": "https://evil.example/"})
    assert return_url(request, "next", default="/home/") == "/home/"
    request = RequestFactory().post("/x/?next=/fine/")
    assert return_url(request, "next", default="/home/") == "/fine/"


def test_an_http_address_is_refused_on_a_secure_request():
    request = RequestFactory().get("/x/", {"next": "http://testserver/page/"}, secure=True)
    assert return_url(request, "next", default="/home/") == "/home/"
    request = RequestFactory().get("/x/", {"next": "https://testserver/page/"}, secure=True)
    assert return_url(request, "next", default="/home/") == "https://testserver/page/"
