"""Who may read the audit log, and which events: province (or central) officers their own
subtree, superusers everything. Branch and commune officers do not read it: the log is how the
level above checks them. Which paths a user reads, and how rows are matched to them, comes
from the registered scope (`audit.registry`: learning_units knows the officer roles)."""

from . import registry
from .models import AuditEvent


def audit_reader_paths(user):
    """Area paths whose events the user may read; None means all (superuser).

    The registered scope reads the roles learning_units keeps for the request (the menu asks on
    every admin page)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    return list(registry.scope().reader_paths(user))


def can_read_audit(user):
    paths = audit_reader_paths(user)
    return paths is None or bool(paths)


def audit_events_for(user, *, action="", actor=""):
    """Access events of the user's subtree, newest first."""
    paths = audit_reader_paths(user)
    events = (
        AuditEvent.objects.all()
        if paths is None
        else AuditEvent.objects.filter(registry.scope().paths_q("area_path", paths))
    )
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    return events.order_by("-created_at", "-pk")


def log_section_rows(user, *, section, actor=""):
    """The rows of a registered log section (`audit.registry`) within the user's subtree."""
    return section.rows(paths=audit_reader_paths(user), actor=actor)
