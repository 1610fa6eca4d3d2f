"""Log-in lock-out through django-axes: the admin's own refusal page, hashed identifiers in the
cache, and the per-address counter that a right password does not reset."""

import re

import pytest
from django.core.cache import cache

from learning_units.login_lockout import username_key
from tests.factories import CitizenFactory, UserFactory

PASSWORD = "correct-horse-battery"
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_admin_login_answers_a_pause_with_a_page_that_says_until_when(client, db):
    UserFactory(username="officer", is_staff=True, is_superuser=True)
    for _attempt in range(10):
        response = client.post(ADMIN_LOGIN, {"username": "officer", "password": "wrong"})
    assert response.status_code == 429
    assert "learning_units/login_paused.html" in [t.name for t in response.templates]
    response = client.post(ADMIN_LOGIN, {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_pause_page_says_until_when_and_offers_a_reset(client, db):
    UserFactory(username="officer", is_staff=True)
    for _attempt in range(10):
        response = client.post(ADMIN_LOGIN, {"username": "officer", "password": "wrong"})
    page = response.content.decode()
    assert re.search(r"\b\d\d:\d\d\b", page)
    assert 'href="/accounts/password-reset/"' in page


def test_the_cache_never_holds_a_raw_citizen_id(client, db):
    citizen = CitizenFactory(user=UserFactory())
    client.post(LOGIN, {"username": citizen.citizen_id, "password": "wrong"})
    keys = list(cache._cache.keys())  # LocMemCache
    assert keys and not any(citizen.citizen_id in key for key in keys)
    assert username_key(None, {"username": citizen.citizen_id}) == username_key(
        None, {"username": f" {citizen.citizen_id[:6]} {citizen.citizen_id[6:]} "}
    )


def test_a_right_password_clears_the_identifier_count_but_not_the_address(client, db, settings):
    settings.CDHT_LOGIN_FAILURES_PER_IP = 12
    citizen = CitizenFactory(user=UserFactory())
    for _attempt in range(9):
        client.post(LOGIN, {"username": citizen.citizen_id, "password": "wrong"})
    assert (
        client.post(LOGIN, {"username": citizen.citizen_id, "password": PASSWORD}).status_code
        == 302
    )
    client.logout()
    # 9 failures still count against the address: 3 more (on any identifier) pause it.
    for attempt in range(3):
        response = client.post(LOGIN, {"username": f"guess{attempt}@example.com", "password": "x"})
    assert response.context["form"].has_error("__all__", "paused")


def test_a_pause_ends_after_the_window(client, db, settings):
    settings.CDHT_LOGIN_FAILURES_PER_IDENTIFIER = 2
    citizen = CitizenFactory(user=UserFactory())
    for _attempt in range(2):
        client.post(LOGIN, {"username": citizen.citizen_id, "password": "wrong"})
    cache.clear()  # what the window's expiry does
    assert (
        client.post(LOGIN, {"username": citizen.citizen_id, "password": PASSWORD}).status_code
        == 302
    )


def paused(response):
    return response.status_code == 429 or (
        response.status_code == 200 and response.context["form"].has_error("__all__", "paused")
    )


def test_guesses_count_against_the_account_whatever_identifier_is_typed(client, db, settings):
    settings.CDHT_LOGIN_FAILURES_PER_IDENTIFIER = 4
    citizen = CitizenFactory(user=UserFactory(email="thu@example.vn"))
    for identifier in (citizen.citizen_id, "THU@example.vn", citizen.citizen_id):
        assert not paused(client.post(LOGIN, {"username": identifier, "password": "wrong"}))
    # The fourth failure, by yet another way of naming the account, pauses it ...
    assert paused(client.post(LOGIN, {"username": citizen.user.username, "password": "wrong"}))
    # ... for every identifier, even with the right password.
    for identifier in ("thu@example.vn", citizen.citizen_id):
        response = client.post(LOGIN, {"username": identifier, "password": PASSWORD})
        assert paused(response)
    assert "_auth_user_id" not in client.session


def test_ten_by_id_leave_no_more_by_email(client, db):
    citizen = CitizenFactory(user=UserFactory(email="an@example.vn"))
    for _attempt in range(10):
        client.post(LOGIN, {"username": citizen.citizen_id, "password": "wrong"})
    response = client.post(LOGIN, {"username": "an@example.vn", "password": PASSWORD})
    assert paused(response)
    assert "_auth_user_id" not in client.session


def test_another_account_from_another_address_is_not_paused(client, db, settings):
    settings.CDHT_LOGIN_FAILURES_PER_IDENTIFIER = 3
    guessed = CitizenFactory(user=UserFactory())
    other = CitizenFactory(user=UserFactory())
    for _attempt in range(3):
        client.post(LOGIN, {"username": guessed.citizen_id, "password": "wrong"})
    response = client.post(
        LOGIN, {"username": other.citizen_id, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302


def test_an_unknown_identifier_is_paused_like_an_account(client, db, settings):
    """The same answer whether an account exists or not: no enumeration by pause."""
    settings.CDHT_LOGIN_FAILURES_PER_IDENTIFIER = 3
    responses = [
        client.post(LOGIN, {"username": "nobody@example.vn", "password": "x"}) for _ in range(3)
    ]
    assert [paused(r) for r in responses] == [False, False, True]


def test_the_address_limit_holds_across_accounts(client, db, settings):
    settings.CDHT_LOGIN_FAILURES_PER_IP = 5
    citizens = [CitizenFactory(user=UserFactory()) for _ in range(5)]
    for citizen in citizens:
        response = client.post(LOGIN, {"username": citizen.citizen_id, "password": "wrong"})
    assert paused(response)
    fresh = CitizenFactory(user=UserFactory())
    assert paused(client.post(LOGIN, {"username": fresh.citizen_id, "password": PASSWORD}))
