"""Notices of the review for the citizen's own pages (`assessments/public/_notices.html`)."""

from django import template

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
