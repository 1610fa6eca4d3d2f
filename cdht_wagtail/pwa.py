"""The site as an installable web app: its manifest and its service worker.

The service worker is served by Django at the site root (/sw.js), so that its scope is the whole
site, with the static files and the page addresses of this deployment written into it. It keeps
the app shell (the few static files every page needs) and the pages that ask to be kept offline
with a response header (`assessments.views.offline.OFFLINE_HEADER`: the self-assessment's step
pages, which name their user in it). It keeps one user's pages at a time, forgets them at log-in
and log-out, and never touches the admin. What it does is in templates/pwa/service_worker.js.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from assessments.views.offline import OFFLINE_HEADER

THEME_COLOUR = "#0b5d3b"  # --c-primary of css/site.css
# What every page needs: kept at installation, then served from the device.
SHELL = [
    "css/site.css",
    "js/pwa.js",
    "assessments/self_assessment.js",
    "assessments/offline.js",
    "assessments/offline.css",
    "icons/icon-192.png",
]
ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/maskable-512.png", "512x512", "maskable"),
]


def _shell_version(urls):
    """Changes whenever a shell file does: its address (hashed names in production) or, where
    names are not hashed (development), its content."""
    digest = hashlib.sha256("\n".join(urls).encode())
    for path in SHELL:
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:16]


def _in_every_language(name):
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.append(reverse(name))
    return sorted(set(paths))


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request):
    shell = [static(path) for path in SHELL]
    config = {
        "version": _shell_version(shell),
        "shell": shell,
        "header": OFFLINE_HEADER.lower(),
        # A log-in or log-out (POST, here or in the admin) forgets the pages kept for whoever used
        # the device before.
        "forget": [
            *_in_every_language("login"),
            *_in_every_language("logout"),
            reverse("wagtailadmin_login"),
            reverse("wagtailadmin_logout"),
        ],
        "admin": reverse("wagtailadmin_home"),
        "offline_page": render_to_string(
            "pwa/offline_page.html", {"stylesheet": static("css/site.css")}, request=request
        ),
    }
    body = render_to_string(
        "pwa/service_worker.js", {"config": mark_safe(json.dumps(config, ensure_ascii=False))}
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Allowed to control the whole site even if this view were ever moved under a prefix.
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    name = _("Learning Citizen")
    data = {
        "name": name,
        "short_name": name,
        "description": _("Self-assessment and recognition of learning citizens"),
        "lang": translation.get_language() or settings.LANGUAGE_CODE,
        "start_url": reverse("assessments:mine"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
