"""The officers' screens as a commune officer sees them on a laptop: the admin home with what
waits first, the queue with "select all matching" across its pages, the report's table with
its header and area column kept in view. Screenshots go to test-output/ to be looked at."""

import pytest

from assessments.models import Assessment, AssessmentStatus
from tests.browser.test_review_browser import admin_login

pytestmark = pytest.mark.browser


def test_commune_officer_home_queue_and_report(live_demo, desktop_page, output_dir):
    base, page = live_demo.url, desktop_page
    admin_login(page, base, "commune_officer", "cdht-demo-commune")

    panel = page.locator(".cdht-waiting-panel")
    assert panel.is_visible()
    first = page.locator("main .panel").first
    assert first.get_attribute("class").count("cdht-waiting-panel")
    page.screenshot(path=output_dir / "admin-home.png", full_page=True)
    # Labels wrap instead of being cut off: the longest fits in its line box.
    label = page.locator(".sidebar-menu-item .menuitem-label", has_text="Giấy chứng nhận")
    assert label.evaluate("el => el.scrollWidth <= el.clientWidth + 1")

    panel.locator("a", has_text="Đã thẩm định").click()
    page.wait_for_url("**/assessments/review/?status=verified")
    verified = Assessment.objects.filter(status=AssessmentStatus.VERIFIED).count()
    if verified > 50:  # the demo has more than a page: the queue offers all of them
        page.locator("thead .bulk-actions-filter-checkbox input").check()
        offer = page.locator("[data-bulk-action-num-objects-in-listing]")
        assert offer.is_visible()
    page.screenshot(path=output_dir / "queue.png", full_page=True)

    page.goto(f"{base}/admin/reports/")
    header = page.locator(".cdht-report__table thead th").first
    assert header.evaluate("el => getComputedStyle(el).position") == "sticky"
    page.screenshot(path=output_dir / "report.png", full_page=True)
    page.locator(".cdht-report__table thead th a").nth(3).click()
    page.wait_for_url("**sort=-4**")
    table = page.locator(".cdht-report__scroll")
    table.scroll_into_view_if_needed()
    table.evaluate("el => el.scrollTo(400, 0)")
    table.screenshot(path=output_dir / "report-table-scrolled.png")
    # Scrolled sideways, the area column stays where it was.
    area = page.locator(".cdht-report__table tbody th").first
    assert area.evaluate("el => el.getBoundingClientRect().left") >= table.evaluate(
        "el => el.getBoundingClientRect().left"
    )
