"""The home page through Wagtail vs. a bare Django view rendering the same fields."""

import io

from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import Client

from bench.harness import compare

PLAIN = Template(
    "<html><body><h1>{{ hero_title }}</h1><p>{{ hero_intro }}</p>{{ body|safe }}</body></html>"
)


def bench_home_page_vs_plain_render():
    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
    client = Client()

    def wagtail_home():
        response = client.get("/")
        assert response.status_code == 200

    def plain_render():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT h.hero_title, h.hero_intro, h.body FROM home_homepage h "
                "JOIN wagtailcore_page p ON p.id = h.page_ptr_id "
                "JOIN wagtailcore_locale l ON l.id = p.locale_id WHERE l.language_code = %s",
                ["vi"],
            )
            hero_title, hero_intro, body = cursor.fetchone()
        PLAIN.render(Context({"hero_title": hero_title, "hero_intro": hero_intro, "body": body}))

    return compare(
        "home page (Wagtail) vs raw SQL + plain template",
        wagtail_home,
        plain_render,
        note="Whole request through middleware and Wagtail routing vs. one query and a render.",
    )
