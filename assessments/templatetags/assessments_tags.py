from decimal import Decimal

from django import template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..rules import format_points
from ..step_html import indicator_section as build_indicator_section
from ..step_html import step_nav as build_step_nav

register = template.Library()


@register.filter
def points(value):
    """10.00 → "10", 49.50 → "49,5" (Vietnamese); empty stays empty."""
    return "" if value is None or value == "" else format_points(value)


@register.filter
def change_value(value):
    """A value from a comparison, as a person reads it (points, yes/no, lists, dates)."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if hasattr(value, "isoformat"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return value


@register.simple_tag(takes_context=True)
def indicator_section(context, row, level=2):
    """One indicator of the step page (assessments/step_html.py; reference template
    assessments/public/includes/indicator.html); `level` of its title's heading."""
    return mark_safe(build_indicator_section(row, request=context.get("request"), level=level))


@register.simple_tag(takes_context=True)
def step_nav(context, current):
    """The parts' navigation (assessments/step_html.py; reference template
    assessments/public/includes/step_nav.html); needs `assessment` and `totals` in the context."""
    return mark_safe(build_step_nav(context["assessment"], context["totals"], current))
