"""Citizen self-registration, log-in by citizen ID or e-mail, throttling, passwords."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from learning_units.models import Citizen
from learning_units.services import citizen_register
from tests.factories import (
    CitizenFactory,
    CommuneFactory,
    ResidentialAreaFactory,
    UserFactory,
    make_citizen_id,
)

PASSWORD = "hoc-tap-suot-doi-2025"
FACTORY_PASSWORD = "correct-horse-battery"  # UserFactory's
REGISTER_URL = "/accounts/register/"
LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def empty_cache():
    """Failed log-ins are counted in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def areas(db):
    commune = CommuneFactory(name="Xã Gia Lộc")
    other_commune = CommuneFactory(name="Phường Khác Tỉnh")
    return {
        "province": commune.parent,
        "commune": commune,
        "residential_area": ResidentialAreaFactory(parent=commune, name="Thôn Phương Điếm"),
        "other_province": other_commune.parent,
        "other_commune": other_commune,
        "other_residential_area": ResidentialAreaFactory(parent=other_commune),
    }


@pytest.fixture
def form_data(areas):
    return {
        "citizen_id": make_citizen_id(1990, "female"),
        "full_name": "Nguyễn Thị Hoa",
        "gender": "female",
        "birth_year": "1990",
        "ethnicity": "Kinh",
        "religion": "Không",
        "province": str(areas["province"].pk),
        "commune": str(areas["commune"].pk),
        "residential_area": str(areas["residential_area"].pk),
        "target_group": "1",
        "occupation": "Nông dân",
        "phone": "0912 345 678",
        "email": "hoa@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
    }


def account(*, email="", must_change_password=False, **citizen_fields):
    """A citizen with a log-in, as registration or an officer makes it."""
    citizen = CitizenFactory(
        email=email, must_change_password=must_change_password, **citizen_fields
    )
    citizen.user = UserFactory(username=citizen.citizen_id, email="")
    citizen.save()
    return citizen


def vietnamese(msgid):
    with translation.override("vi"):
        return gettext(msgid)


def text_of(response):
    return html.unescape(response.content.decode())


def assert_typed_values_kept(response, data):
    page = text_of(response)
    for name in ("citizen_id", "full_name", "birth_year", "occupation", "phone", "email"):
        assert f'value="{data[name]}"' in page, name
    assert re.search(rf'<option value="{data["province"]}" selected>', page)
    assert re.search(rf'value="{data["gender"]}"[^>]*checked', page)


def test_registration_creates_the_account_and_citizen_and_logs_in(client, form_data, areas):
    response = client.post(REGISTER_URL, form_data)

    assert response.status_code == 302
    assert response["Location"] == "/assessments/"  # this year's self-assessment (issue #23)
    citizen = Citizen.objects.select_related("user").get(citizen_id=form_data["citizen_id"])
    assert citizen.user.username == form_data["citizen_id"]
    assert citizen.user.email == "hoa@example.com"
    assert citizen.user.check_password(PASSWORD)
    assert citizen.area == areas["residential_area"]
    assert (citizen.full_name, citizen.gender, citizen.birth_year) == (
        "Nguyễn Thị Hoa",
        "female",
        1990,
    )
    assert citizen.consent_at is not None
    assert citizen.must_change_password is False
    assert int(client.session["_auth_user_id"]) == citizen.user.pk


def test_registration_without_residential_area_places_the_citizen_in_the_commune(
    client, form_data, areas
):
    form_data["residential_area"] = ""
    client.post(REGISTER_URL, form_data)
    assert Citizen.objects.get(citizen_id=form_data["citizen_id"]).area == areas["commune"]


def test_registration_accepts_a_citizen_id_typed_with_spaces(client, form_data):
    number = form_data["citizen_id"]
    form_data["citizen_id"] = f"{number[:4]} {number[4:8]} {number[8:]}"
    assert client.post(REGISTER_URL, form_data).status_code == 302
    assert Citizen.objects.filter(citizen_id=number).exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"gender": "male"}, "citizen_id", "gender_mismatch"),
        ({"birth_year": "1991"}, "citizen_id", "birth_year_mismatch"),
        ({"consent": ""}, "consent", "required"),
        ({"commune": "other_commune"}, "commune", "wrong_parent"),
        ({"commune": "province"}, "commune", "invalid_choice"),
        ({"residential_area": "other_residential_area"}, "residential_area", "wrong_parent"),
        ({"password2": "something-else-2025"}, "password2", "password_mismatch"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "password_too_common"),
    ],
)
def test_registration_error_names_the_problem_and_keeps_what_was_typed(
    client, form_data, areas, change, field, code
):
    for name, value in change.items():
        form_data[name] = str(areas[value].pk) if value in areas else value

    response = client.post(REGISTER_URL, form_data)

    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    assert_typed_values_kept(response, form_data)
    assert not Citizen.objects.filter(citizen_id=form_data["citizen_id"]).exists()
    assert not get_user_model().objects.filter(username=form_data["citizen_id"]).exists()


