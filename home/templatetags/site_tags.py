"""Tags of the site's base template."""

from django import template
from django.urls import translate_url

from home import languages

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, code):
    """This page's address in another language (what set_language would redirect to).

    Links, not a form: switching language is plain navigation (the language is in the URL), so
    pages carry no CSRF token and can be shared from the page cache. A Wagtail page without a
    live translation links itself with a notice instead of a 404 (`home.languages`).
    """
    request = context.get("request")
    if request is None:
        return translate_url("/", code)
    return languages.language_url(request, context.get("page"), code)


@register.inclusion_tag("components/untranslated_notice.html", takes_context=True)
def untranslated_notice(context):
    """The notice of a page shown in its own language because the requested one is missing."""
    request, page = context.get("request"), context.get("page")
    requested = languages.requested_language(request, page) if request and page else None
    if requested is None:
        return {}
    return {"language": requested, "text": languages.untranslated_notice(page, requested)}
