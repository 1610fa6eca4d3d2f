"""System checks: the certificate fonts must be there, or certificates would print blank glyphs;
in production, a signing key for Open Badges 3.0 credentials.

Registered by `AssessmentsConfig.ready()`; `manage.py check` (and every runserver/migrate)
fails with an error naming the missing file.
"""

from django.core import checks

from .fonts import missing_fonts
from .keys import NoSigningKey, active_key, key_dir


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
