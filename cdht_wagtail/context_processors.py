from django.conf import settings


def site_languages(request):
    """Languages named in their own tongue, as written in settings (NFC).

    Django's own `name_local` for Vietnamese is in decomposed form, which breaks matching and
    some fonts, so the switcher uses the names from LANGUAGES untranslated.
    """
    return {"site_languages": settings.LANGUAGES}
