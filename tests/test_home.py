import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Page, Site

from home.models import HomePage


def test_load_demo_is_idempotent(demo_site):
    counts = (Page.objects.count(), get_user_model().objects.count(), Site.objects.count())
    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
    assert (Page.objects.count(), get_user_model().objects.count(), Site.objects.count()) == counts
    assert HomePage.objects.filter(locale__language_code="vi").count() == 1
    assert HomePage.objects.filter(locale__language_code="en").count() == 1


def test_load_demo_creates_one_user_per_role_with_working_passwords(demo_site, client):
    for username, password in [
        ("admin", "cdht-demo-admin"),
        ("editor", "cdht-demo-editor"),
        ("citizen", "cdht-demo-citizen"),
        ("branch_officer", "cdht-demo-branch"),
        ("commune_officer", "cdht-demo-commune"),
        ("province_officer", "cdht-demo-province"),
    ]:
        assert client.login(username=username, password=password), username
    assert get_user_model().objects.get(username="admin").is_superuser
    assert get_user_model().objects.get(username="editor").groups.filter(name="Editors").exists()


def test_load_demo_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_home_page_renders_in_vietnamese_by_default(demo_site, client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Mỗi người dân là một công dân học tập" in html
    assert "Đăng nhập" in html
    assert "Cách tham gia" in html


def test_home_page_renders_in_english_under_en_prefix(demo_site, client):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Every citizen a learning citizen" in html
    assert "Skip to main content" in html


def test_language_switch_redirects_to_the_translated_url(demo_site, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    response = client.post("/en/i18n/setlang/", {"language": "vi", "next": "/en/"})
    assert response["Location"] == "/"


def test_admin_is_served_at_admin(demo_site, client):
    client.login(username="editor", password="cdht-demo-editor")
    assert client.get("/admin/").status_code == 200


def test_login_page_logs_a_user_in(demo_site, client):
    response = client.post(
        "/accounts/login/", {"username": "citizen", "password": "cdht-demo-citizen"}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "citizen"


def test_login_page_keeps_the_username_and_explains_a_wrong_password(demo_site, client):
    response = client.post("/accounts/login/", {"username": "citizen", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="citizen"' in html
    assert "Vui lòng sửa các lỗi dưới đây." in html


def test_a_signed_in_citizen_is_led_to_this_years_self_assessment_not_to_register(
    demo_site, client
):
    client.login(username="citizen", password="cdht-demo-citizen")

    html = client.get("/").content.decode()

    assert 'href="/accounts/register/"' not in html
    assert f"Tự đánh giá năm {timezone.localdate().year} của tôi" in html
    assert 'class="button button--primary" href="/assessments/"' in html


def test_a_visitor_is_still_offered_registration(demo_site, client):
    html = client.get("/").content.decode()

    assert 'class="button button--primary" href="/accounts/register/"' in html


def test_the_english_home_page_leads_a_signed_in_citizen_to_the_english_self_assessment(
    demo_site, client
):
    client.login(username="citizen", password="cdht-demo-citizen")

    html = client.get("/en/").content.decode()

    assert "/accounts/register/" not in html.split('class="hero__actions"')[1].split("</p>")[0]
    assert f"My {timezone.localdate().year} self-assessment" in html
    assert 'class="button button--primary" href="/en/assessments/"' in html
