"""A criteria set's text in the reader's language (issue #19).

Sets are written in Vietnamese; their English twins (`models.criteria.TRANSLATED_FIELDS`) are
shown on English pages. Where a twin is empty the Vietnamese text is shown, marked as such:
`lang="vi"` (screen readers switch voice) and a short note in the reader's language. Works on
stored objects and on the plain data of `interchange` alike, and reads nothing from the
database.
"""

from dataclasses import dataclass

from django.template.defaultfilters import linebreaks_filter, truncatewords
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models.criteria import TRANSLATION_LANGUAGE

SOURCE_LANGUAGE = "vi"


@dataclass(frozen=True)
class LocalText:
    text: str
    language: str  # the language `text` is written in
    untranslated: bool  # the reader's language has no text: the Vietnamese is shown


def local_text(item, name, language=None):
    """`item`'s field `name` (a Vietnamese text field) for a reader of `language` (default:
    the active one)."""
    language = language or reader_language()
    source = _value(item, name)
    if language == SOURCE_LANGUAGE or not source:
        return LocalText(source, SOURCE_LANGUAGE, False)
    if language == TRANSLATION_LANGUAGE:
        translated = _value(item, f"{name}_{language}")
        if translated:
            return LocalText(translated, language, False)
    return LocalText(source, SOURCE_LANGUAGE, True)


def reader_language():
    return (get_language() or SOURCE_LANGUAGE).split("-")[0]


def _value(item, name):
    value = item.get(name) if isinstance(item, dict) else getattr(item, name, "")
    return value or ""


def untranslated_note():
    return _("(in Vietnamese)")


def text_html(item, name, *, block=False, words=None):
    """HTML of the text: escaped, paragraphs when `block`, cut after `words`; the Vietnamese
    fallback wrapped in `lang="vi"` with the note."""
    local = local_text(item, name)
    text = truncatewords(local.text, words) if words else local.text
    html = linebreaks_filter(text, autoescape=True) if block else escape(text)
    if not local.untranslated:
        return mark_safe(html)  # noqa: S308 - escaped above
    if block:
        return format_html(
            '<p class="untranslated-note"><small>{}</small></p><div lang="{}">{}</div>',
            untranslated_note(),
            local.language,
            mark_safe(html),  # noqa: S308 - escaped above
        )
    return format_html(
        '<span lang="{}">{}</span> <small class="untranslated-note">{}</small>',
        local.language,
        mark_safe(html),  # noqa: S308 - escaped above
        untranslated_note(),
    )


def text_plain(item, name):
    """Plain text (a page's <title>, an <option>): the fallback carries the note in words."""
    local = local_text(item, name)
    if local.untranslated:
        return f"{local.text} {untranslated_note()}"
    return local.text
