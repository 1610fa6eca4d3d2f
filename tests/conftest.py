import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation


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
