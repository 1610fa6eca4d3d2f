"""Browser tests drive Debian's Chromium through Playwright (not its own browser download)."""

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by fixtures
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OUTPUT_ROOT = Path(__file__).resolve().parents[2] / "test-output"


def chromium_path():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("Chromium is missing: run `make system-deps` (installs Debian's chromium).")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def output_dir(request):
    """A folder for this test's screenshots: test-output/<test name>/."""
    path = OUTPUT_ROOT / re.sub(r"[^\w.-]+", "_", request.node.name)
    path.mkdir(parents=True, exist_ok=True)
    return path


def page_in_viewport(browser, width, height, **options):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN", **options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def phone_page(browser):
    """A page in a phone-sized viewport (390×844), Vietnamese browser locale."""
    context, page = page_in_viewport(browser, 390, 844)
    yield page
    context.close()


@pytest.fixture
def live_demo(transactional_db, live_server):
    """The live server with the demo site, people and users of `load_demo`."""
    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
    return live_server


@pytest.fixture
def desktop_page(browser):
    """A page in a laptop-sized viewport (1280×900), as officers use the admin."""
    context, page = page_in_viewport(browser, 1280, 900)
    yield page
    context.close()
