"""The commune page (inherited listings, contact, officers) vs. a bare Wagtail page."""

import io

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from bench.harness import compare
from home.models import CommunePage, GuidancePage, HomePage

COMMUNE_URL = "/hai-phong/gia-loc/"
BARE_URL = "/bench-bare-page/"
EXTRA_GUIDANCE = 100


def bench_commune_page_vs_bare_wagtail_page():
    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
    home = HomePage.objects.get(locale__language_code="vi")
    if not Page.objects.filter(slug="bench-bare-page").exists():
        home.add_child(instance=Page(title="Trang trống", slug="bench-bare-page"))
    commune = CommunePage.objects.get(area__code="10999", locale__language_code="vi")
    for number in range(EXTRA_GUIDANCE):
        commune.add_child(instance=GuidancePage(title=f"Hướng dẫn {number}", intro="…", body=[]))
    client = Client()

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, url

    queries = {}
    for url in (COMMUNE_URL, BARE_URL):
        get(url)
        with CaptureQueriesContext(connection) as captured:
            get(url)
        queries[url] = len(captured)
    return compare(
        f"commune page ({EXTRA_GUIDANCE}+ guidance children) vs bare Wagtail page",
        lambda: get(COMMUNE_URL),
        lambda: get(BARE_URL),
        note=(
            f"Queries: commune page {queries[COMMUNE_URL]}, bare page {queries[BARE_URL]} "
            "(the commune page's count does not grow with its children)."
        ),
    )
