"""A province officer opens the dashboard, drills down to a commune and exports the report."""

import io

import pytest
from django.core.management import call_command
from django.utils.translation import gettext
from openpyxl import load_workbook

pytestmark = pytest.mark.browser


@pytest.fixture
def live_demo(transactional_db, live_server):
    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
    return live_server


def test_province_officer_drills_down_and_exports(live_demo, browser, output_dir):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(live_demo.url + "/admin/login/")
    page.fill("input[name=username]", "province_officer")
    page.fill("input[name=password]", "cdht-demo-province")
    page.click("button[type=submit]")
    page.wait_for_selector(".cdht-report-panel")
    page.screenshot(path=output_dir / "admin-home-panel.png", full_page=True)

    page.locator(".cdht-report-panel a.button").click()
    page.wait_for_selector(".cdht-report__table")
    page.screenshot(path=output_dir / "province-report.png", full_page=True)
    page.locator(".cdht-report__table tbody th a", has_text="Gia Lộc").first.click()
    page.wait_for_selector("text=Xã Gia Lộc")
    assert page.locator("svg[role=img] > title").count() == 2
    page.screenshot(path=output_dir / "commune-report.png", full_page=True)

    screen_total = page.locator(".cdht-report__table tfoot td").evaluate_all(
        "cells => cells.map(cell => cell.dataset.value)"
    )
    with page.expect_download() as download:
        page.locator("a[href*='export.xlsx']").click()
    path = output_dir / "commune.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1][1] == "Xã Gia Lộc"
    total = next(row for row in rows if row[0] == gettext("Total"))
    exported = ["" if value is None else value for value in total[1 : len(screen_total) + 1]]
    assert [float(v) if v != "" else "" for v in exported] == [
        float(v) if v != "" else "" for v in screen_total
    ]
    context.close()
