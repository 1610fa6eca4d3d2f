"""Who sees which LMS sources and completions (officers by jurisdiction, citizens their own)."""

from django.db.models import Q

from .. import jurisdiction
from ..models import CourseCompletion, LmsSource


def lms_sources_for_officer(user):
    """Sources an officer manages: those of an area in their subtree."""
    return jurisdiction.scope(LmsSource.objects.all(), user).select_related("area")


def lms_sources_for_import(user):
    """Active sources whose files an officer may import: those of their subtree and those
    of an area above them (a province's Moodle serves its communes' officers too)."""
    above = {
        path for own in jurisdiction.area_paths(user) for path in jurisdiction.ancestor_paths(own)
    }
    return (
        LmsSource.objects.filter(is_active=True)
        .filter(jurisdiction.q(user, "area__path") | Q(area__path__in=above))
        .order_by("name")
    )


def completions_for_officer(user):
    return jurisdiction.scope(
        CourseCompletion.objects.all(), user, "citizen__area__path"
    ).select_related("citizen__area")


def completions_of_user(user):
    """A citizen's own completions, newest first (none for a user without a citizen record)."""
    if not user.is_authenticated:
        return CourseCompletion.objects.none()
    return CourseCompletion.objects.filter(citizen__user=user).order_by("-completed_on", "pk")
