from decimal import Decimal

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..rules import format_points

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
