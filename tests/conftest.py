import datetime
import io
import logging
import os
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

# CDHT_TEST_TODAY=2027-01-15 runs the whole session as if it were that day (09:00 in the site's
# time zone, the clock ticking from there), so the suite proves it passes on any date: in January,
# when last year's round may still be closing, and on 31 December. .ci/run uses it.
TODAY_VARIABLE = "CDHT_TEST_TODAY"
_travel = None


def pytest_configure(config):
    global _travel
    value = os.environ.get(TODAY_VARIABLE)
    if not value:
        return
    day = datetime.date.fromisoformat(value)
    moment = datetime.datetime.combine(
        day, datetime.time(9), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )
    _travel = time_machine.travel(moment, tick=True)
    _travel.start()


def pytest_unconfigure(config):
    if _travel is not None:
        _travel.stop()


def pytest_report_header(config):
    if _travel is not None:
        return f"{TODAY_VARIABLE}: the clock starts at {os.environ[TODAY_VARIABLE]} 09:00"


@pytest.fixture
def demo_site(db):
    """The demo page tree and users, as `load_demo` makes them."""
    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())


PUBLIC_HOST = "hoikhuyenhoc.example.vn"


@pytest.fixture
def public_site(db):
    """The default Wagtail Site served at https://hoikhuyenhoc.example.vn: certificates' QR codes
    and Open Badges ids are built on it (assessments.certificates.addresses)."""
    from wagtail.models import Page, Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True, root_page=Page.objects.filter(depth=2).first())
    site.hostname, site.port = PUBLIC_HOST, 443
    site.save()  # Wagtail forgets its cached site roots
    return site


@pytest.fixture(autouse=True, scope="session")
def issuer_key():
    """The Open Badges 3.0 signing key, made once per test process in its own temporary folder
    (CDHT_ISSUER_KEY_DIR of the test settings); tests of rotation override the folder."""
    from assessments.certificates import keys

    keys.generate_key()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: cached figures and counters are keyed by ids,
    which another test's rows may have had."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language (Vietnamese), whatever a previous test's
    request activated in this thread, so messages asserted in tests do not depend on order."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


SERVER_ERROR_MARKER = "server_error_expected"


class ServerErrors(logging.Handler):
    """Keeps what `django.request` logs about responses with a 5xx status."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        if getattr(record, "status_code", 500) >= 500:
            self.records.append(record)


@pytest.fixture(autouse=True)
def no_server_errors(request):
    """Fail any test during which a request ended in a server error (issue 18), even when the
    test looked only at something else. The Django test client re-raises a view's exception,
    but a view that catches it and answers 500 itself, or a test that catches the exception,
    would hide it. A test that causes one on purpose says so:
    `@pytest.mark.server_error_expected`."""
    handler = ServerErrors()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if handler.records and request.node.get_closest_marker(SERVER_ERROR_MARKER) is None:
        seen = "\n".join(
            f"{record.getMessage()}"
            + (f" ({record.exc_info[0].__name__}: {record.exc_info[1]})" if record.exc_info else "")
            for record in handler.records
        )
        pytest.fail(
            f"A request ended in a server error (mark the test {SERVER_ERROR_MARKER} if it is "
            f"meant to):\n{seen}",
            pytrace=False,
        )
