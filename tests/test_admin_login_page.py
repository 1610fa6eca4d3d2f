"""The admin login page speaks one language, and still logs officers in."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def login_form(client):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    return re.sub(r"\s+", " ", html.split('<form class="login-form"', 1)[1].split("</form>")[0])


def test_the_admin_login_labels_and_placeholders_are_vietnamese(client):
    form = login_form(client)

    assert 'for="id_password" id="id_password-label"> Mật khẩu<' in form
    assert 'placeholder="Nhập tên đăng nhập của bạn"' in form
    assert "Password" not in form and "nhậpcủa" not in form


def test_the_admin_login_still_logs_an_officer_in(client):
    user = UserFactory(username="can-bo-xa")
    user.set_password("mật-khẩu-dài-đủ-an-toàn")
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))

    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "can-bo-xa", "password": "mật-khẩu-dài-đủ-an-toàn"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
