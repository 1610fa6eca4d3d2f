"""System checks of certificates.

- `certificate_fonts_check` (always): the certificate fonts must be there, or certificates would
  print blank glyphs; `manage.py check` (and every runserver/migrate) fails naming the file.
- `public_address_check` (``check --deploy``): the address printed on certificates and in their
  QR codes (`addresses.public_base_url`) must be a real public host: CDHT_PUBLIC_BASE_URL, or
  else every Wagtail Site's host name. It reads the Sites only when the setting is not set.
- `issuer_key_check` (``check --deploy``): a signing key for Open Badges 3.0 credentials.

Registered by `AssessmentsConfig.ready()`.
"""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from wagtail.models import Site

from .addresses import address_problem, configured_base_url
from .fonts import missing_fonts
from .keys import NoSigningKey, active_key, key_dir

ADDRESS_HINT = (
    "Set CDHT_PUBLIC_BASE_URL to the public site's address (e.g. "
    "https://congdanhoctap.example.vn), "
    "or give the Wagtail Site its real host name and port 443 (Settings → Sites). Certificates "
    "print it in their QR codes: README.md, Production."
)


@checks.register(checks.Tags.compatibility)
def certificate_fonts_check(app_configs=None, **kwargs):
    return [
        checks.Error(
            f"Certificate font file missing or empty: {path}",
            hint="Restore the Noto Serif TTF files in assessments/certificates/fonts/ "
            "(they ship with the app, licence in OFL.txt).",
            id="assessments.E001",
        )
        for path in missing_fonts()
    ]


def _site_urls():
    try:
        return [site.root_url for site in Site.objects.order_by("pk")]
    except DatabaseError:  # not migrated yet: no Site to print
        return []


@checks.register(checks.Tags.security, checks.Tags.sites, deploy=True)
def public_address_check(app_configs=None, **kwargs):
    configured = configured_base_url()
    urls = [configured] if configured else _site_urls()
    if not urls:
        return [
            checks.Error(
                "Certificates have no public address: CDHT_PUBLIC_BASE_URL is not set and "
                "there is no Wagtail Site.",
                hint=ADDRESS_HINT,
                id="assessments.E002",
            )
        ]
    messages = []
    for url in urls:
        problem = address_problem(url)
        if problem:
            source = "CDHT_PUBLIC_BASE_URL" if configured else "The Wagtail Site's address"
            messages.append(
                checks.Error(
                    f"{source} {problem}: certificates and Open Badges would point there.",
                    hint=ADDRESS_HINT,
                    id="assessments.E002",
                )
            )
        elif url.startswith("http://") and getattr(settings, "SECURE_SSL_REDIRECT", False):
            messages.append(
                checks.Warning(
                    f"Certificates print {url}, but the site redirects to https.",
                    hint="Use https:// in CDHT_PUBLIC_BASE_URL, or port 443 for the Site.",
                    id="assessments.W002",
                )
            )
    return messages


@checks.register(checks.Tags.security, deploy=True)
def issuer_key_check(app_configs=None, **kwargs):
    """Production (`check --deploy`): without a signing key no Open Badges 3.0 credential can
    be issued, and the download links answer 503."""
    try:
        active_key()
    except NoSigningKey:
        return [
            checks.Warning(
                f"No Open Badges 3.0 signing key in {key_dir()}.",
                hint="Run `manage.py issuer_keys generate` (docs/certificates.md); keep the "
                "folder (CDHT_ISSUER_KEY_DIR) out of the repository and in the backups.",
                id="assessments.W001",
            )
        ]
    return []
