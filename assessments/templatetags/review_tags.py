"""Notices of the review for the citizen's own pages (`assessments/public/_notices.html`)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from learning_units.html import html_attrs

from .. import selectors

register = template.Library()

NOTICES_SHOWN = 5


@register.simple_tag
def assessment_notices(user):
    """{"notices": the latest few, "unread": how many are unread} in two small queries."""
    if not user.is_authenticated:
        return {"notices": [], "unread": 0}
    return {
        "notices": list(selectors.notices_for(user)[:NOTICES_SHOWN]),
        "unread": selectors.unread_notice_count(user),
    }


@register.simple_tag(takes_context=True)
def table_body_rows(context, table):
    """The rows of an admin table built in Python: the same markup as Wagtail's table template
    (`<tr attrs>` then each cell's own HTML), without a template tag per cell — 500 of them on
    a queue page of 50 rows were a third of its time (bench/bench_review_queue.py)."""
    flat = context.flatten()
    rows = []
    for row in table.rows:
        cells = "".join(cell.render_html(flat) for cell in row.values())
        rows.append(
            format_html("<tr{}>{}</tr>", mark_safe(html_attrs(row.attrs)), mark_safe(cells))
        )
    return mark_safe("".join(rows))
