import datetime
import io
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
