"""Tags of the site's base template."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, code):
    """This page's address in another language (what set_language would redirect to).

    Links, not a form: switching language is plain navigation (the language is in the URL), so
    pages carry no CSRF token and can be shared from the page cache.
    """
    request = context.get("request")
    return translate_url(request.get_full_path() if request else "/", code)