def test_registration_explains_a_gender_that_contradicts_the_citizen_id(client, form_data):
    form_data["gender"] = "male"
    page = text_of(client.post(REGISTER_URL, form_data))
    with translation.override("vi"):
        expected = gettext(
            "The citizen ID says %(encoded)s (4th digit %(digit)s) but the gender entered is "
            "%(entered)s: check one of the two."
        ) % {"encoded": gettext("female"), "digit": "1", "entered": gettext("male")}
    assert expected in page


def test_registration_of_a_citizen_id_with_an_account_points_to_login_and_reset(client, form_data):
    existing = account(gender="female", birth_year=1990)
    form_data["citizen_id"] = existing.citizen_id

    response = client.post(REGISTER_URL, form_data)

    assert response.context["form"].has_error("citizen_id", "registered")
    assert_typed_values_kept(response, form_data)
    page = text_of(response)
    assert 'href="/accounts/login/"' in page
    assert 'href="/accounts/password-reset/"' in page
    assert Citizen.objects.filter(citizen_id=existing.citizen_id).count() == 1


def test_registration_of_a_citizen_id_an_officer_entered_sends_the_citizen_to_the_branch(
    client, form_data
):
    existing = CitizenFactory(gender="female", birth_year=1990)
    form_data["citizen_id"] = existing.citizen_id

    page = text_of(client.post(REGISTER_URL, form_data))

    assert (
        vietnamese(
            "This citizen ID has already been registered by your association branch. Ask the "
            "branch officer for your log-in details."
        )
        in page
    )
    assert Citizen.objects.get(pk=existing.pk).user is None


@pytest.mark.parametrize("holder", ["account", "citizen record"])
def test_registration_refuses_an_email_already_in_use(client, form_data, holder):
    if holder == "account":
        UserFactory(email="HOA@example.com")
    else:
        CitizenFactory(email="hoa@example.com")

    response = client.post(REGISTER_URL, form_data)

    assert response.context["form"].has_error("email", "taken")
    assert_typed_values_kept(response, form_data)
    assert not Citizen.objects.filter(citizen_id=form_data["citizen_id"]).exists()


def test_registration_page_lists_no_commune_before_a_province_is_chosen(client, areas):
    page = text_of(client.get(REGISTER_URL))
    assert areas["province"].name in page
    assert areas["commune"].name not in page
    assert areas["other_commune"].name not in page


def test_choosing_a_province_without_javascript_lists_its_communes_and_keeps_what_was_typed(
    client, form_data, areas
):
    form_data.update(step="communes", commune="", residential_area="")

    response = client.post(REGISTER_URL, form_data)

    assert response.status_code == 200
    page = text_of(response)
    assert areas["commune"].name in page
    assert areas["other_commune"].name not in page
    assert 'class="form-errors"' not in page
    assert 'class="field__error"' not in page
    assert_typed_values_kept(response, form_data)
    assert re.search(r'<select name="commune"[^>]*autofocus', page)
    assert not Citizen.objects.exists()


def test_choosing_a_commune_without_javascript_lists_its_residential_areas(
    client, form_data, areas
):
    form_data.update(step="areas", residential_area="")

    page = text_of(client.post(REGISTER_URL, form_data))

    assert areas["residential_area"].name in page
    assert areas["other_residential_area"].name not in page
    assert re.search(rf'<option value="{areas["commune"].pk}" selected>', page)
    assert 'class="field__error"' not in page


def test_choosing_another_province_without_javascript_forgets_the_old_commune(
    client, form_data, areas
):
    form_data.update(step="communes", province=str(areas["other_province"].pk))

    page = text_of(client.post(REGISTER_URL, form_data))

    assert areas["other_commune"].name in page
    assert areas["commune"].name not in page
    assert areas["residential_area"].name not in page


def test_area_children_returns_the_active_communes_of_a_province_only(client, areas):
    province = areas["province"]
    second = CommuneFactory(parent=province, name="Xã An Bình")
    CommuneFactory(parent=province, name="Xã Đã Sáp Nhập", is_active=False)

    response = client.get(f"/accounts/areas/{province.pk}/children.json")

    assert response.status_code == 200
    assert response.json() == {
        "areas": [
            {"id": second.pk, "name": "Xã An Bình"},
            {"id": areas["commune"].pk, "name": "Xã Gia Lộc"},
        ]
    }


