import io

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_site(db):
    """The demo page tree and users, as `load_demo` makes them."""
    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
