"""Writing and purging audit events. Views call `audit_record`; nothing else writes events.

The API the other apps record through (audit imports none of them)."""

import datetime
import os

from django.utils import timezone

from . import registry
from .conf import setting
from .models import AuditEvent, OutgoingMail
from .requests import client_ip


def _area_path(obj):
    """The area path a record belongs to: its own `path` (an area) or its area's."""
    if obj is None:
        return ""
    if hasattr(obj, "path") and hasattr(obj, "level"):
        return obj.path
    area = getattr(obj, "area", None)
    return getattr(area, "path", "") or ""


def audit_label(obj):
    """A label that names the record without personal data (no name, no citizen ID)."""
    return f"{obj._meta.verbose_name} #{obj.pk}"


def audit_record(
    *,
    request=None,
    actor=None,
    action,
    obj=None,
    object_type="",
    object_id="",
    area_path=None,
    detail=None,
) -> AuditEvent:
    """Record one event. `obj` (a model instance) fills type, id, label and area path.

    Either `request` (actor, address and page come from it) or `actor` is given. `detail` holds
    counts and filters, never personal data.
    """
    if request is not None and actor is None:
        actor = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_username()[:150] if actor is not None else "",
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(object_id or (obj.pk if obj is not None else ""))[:40],
        object_label=audit_label(obj)[:200] if obj is not None else "",
        area_path=(area_path if area_path is not None else _area_path(obj))[:255],
        path=(request.path[:255] if request is not None else ""),
        ip_address=(client_ip(request) or None) if request is not None else None,
        detail=detail or {},
    )


def retention_days():
    return int(setting("AUDIT_RETENTION_DAYS"))


def audit_purge(*, now=None, days=None) -> int:
    """Delete events older than the retention period; returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days() if days is None else days)
    deleted, _by_model = AuditEvent.objects.filter(created_at__lt=cutoff).delete()
    OutgoingMail.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def actor_area_path(user):
    """The deepest area path covering all of an officer's roles ("" for none or the country).

    Events without a record of their own (an export, an import) are filed there, so that the
    province officer above the acting officer sees them. The roles come from the registered
    scope (`audit.registry`).
    """
    paths = registry.scope().actor_paths(user)
    if not paths:
        return ""
    prefix = os.path.commonprefix(paths)
    return prefix[: prefix.rfind("/") + 1]
