"""The site's chrome (header, footer) rendered once per process, language and login state.

Every public page carries the same header and footer; through the template engine they cost
about 0.6 ms a page, a tenth of the self-assessment step page (bench/bench_self_assessment.py).
`{% chrome "components/site_header.html" %}` renders the include once with stand-ins for the
only per-request values in it — the CSRF token of its forms and the current path (the language
switch comes back to it) — keeps the HTML in memory and puts this request's values in. The
chrome sees nothing else of the request or the user than whether someone is logged in; the key
holds that, the language and the URL prefix. With DEBUG on nothing is kept, so template edits
show at once.
"""

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

CSRF_STAND_IN = "cdht-chrome-csrf-7Qx2"
PATH_STAND_IN = "/cdht-chrome-path-7Qx2/"
_RENDERED = {}


class _StandInRequest:
    """All the chrome may know of the request: its path, as a stand-in."""

    def get_full_path(self):
        return PATH_STAND_IN


class _LoginState:
    """All the chrome may know of the user: so a name put into the header by mistake renders
    empty instead of being kept and shown to the next person."""

    def __init__(self, authenticated):
        self.is_authenticated = authenticated


@register.simple_tag(takes_context=True)
def chrome(context, template_name):
    request = context.get("request")
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    key = (template_name, get_language(), authenticated, get_script_prefix())
    html = None if settings.DEBUG or request is None else _RENDERED.get(key)
    if html is None:
        chrome_context = {
            "csrf_token": CSRF_STAND_IN,
            "request": _StandInRequest(),
            "user": _LoginState(authenticated),
            "site_languages": context.get("site_languages", settings.LANGUAGES),
        }
        html = context.template.engine.get_template(template_name).render(
            template.Context(chrome_context, autoescape=context.autoescape)
        )
        if request is not None and not settings.DEBUG:
            if len(_RENDERED) > 64:
                _RENDERED.clear()
            _RENDERED[key] = html
    if request is None:
        return mark_safe(html.replace(CSRF_STAND_IN, "").replace(PATH_STAND_IN, "/"))
    if CSRF_STAND_IN in html:
        # The page's own token (the csrf context processor's), else a fresh one.
        token = str(context.get("csrf_token") or get_token(request))
        html = html.replace(CSRF_STAND_IN, escape(token))
    if PATH_STAND_IN in html:
        html = html.replace(PATH_STAND_IN, escape(request.get_full_path()))
    return mark_safe(html)
