import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser


@pytest.fixture
def live_demo(transactional_db, live_server):
    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
    return live_server


def test_home_page_switches_from_vietnamese_to_english(live_demo, phone_page, output_dir):
    page = phone_page
    page.goto(live_demo.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Mỗi người dân là một công dân học tập"
    )
    page.screenshot(path=output_dir / "home-vi.png", full_page=True)

    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_demo.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Every citizen a learning citizen"
    assert page.get_by_role("link", name="Log in", exact=True).is_visible()
    page.screenshot(path=output_dir / "home-en.png", full_page=True)

    page.get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url(f"{live_demo.url}/")
    assert page.get_by_role("link", name="Đăng nhập", exact=True).is_visible()
