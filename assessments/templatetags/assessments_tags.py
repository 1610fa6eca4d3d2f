from decimal import Decimal

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..band_labels import band_html
from ..criteria_texts import text_html, text_plain
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


@register.simple_tag
def criteria_text(item, name, block=False, words=None):
    """A criterion's, indicator's, set's or band's text in the reader's language, the Vietnamese
    fallback marked (`assessments.criteria_texts`)."""
    return text_html(item, name, block=block, words=words)


@register.filter
def criteria_plain(item, name):
    """The same as plain text, for a page's title or a select's options."""
    return text_plain(item, name)


@register.simple_tag
def band_text(label):
    """A band label kept on an assessment, in the reader's language (`band_labels`)."""
    return band_html(label)
