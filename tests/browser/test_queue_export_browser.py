"""The commune officer of the demo downloads the queue from the header's “Download XLSX” and
opens the decision form of the bulk “Recognise”: the issuing area is their commune, as text."""

import openpyxl
import pytest

pytestmark = pytest.mark.browser

HEADINGS = ("Tên", "Khu dân cư", "Nhóm đối tượng", "Năm", "Trạng thái", "Điểm")


def test_commune_officer_downloads_the_queue_and_sees_the_issuing_area(
    live_demo, desktop_page, output_dir
):
    page, base = desktop_page, live_demo.url
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "commune_officer")
    page.fill("#id_password", "cdht-demo-commune")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base}/admin/")

    page.goto(f"{base}/admin/assessments/review/?status=verified")
    page.locator("header .w-dropdown__toggle").first.click()
    download_link = page.locator("header a[href*='export=xlsx']")
    download_link.wait_for()
    page.wait_for_timeout(500)  # the dropdown fades in: let the screenshot show it whole
    page.screenshot(path=output_dir / "1-queue-downloads.png")
    with page.expect_download() as download:
        download_link.click()
    path = output_dir / download.value.suggested_filename
    download.value.save_as(path)

    assert path.name.startswith("hang-doi-danh-gia-da-tham-dinh-")
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][: len(HEADINGS)] == HEADINGS
    assert len(rows) > 1 and all(row[4] == "Đã thẩm định" for row in rows[1:])

    page.locator("input.bulk-action-checkbox").first.check()
    page.locator("[data-bulk-action-footer]").get_by_role("link", name="Công nhận").click()
    area = page.locator("#id_issuing_area")
    area.wait_for()
    page.screenshot(path=output_dir / "2-decision-form.png", full_page=True)

    assert area.inner_text().strip() == "Xã Gia Lộc"
    assert page.locator("select[name=issuing_area]").count() == 0
    page.locator("#id_signer").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_issuing_area"
