"""Whole-page cache of the public pages for anonymous visitors, purged exactly by tags.

A view that may be shared *declares* it (`declare`) with the tags of what it shows — ``page:12``
(a Wagtail page and the pages it lists), ``area:VN/31/`` (recognitions and figures of an area
and everything under it), ``verify:<code>`` — before it reads anything; the current token of
each tag is read at that moment. `PublicPageCacheMiddleware` stores the finished page under its
URL (scheme, host, language, path and query) with those tokens, and answers a later request for
the URL from the cache only while every tag still has the same token. `public_pages_changed`
deletes tokens after the transaction that changed the data commits: every variant of every page
showing it (years, page numbers, filters) is stale at once, a page rendered from older rows is
never stored as fresh, and an evicted token is only a miss. Why not Django's per-site cache or
wagtail-cache: docs/deploy.md ("Public page cache").

Only a request without a session or messages cookie is answered from the cache or stored, and
only a 200 HTML response that set no cookie and rendered no CSRF token is stored: a logged-in
visitor, a form or a message is never shared. Stored pages are sent gzip-compressed (they hold
no secret, so BREACH has nothing to find), with ETag, Last-Modified and a short public
Cache-Control for a front proxy; answers to visitors with a session are ``private, no-store``.
"""

import gzip
import hashlib
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language_from_path

from . import jurisdiction
from .conf import setting

# Sent after a purge, with `area_paths` (each changed area, not yet widened to its ancestors),
# for caches of the layers above that hold what these pages show (reports' public figures).
public_pages_purged = Signal()

MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
MAX_BODY_BYTES = 2 * 1024 * 1024
# Headers the layers outside this middleware set again on every answer, or that depend on the
# answer's encoding.
NOT_STORED = {"set-cookie", "content-length", "content-encoding", "date", "x-page-cache"}
STATE = "_public_page_cache"  # request attribute: "eligible", or (tags, tokens) once declared


# Criteria sets' English text (assessments.services.criteria.criteria_set_translate) shows on
# public pages through blocks, band labels and targets: every stored page carries this tag, and a
# translation, a rare editor's act, purges them all rather than guessing which pages quote it.
CRITERIA_TEXT_TAG = "criteria-text"


def page_tag(page_id):
    return f"page:{page_id}"


def area_tag(path):
    return f"area:{path}"


def verification_tag(code):
    return f"verify:{code}"


def _cache():
    return caches[setting("PAGE_CACHE_ALIAS")]


def _token_key(tag):
    return f"cdht:pagetag:{tag}"


def _tokens(tags):
    """The current token of each tag, creating the missing ones (first writer wins)."""
    cache = _cache()
    keys = [_token_key(tag) for tag in tags]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        timeout = setting("PAGE_CACHE_SECONDS") * 2
        for key in missing:
            cache.add(key, secrets.token_hex(8), timeout=timeout)
        found.update(cache.get_many(missing))
    return tuple(found.get(key) for key in keys)


# --- Declaring and purging ----------------------------------------------------------------------


def shareable(request):
    """Whether this request's page may still be declared: an anonymous GET, the cache on."""
    return getattr(request, STATE, None) == "eligible"


def declare(request, tags):
    """Let this anonymous request's page be shared, as long as `tags` are not purged.

    Call it before reading what the page shows. Does nothing for a visitor who is not
    anonymous, or when the cache is off.
    """
    if not shareable(request):
        return
    tags = tuple(dict.fromkeys((*tags, CRITERIA_TEXT_TAG)))
    setattr(request, STATE, (tags, _tokens(tags)))


def purge(tags):
    """Make every stored page carrying one of `tags` stale now (not waiting for a commit)."""
    if tags:
        _cache().delete_many([_token_key(tag) for tag in set(tags)])


def cached_under(tags, key, build):
    """`build()`, kept in the page cache's storage until one of `tags` is purged.

    For answers the middleware does not store (a signed status list, JSON): the tokens are read
    before `build` reads the database, as `declare` does, so a value built from rows older than
    a purge is never kept as fresh. Only with the page cache on (CDHT_PAGE_CACHE), the switch
    that says every process shares this cache: otherwise a purge made by another process (the
    worker, a shell) could not reach a value kept in this one.
    """
    if not setting("PAGE_CACHE"):
        return build()
    tokens = _tokens(tuple(dict.fromkeys(tags)))
    entry = _cache().get(key)
    if entry is not None and entry[0] == tokens:
        return entry[1]
    value = build()
    if None not in tokens:
        _cache().set(key, (tokens, value), timeout=setting("PAGE_CACHE_SECONDS"))
    return value


