"""No dead ends in English: every page of the demo has its English copy (made by the loader),
and every link on the English site answers."""

import re
from collections import deque

import pytest
from wagtail.models import Locale, Page

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/en/[^"#?]*)"')


def test_every_demo_page_has_a_live_english_copy(demo_site):
    english = Locale.objects.get(language_code="en")
    vietnamese = Page.objects.live().filter(locale__language_code="vi", depth__gt=1)
    missing = [
        page.url_path
        for page in vietnamese.specific()
        if not Page.objects.live().filter(translation_key=page.translation_key, locale=english)
    ]
    assert missing == []


def test_every_link_of_the_english_site_answers(demo_site, client):
    seen, queue, broken = {"/en/"}, deque(["/en/"]), []
    while queue and len(seen) < 400:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code in (301, 302):
            continue  # log-in required, or a trailing slash: the target is checked by its own test
        if response.status_code != 200:
            broken.append((path, response.status_code))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert broken == []
    # The pages this test is about are reached, in English.
    assert any("/tai-lieu-hoc-tap/" in path for path in seen)
    assert len(seen) > 15
