import json

import pytest
from django.conf import settings
from wagtail.models import Locale, Page, Site

from home.models import HomePage
from learning_units.models import Citizen
from tests.factories import CommuneFactory, ProvinceFactory, ResidentialAreaFactory, make_citizen_id

pytestmark = pytest.mark.browser

PASSWORD = "hoc-tap-suot-doi-2025"


@pytest.fixture
def live_site(transactional_db, live_server):
    """The demo home page (where registration lands) and one small test province.

    Built here rather than by load_demo: the flush after an earlier transactional test removes
    what Wagtail's migrations created (root page, locale, groups), which load_demo relies on.
    """
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    demo = settings.BASE_DIR / "fixtures" / "demo" / "home_page.json"
    content = json.loads(demo.read_text(encoding="utf-8"))["vi"]
    home = root.add_child(instance=HomePage(slug="test-home", locale=locale, **content))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    province = ProvinceFactory(name="Tỉnh Thử Nghiệm")
    commune = CommuneFactory(parent=province, name="Xã Học Tập")
    ResidentialAreaFactory(parent=commune, name="Thôn Khuyến Học")
    return live_server


def test_citizen_registers_on_a_phone_logs_out_and_logs_back_in_by_citizen_id(
    live_site, phone_page, output_dir
):
    page = phone_page
    citizen_id = make_citizen_id(1988, "female")
    page.goto(live_site.url + "/")
    page.get_by_role("link", name="Đăng ký tham gia").click()
    page.wait_for_url(f"{live_site.url}/accounts/register/")
    page.screenshot(path=output_dir / "1-register-empty.png", full_page=True)

    page.fill("#id_citizen_id", citizen_id)
    page.fill("#id_full_name", "Phạm Thị Thu Hằng")
    page.check("input[name=gender][value=female]")
    page.fill("#id_birth_year", "1988")
    # JavaScript replaces the no-JS "choose" buttons by lists fetched as the choices are made.
    assert page.locator("[data-area-step]").first.is_hidden()
    page.select_option("#id_province", label="Tỉnh Thử Nghiệm")
    page.select_option("#id_commune", label="Xã Học Tập")
    page.select_option("#id_residential_area", label="Thôn Khuyến Học")
    page.check("input[name=target_group][value='2']")
    page.fill("#id_occupation", "Thợ may")
    page.fill("#id_email", "thuhang@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_consent")
    page.screenshot(path=output_dir / "2-register-filled.png", full_page=True)

    page.locator("form button.button--primary").click()
    page.wait_for_url(f"{live_site.url}/assessments/")  # straight to the self-assessment
    assert page.locator(".message--success").is_visible()
    assert Citizen.objects.get(citizen_id=citizen_id).area.name == "Thôn Khuyến Học"
    page.screenshot(path=output_dir / "3-registered-home.png")

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{live_site.url}/")
    page.get_by_role("link", name="Đăng nhập", exact=True).click()
    page.fill("#id_username", citizen_id)
    page.fill("#id_password", PASSWORD)
    page.screenshot(path=output_dir / "4-login.png", full_page=True)
    page.locator("form button.button--primary").click()
    page.wait_for_url(f"{live_site.url}/")
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
    page.screenshot(path=output_dir / "5-logged-in-again.png")