def public_pages_changed(*, area_paths=(), verification_codes=(), tags=()):
    """What public pages show has changed: purge them once the transaction commits.

    The one entry for every change of the public record — recognition, revocation, listing
    opt-out (`area_paths`, `verification_codes`) and page publishing (`tags`). An area path
    purges the pages of that area and of every area above it (a province's listing and figures
    include its communes').
    """
    area_paths = sorted(set(area_paths))
    tags = [
        *(
            area_tag(path)
            for changed in area_paths
            for path in jurisdiction.ancestor_paths(changed)
        ),
        *(verification_tag(code) for code in verification_codes),
        *tags,
    ]

    def run():
        purge(tags)
        public_pages_purged.send(sender=None, area_paths=area_paths)

    transaction.on_commit(run, robust=True)


# --- The middleware -----------------------------------------------------------------------------


def _anonymous(request):
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def _key(request):
    """Scheme, host, language and full path: the English and Vietnamese copies never mix."""
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"cdht:page:{language}:{digest}"


def _storable(request, response):
    state = getattr(request, STATE, None)
    if not isinstance(state, tuple) or request.method != "GET" or None in state[1]:
        return False
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and response.get("Content-Type", "").startswith("text/html")
        and len(response.content) <= MAX_BODY_BYTES
    )


def _shared_headers(response):
    """Cache-Control, Vary and validators of a page every anonymous visitor may share."""
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=setting("PAGE_CACHE_PROXY_SECONDS")
    )
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))


def _encode(request, response, body, compressed):
    """Send the gzip copy to clients that take it, the plain body to others."""
    if compressed is not None and re_accepts_gzip.search(
        request.headers.get("Accept-Encoding", "")
    ):
        response.content = compressed
        response["Content-Encoding"] = "gzip"
    else:
        response.content = body
    response["Content-Length"] = str(len(response.content))


def _store(request, response):
    tags, tokens = getattr(request, STATE)
    body = response.content
    compressed = gzip.compress(body, compresslevel=6, mtime=0)
    compressed = compressed if len(compressed) < len(body) else None
    _shared_headers(response)
    response["ETag"] = quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())
    modified = int(time.time())
    response["Last-Modified"] = http_date(modified)
    entry = {
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.items() if k.lower() not in NOT_STORED],
        "body": compressed if compressed is not None else body,
        "compressed": compressed is not None,
        "etag": response["ETag"],
        "modified": modified,
        "tags": tags,
        "tokens": tokens,
    }
    _cache().set(_key(request), entry, timeout=setting("PAGE_CACHE_SECONDS"))
    _encode(request, response, body, compressed)
    response["X-Page-Cache"] = "miss"
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=modified, response=response
    )


def _from_cache(request):
    entry = _cache().get(_key(request))
    if entry is None or _tokens_now(entry["tags"]) != entry["tokens"]:
        return None
    response = HttpResponse(status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    if entry["compressed"]:
        body, compressed = gzip.decompress(entry["body"]), entry["body"]
    else:
        body, compressed = entry["body"], None
    _encode(request, response, body, compressed)
    response["X-Page-Cache"] = "hit"
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["modified"], response=response
    )


def _tokens_now(tags):
    """The current tokens, without creating missing ones (a missing token is a miss)."""
    keys = [_token_key(tag) for tag in tags]
    found = _cache().get_many(keys)
    return tuple(found.get(key) for key in keys)


class PublicPageCacheMiddleware:
    """Answers anonymous visitors from the page cache and stores what views declared.

    Place it after SecurityMiddleware, the CSP middleware and WhiteNoise and before
    SessionMiddleware: a hit then costs no session, no database and no template, and still
    gets the security headers of the outer layers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not setting("PAGE_CACHE"):
            return self.get_response(request)
        if request.method in ("GET", "HEAD") and _anonymous(request):
            try:
                hit = _from_cache(request)
            except DisallowedHost:
                return self.get_response(request)  # the inner layers answer 400
            if hit is not None:
                return hit
            setattr(request, STATE, "eligible")
        response = self.get_response(request)
        if _storable(request, response):
            return _store(request, response)
        personal = (  # a logged-in visitor's page, a form's token, a message
            not _anonymous(request)
            or response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
        if personal and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
