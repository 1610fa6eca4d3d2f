"""Who may read the audit log, and which events: province (or central) officers their own
subtree, superusers everything. Branch and commune officers do not read it: the log is how the
level above checks them. Which paths a user reads comes from the registered scope
(`audit.registry`: learning_units knows the officer roles)."""

from django.db.models import Q

from . import registry
from .models import AuditEvent


def audit_reader_paths(user):
    """Area paths whose events the user may read; None means all (superuser).

    Kept on the user object for the request: the menu asks on every admin page."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    if not hasattr(user, "_cdht_audit_paths"):
        user._cdht_audit_paths = list(registry.scope().reader_paths(user))
    return user._cdht_audit_paths


def can_read_audit(user):
    paths = audit_reader_paths(user)
    return paths is None or bool(paths)


def paths_q(paths, field):
    """Rows whose `field` (an area path) lies in one of `paths` (a prefix scan each)."""
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
        else AuditEvent.objects.filter(paths_q(paths, "area_path"))
    )
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    return events.order_by("-created_at", "-pk")


def log_section_rows(user, *, section, actor=""):
    """The rows of a registered log section (`audit.registry`) within the user's subtree."""
    return section.rows(paths=audit_reader_paths(user), actor=actor)
