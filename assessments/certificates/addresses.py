"""The public address printed on certificates, in their QR codes and in every Open Badges id.

One answer, with or without a request (certificates are rendered by background tasks too), and
never the admin's address (WAGTAILADMIN_BASE_URL): the site that issued the certificate.

1. `CDHT_PUBLIC_BASE_URL` when it is set (e.g. ``https://congdanhoctap.example.vn``): one
   address for every association, whatever the Sites say.
2. Otherwise the Wagtail Site serving the public pages: the only Site's ``root_url``; with
   several Sites, the one whose root holds a live page of the issuing area or of the nearest
   area above it (the page types that belong to an area are registered here,
   `register_area_pages`), else the default Site.

A Site on port 443 gives ``https://host``, on 80 ``http://host``. Production must name a real
host (`checks.public_address_check`, run by ``check --deploy``): an address printed on paper
cannot be changed afterwards.
"""

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Site

from learning_units import jurisdiction
from learning_units.models import Area

from ..conf import setting

# Page models with an `area` foreign key to learning_units.Area (a commune's or a province's
# pages, its recognition listing); registered by the apps that define them.
AREA_PAGE_MODELS = []

# Hosts that are nobody's public site: a certificate printed with one of them verifies nowhere.
PLACEHOLDER_HOSTS = {"localhost", "testserver", "example.com", "example.org", "example.net"}
PLACEHOLDER_SUFFIXES = (".localhost", ".local", ".test", ".example", ".invalid", ".internal")


def register_area_pages(model):
    """Let pages of `model` (it has an `area` foreign key) tell which Site an area belongs to."""
    if model not in AREA_PAGE_MODELS:
        AREA_PAGE_MODELS.append(model)


def is_placeholder_host(host):
    """Whether `host` is local, private or a documentation placeholder (RFC 2606, 6761)."""
    host = (host or "").strip().lower().rstrip(".")
    if not host or host in PLACEHOLDER_HOSTS or host.endswith(PLACEHOLDER_SUFFIXES):
        return True
    if any(host.endswith("." + name) for name in PLACEHOLDER_HOSTS):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_unspecified


def configured_base_url():
    """CDHT_PUBLIC_BASE_URL without its trailing slash, or "" when it is not set."""
    return (setting("PUBLIC_BASE_URL") or "").strip().rstrip("/")


def _site_roots():
    """Wagtail's (site, root path, root URL) rows, most specific root first; Wagtail keeps them
    in the cache and forgets them when a Site or a root page changes."""
    return Site.get_site_root_paths()


def _area_page_paths(area):
    """URL paths of live pages of `area` or of the areas above it, the nearest area first."""
    areas = dict(
        Area.objects.filter(jurisdiction.at_or_above("path", area.path)).values_list("pk", "level")
    )
    found = []
    for model in AREA_PAGE_MODELS:
        found.extend(
            model.objects.live()
            .filter(area_id__in=areas)
            .values_list("area_id", "url_path")
            .order_by("pk")
        )
    found.sort(key=lambda row: -areas[row[0]])
    return [url_path for _area_id, url_path in found]


def _site_of(area, roots):
    for url_path in _area_page_paths(area):
        for root in roots:
            if url_path.startswith(root.root_path):  # not an area path: a page's URL path
                return root.root_url
    return None


def _default_site_url(roots):
    default = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
    for root in roots:
        if root.site_id == default:
            return root.root_url
    return roots[0].root_url


def public_base_url(area=None):
    """The public site's address without a trailing slash: ``https://host`` (see above)."""
    configured = configured_base_url()
    if configured:
        return configured
    roots = _site_roots()
    if not roots:
        raise ImproperlyConfigured(
            "No Wagtail Site and no CDHT_PUBLIC_BASE_URL: certificates have no public address."
        )
    if len({root.site_id for root in roots}) > 1:
        url = (_site_of(area, roots) if area is not None else None) or _default_site_url(roots)
    else:
        url = roots[0].root_url
    return url.rstrip("/")


def address_problem(url):
    """Why `url` cannot be printed on a certificate, or None: not absolute http(s), or a
    placeholder host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an absolute http(s) address"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return f"{url!r} has a path: give the site's root"
    if is_placeholder_host(parts.hostname):
        return f"{parts.hostname!r} is not a public host name"
    return None