def test_area_children_returns_the_residential_areas_of_a_commune(client, areas):
    response = client.get(f"/accounts/areas/{areas['commune'].pk}/children.json")
    assert response.json() == {
        "areas": [{"id": areas["residential_area"].pk, "name": "Thôn Phương Điếm"}]
    }


def test_area_children_is_404_for_an_unknown_or_childless_area(client, areas):
    assert client.get("/accounts/areas/999999/children.json").status_code == 404
    residential = areas["residential_area"]
    assert client.get(f"/accounts/areas/{residential.pk}/children.json").status_code == 404
    inactive = CommuneFactory(is_active=False)
    assert client.get(f"/accounts/areas/{inactive.pk}/children.json").status_code == 404


def test_area_children_query_count_does_not_grow_with_the_communes(
    client, areas, django_assert_num_queries
):
    CommuneFactory.create_batch(20, parent=areas["province"])
    with django_assert_num_queries(2):
        client.get(f"/accounts/areas/{areas['province'].pk}/children.json")


def test_login_by_citizen_id_typed_with_spaces(client, db):
    citizen = account()
    number = citizen.citizen_id
    response = client.post(
        LOGIN_URL,
        {"username": f"{number[:3]} {number[3:6]} {number[6:]}", "password": FACTORY_PASSWORD},
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == citizen.user_id


def test_login_by_the_account_email_ignores_case(client, db):
    user = UserFactory(email="thu.hang@example.com")
    response = client.post(
        LOGIN_URL, {"username": "Thu.Hang@Example.com", "password": FACTORY_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_by_the_email_on_the_citizen_record(client, db):
    citizen = account(email="lan@example.com")
    client.post(LOGIN_URL, {"username": "lan@example.com", "password": FACTORY_PASSWORD})
    assert int(client.session["_auth_user_id"]) == citizen.user_id


def test_login_by_username_for_staff(client, db):
    user = UserFactory(username="commune_officer")
    response = client.post(LOGIN_URL, {"username": "commune_officer", "password": FACTORY_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wagtail_admin_login_still_works_by_username(client, db):
    UserFactory(username="admin", is_superuser=True, is_staff=True)
    response = client.post("/admin/login/", {"username": "admin", "password": FACTORY_PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_login_form_asks_for_citizen_id_or_email(client, db):
    page = text_of(client.get(LOGIN_URL))
    assert f">{vietnamese('Citizen ID or e-mail')}" in page
    assert 'href="/accounts/register/"' in page
    assert 'href="/accounts/password-reset/"' in page


def test_login_with_a_wrong_password_says_so_and_keeps_the_identifier(client, db):
    citizen = account()
    response = client.post(LOGIN_URL, {"username": citizen.citizen_id, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "invalid_login")
    page = text_of(response)
    assert (
        vietnamese(
            "The citizen ID, e-mail or password is not right. Check them and try again; if you "
            "have forgotten your password, reset it by e-mail."
        )
        in page
    )
    assert f'value="{citizen.citizen_id}"' in page


def test_login_with_a_citizen_id_missing_its_leading_zero_says_so(client, db):
    citizen = account()
    response = client.post(
        LOGIN_URL, {"username": citizen.citizen_id.lstrip("0"), "password": FACTORY_PASSWORD}
    )
    assert response.context["form"].has_error("username", "length")
    assert "_auth_user_id" not in client.session


def test_login_is_paused_after_ten_failures_even_with_the_right_password(client, db):
    citizen = account()
    for _attempt in range(10):
        response = client.post(LOGIN_URL, {"username": citizen.citizen_id, "password": "wrong"})
    assert response.context["form"].has_error("__all__", "paused")

    response = client.post(
        LOGIN_URL, {"username": citizen.citizen_id, "password": FACTORY_PASSWORD}
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "paused")
    assert re.search(r"\d\d:\d\d", response.context["form"].non_field_errors()[0])
    assert "_auth_user_id" not in client.session


def test_a_paused_citizen_id_is_paused_however_it_is_typed(client, db):
    citizen = account()
    for _attempt in range(10):
        client.post(LOGIN_URL, {"username": citizen.citizen_id, "password": "wrong"})
    spaced = f"{citizen.citizen_id[:6]} {citizen.citizen_id[6:]}"
    response = client.post(LOGIN_URL, {"username": spaced, "password": FACTORY_PASSWORD})
    assert response.context["form"].has_error("__all__", "paused")


def test_a_pause_on_one_citizen_id_leaves_other_accounts_alone(client, db):
    paused, other = account(), account()
    for _attempt in range(10):
        client.post(LOGIN_URL, {"username": paused.citizen_id, "password": "wrong"})
    response = client.post(LOGIN_URL, {"username": other.citizen_id, "password": FACTORY_PASSWORD})
    assert response.status_code == 302


def test_login_is_paused_for_an_address_that_tries_many_identifiers(client, db, settings):
    settings.CDHT_LOGIN_FAILURES_PER_IP = 3
    citizen = account()
    for attempt in range(3):
        client.post(LOGIN_URL, {"username": f"guess{attempt}@example.com", "password": "x"})
    response = client.post(
        LOGIN_URL, {"username": citizen.citizen_id, "password": FACTORY_PASSWORD}
    )
    assert response.context["form"].has_error("__all__", "paused")


def test_a_pause_also_holds_on_the_admin_login(client, db):
    UserFactory(username="officer", is_superuser=True, is_staff=True)
    for _attempt in range(10):
        client.post(LOGIN_URL, {"username": "officer", "password": "wrong"})
    client.post("/admin/login/", {"username": "officer", "password": FACTORY_PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_citizen_with_a_temporary_password_must_choose_one_at_login(client, db):
    citizen = account(must_change_password=True)

    response = client.post(
        LOGIN_URL,
        {"username": citizen.citizen_id, "password": FACTORY_PASSWORD, "next": "/en/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-change/?next=%2Fen%2F"
    form_page = client.get(response["Location"])
    assert "old_password" not in form_page.context["form"].fields
    assert vietnamese("Choose your own password") in text_of(form_page)

    response = client.post(
        "/accounts/password-change/",
        {"new_password1": PASSWORD, "new_password2": PASSWORD, "next": "/en/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    citizen.refresh_from_db()
    assert citizen.must_change_password is False
    assert citizen.user.check_password(PASSWORD)
    assert int(client.session["_auth_user_id"]) == citizen.user_id  # still logged in


def test_a_citizen_with_their_own_password_goes_straight_on_and_changes_with_the_old_one(
    client, db
):
    citizen = account()
    response = client.post(
        LOGIN_URL, {"username": citizen.citizen_id, "password": FACTORY_PASSWORD}
    )
    assert response["Location"] == "/"
    form_page = client.get("/accounts/password-change/")
    assert "old_password" in form_page.context["form"].fields


def test_password_change_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get("/accounts/password-change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def reset_link(message):
    return re.search(r"https?://[^/\s]+(/\S+/)", message.body).group(1)


def test_password_reset_sends_a_working_link_and_clears_a_temporary_password(client, db):
    citizen = account(must_change_password=True)
    citizen.user.email = "hoa@example.com"
    citizen.user.save()

    response = client.post("/accounts/password-reset/", {"email": "HOA@example.com"})

    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hoa@example.com"]
    link = reset_link(mail.outbox[0])
    assert link.startswith("/accounts/password-reset/")
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response["Location"] == "/accounts/password-reset/complete/"
    citizen.refresh_from_db()
    assert citizen.user.check_password(PASSWORD)
    assert citizen.must_change_password is False
    assert int(client.session["_auth_user_id"]) == citizen.user_id
    assert client.get(link).context["validlink"] is False  # one use only


def test_password_reset_reaches_an_email_kept_on_the_citizen_record_only(client, db):
    account(email="lan@example.com")
    client.post("/accounts/password-reset/", {"email": "lan@example.com"})
    assert [message.to for message in mail.outbox] == [["lan@example.com"]]


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client, db):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_header_offers_registration_to_anonymous_visitors_only(client, db):
    assert 'href="/accounts/register/"' in client.get(LOGIN_URL).content.decode()
    citizen = account()
    client.force_login(citizen.user)
    assert (
        'href="/accounts/register/"'
        not in client.get("/accounts/password-change/").content.decode()
    )


def test_registered_visitors_are_sent_home_from_the_registration_page(client, db):
    client.force_login(account().user)
    assert client.get(REGISTER_URL)["Location"] == "/"


def test_registration_in_english_lands_on_the_english_self_assessment(client, form_data):
    assert client.post("/en" + REGISTER_URL, form_data)["Location"] == "/en/assessments/"


@override_settings(CDHT_AFTER_REGISTRATION_URL=None)
def test_a_host_without_a_registration_landing_sends_new_citizens_home(client, form_data):
    assert client.post("/en" + REGISTER_URL, form_data)["Location"] == "/en/"


def test_the_service_refuses_a_province_as_a_citizens_area(form_data, areas):
    """What the form would never send: a citizen lives in a commune or a residential area."""
    with pytest.raises(ValidationError) as error:
        citizen_register(
            citizen_id=form_data["citizen_id"],
            full_name="Nguyễn Thị Hoa",
            gender="female",
            birth_year=1990,
            area=areas["province"],
            target_group=1,
            password=PASSWORD,
            consent=True,
        )
    assert "area" in error.value.message_dict
    assert not get_user_model().objects.filter(username=form_data["citizen_id"]).exists()
