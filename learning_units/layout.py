"""The host site's page layout for the apps' public templates, without a context processor.

Public templates of `learning_units` and `assessments` start with
``{% extends cdht_base_template|default:"base.html" %}``. The views of the apps put
``cdht_base_template`` (the ``CDHT_BASE_TEMPLATE`` setting) into the context through `render`
(function views), `BaseTemplateMixin` (class-based views) or `layout_context` (Wagtail page
``get_context``), so a host site only sets the setting and adds nothing to its TEMPLATES. A view
that forgets still renders with "base.html", the name `wagtail start` and this project use.
"""

from django.shortcuts import render as django_render

from .conf import base_template

CONTEXT_NAME = "cdht_base_template"


def layout_context():
    return {CONTEXT_NAME: base_template()}


def render(request, template_name, context=None, *args, **kwargs):
    """`django.shortcuts.render` that also supplies the base template's name."""
    return django_render(
        request, template_name, {**layout_context(), **(context or {})}, *args, **kwargs
    )


class BaseTemplateMixin:
    """For class-based views (put it before the Django view class)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(CONTEXT_NAME, base_template())
        return context
