"""System check: the certificate fonts must be there, or certificates would print blank glyphs.

Registered by `AssessmentsConfig.ready()`; `manage.py check` (and every runserver/migrate)
fails with an error naming the missing file.
"""

from django.core import checks

from .fonts import missing_fonts


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
