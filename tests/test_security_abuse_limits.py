"""Abuse of the public forms: password-reset mails per address and per client
(the same answer either way), new accounts per client address, names with control characters."""

import pytest
from django.core import mail

from learning_units.models import Citizen
from tests.factories import (
    CitizenFactory,
    CommuneFactory,
    ResidentialAreaFactory,
    UserFactory,
    make_citizen_id,
)

RESET = "/accounts/password-reset/"
SENT = "/accounts/password-reset/sent/"
ADMIN_RESET = "/admin/password_reset/"
PASSWORD = "hoc-tap-suot-doi-moi"


def ask_reset(client, email, address="10.0.0.1", url=RESET):
    return client.post(url, {"email": email}, REMOTE_ADDR=address)


def test_reset_mails_to_one_address_stop_at_the_limit_with_the_same_answer(client, db, settings):
    settings.CDHT_PASSWORD_RESET_PER_ADDRESS = 3
    CitizenFactory(user=UserFactory(email="hoa@example.vn"))
    responses = [ask_reset(client, "hoa@example.vn", f"10.0.0.{n}") for n in range(1, 18)]
    assert len(mail.outbox) == 3
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, SENT)}


def test_reset_limit_per_address_ignores_case_and_spaces(client, db, settings):
    settings.CDHT_PASSWORD_RESET_PER_ADDRESS = 1
    CitizenFactory(user=UserFactory(email="hoa@example.vn"))
    ask_reset(client, "hoa@example.vn")
    ask_reset(client, " HOA@Example.VN ", "10.0.0.2")
    assert len(mail.outbox) == 1


def test_reset_mails_from_one_client_stop_at_the_limit(client, db, settings):
    settings.CDHT_PASSWORD_RESET_PER_CLIENT = 2
    for n in range(4):
        CitizenFactory(user=UserFactory(email=f"person{n}@example.vn"))
    responses = [ask_reset(client, f"person{n}@example.vn") for n in range(4)]
    assert len(mail.outbox) == 2
    assert {r["Location"] for r in responses} == {SENT}
    ask_reset(client, "person3@example.vn", address="10.0.0.77")  # another client
    assert len(mail.outbox) == 3


def test_unknown_addresses_count_too_and_answer_the_same(client, db, settings):
    """Limit or no account, the visitor sees the same page: no account enumeration."""
    settings.CDHT_PASSWORD_RESET_PER_CLIENT = 1
    CitizenFactory(user=UserFactory(email="hoa@example.vn"))
    unknown = ask_reset(client, "nobody@example.vn")
    throttled = ask_reset(client, "hoa@example.vn")
    assert (unknown.status_code, unknown["Location"]) == (throttled.status_code, SENT)
    assert mail.outbox == []


def test_the_admin_reset_form_has_the_same_limit(client, db, settings):
    settings.CDHT_PASSWORD_RESET_PER_ADDRESS = 2
    UserFactory(username="officer", email="officer@example.vn", is_staff=True)
    responses = [
        ask_reset(client, "officer@example.vn", f"10.0.1.{n}", ADMIN_RESET) for n in range(5)
    ]
    assert len(mail.outbox) == 2
    assert {r.status_code for r in responses} == {302}


@pytest.fixture
def registration(db):
    commune = CommuneFactory()
    residential_area = ResidentialAreaFactory(parent=commune)

    def data():
        return {
            "citizen_id": make_citizen_id(1990, "female"),
            "full_name": "Nguyễn Thị Hoa",
            "gender": "female",
            "birth_year": "1990",
            "ethnicity": "Kinh",
            "religion": "Không",
            "province": str(commune.parent.pk),
            "commune": str(commune.pk),
            "residential_area": str(residential_area.pk),
            "target_group": "1",
            "occupation": "Nông dân",
            "phone": "0912 345 678",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent": "on",
        }

    return data


def register(client, data, address):
    response = client.post("/accounts/register/", data, REMOTE_ADDR=address)
    client.logout()
    return response


def test_accounts_from_one_client_stop_at_the_limit(client, registration, settings):
    settings.CDHT_REGISTRATIONS_PER_CLIENT = 2
    statuses = [register(client, registration(), "10.0.2.1").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Citizen.objects.count() == 2
    refused = register(client, registration(), "10.0.2.1")
    assert refused.context["form"].has_error("__all__", "too_many_registrations")
    assert register(client, registration(), "10.0.2.2").status_code == 302
    assert Citizen.objects.count() == 3


def test_a_registered_name_keeps_no_bidirectional_override(client, registration):
    data = {**registration(), "full_name": "Nguyễn Thị\u202e Hoa", "occupation": "Nông\u2066 dân"}
    assert register(client, data, "10.0.3.1").status_code == 302
    citizen = Citizen.objects.get(citizen_id=data["citizen_id"])
    assert (citizen.full_name, citizen.occupation) == ("Nguyễn Thị Hoa", "Nông dân")
