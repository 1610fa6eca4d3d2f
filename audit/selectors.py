"""Who may read the audit log, and which events: province (or central) officers their own
subtree, superusers everything. Branch and commune officers do not read it: the log is how the
level above checks them."""

from django.db.models import Q

from assessments.models import ReviewEvent
from learning_units.models import OfficerRole

from .models import AuditEvent

READER_ROLES = (OfficerRole.Role.PROVINCE, OfficerRole.Role.CENTRAL)


def audit_reader_paths(user):
    """Area paths whose events the user may read; None means all (superuser).

    Kept on the user object for the request: the menu asks on every admin page."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    if not hasattr(user, "_cdht_audit_paths"):
        user._cdht_audit_paths = list(
            OfficerRole.objects.filter(user=user, role__in=READER_ROLES).values_list(
                "area__path", flat=True
            )
        )
    return user._cdht_audit_paths


def can_read_audit(user):
    paths = audit_reader_paths(user)
    return paths is None or bool(paths)


def _paths_q(paths, field):
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def audit_events_for(user, *, action="", actor=""):
    """Access events of the user's subtree, newest first."""
    paths = audit_reader_paths(user)
    events = (
        AuditEvent.objects.all()
        if paths is None
        else AuditEvent.objects.filter(_paths_q(paths, "area_path"))
    )
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    return events.order_by("-created_at", "-pk")


def state_changes_for(user, *, actor=""):
    """Every assessment transition (ReviewEvent) of the user's subtree, newest first."""
    paths = audit_reader_paths(user)
    events = ReviewEvent.objects.select_related("actor", "assessment__area")
    if paths is not None:
        events = events.filter(_paths_q(paths, "assessment__area__path"))
    if actor:
        events = events.filter(actor__username__icontains=actor)
    return events.order_by("-created_at", "-pk")
