"""Each page's address in the other language, and the notice when it has none yet (issue #19).

The language switch is never a dead end: a Wagtail page links its live translation; a page
without one links itself with ``?untranslated=<language>``, and is then shown in its own
language with a notice, in the requested language, saying so. The marker's value is only ever
compared with the site's languages: anything else is ignored, never shown.
"""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_info, gettext, pgettext_lazy
from wagtail.models import Page

UNTRANSLATED_PARAM = "untranslated"

# The languages' names as they read inside a sentence ("no English version", "bản tiếng Anh").
NAMES_IN_SENTENCE = {
    "vi": pgettext_lazy("language name in a sentence", "Vietnamese"),
    "en": pgettext_lazy("language name in a sentence", "English"),
}


def live_translation(page, language_code):
    """`page` in `language_code` (itself when it is in that language), if live."""
    if page.locale.language_code == language_code:
        return page if page.live else None
    return (
        page.get_translations(inclusive=True)
        .live()
        .filter(locale__language_code=language_code)
        .first()
    )


def language_url(request, page, language_code):
    """The address of what the visitor sees, in `language_code`.

    Django's views are in every language (`translate_url`); a Wagtail page links its live
    translation, keeping a routable page's sub-path and the query, or itself with the marker.
    """
    if not isinstance(page, Page):
        return translate_url(request.get_full_path(), language_code)
    query = request.GET.copy()
    query.pop(UNTRANSLATED_PARAM, None)
    own_url = page.get_url(request)
    target = live_translation(page, language_code)
    target_url = target.get_url(request) if target is not None else None
    if target_url is None:
        query[UNTRANSLATED_PARAM] = language_code
        path = request.path
    elif own_url and request.path.startswith(own_url):  # not an area path
        path = target_url + request.path[len(own_url) :]
    else:
        path = target_url
    return f"{path}?{query.urlencode()}" if query else path


def requested_language(request, page):
    """The language the visitor asked for and this page lacks, or None (a valid marker only)."""
    code = request.GET.get(UNTRANSLATED_PARAM)
    if not isinstance(page, Page) or code not in dict(settings.LANGUAGES):
        return None
    if code == page.locale.language_code:
        return None
    return code if live_translation(page, code) is None else None


def untranslated_notice(page, requested):
    """'This page has no English version yet: it is shown in Vietnamese.', in `requested`."""
    with translation.override(requested):
        return gettext("This page has no %(requested)s version yet: it is shown in %(shown)s.") % {
            "requested": _name(requested),
            "shown": _name(page.locale.language_code),
        }


def _name(code):
    return str(NAMES_IN_SENTENCE.get(code) or get_language_info(code)["name_translated"])
