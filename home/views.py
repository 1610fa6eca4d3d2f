"""Site search, robots.txt: the public site's views outside the page tree."""

import re

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from learning_units.search import public_documents_matching, search_summary
from learning_units.text import search_key

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 100


def search_words(query):
    """The words of a query, accents removed, without punctuation: quotes, brackets and the
    like are full-text syntax to SQLite's FTS5 and PostgreSQL's tsquery (a lone `"` was a
    syntax error there), and PostgreSQL refuses a NUL byte in any text."""
    return re.findall(r"\w+", search_key(query))


@require_GET
def search(request):
    """Pages of the visitor's language matching every word, accents or not, and the public
    documents whose title does (learning_units.search); documents head the first page."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = pages = None
    documents = []
    first_page = True
    if query:
        words = search_words(query)
        matches = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .search(" ".join(words), operator="and")
            if words
            else Page.objects.none()  # punctuation only: nothing to look for
        )
        results = Paginator(matches, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        # One query per page type on the page of results, not one per result.
        specific = Page.objects.filter(pk__in=[page.pk for page in results]).specific().in_bulk()
        pages = [specific[page.pk] for page in results if page.pk in specific]
        for page in pages:
            page.kind_label = page._meta.verbose_name
            page.summary_text = search_summary(page)
        documents = public_documents_matching(words) if words else []
        first_page = results.number == 1
    return render(
        request,
        "home/search_results.html",
        {
            "query": query,
            "results": results,
            "pages": pages,
            "documents": documents if first_page else [],
            "count": results.paginator.count + len(documents) if query else 0,
        },
    )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
