"""The areas the audit log files and reads events under, given to audit (which imports no other
app) from `LearningUnitsConfig.ready()`: province and central officers read their subtree's
events; an officer's own actions without a record of their own are filed under their roles."""

from audit.registry import AuditScope, register_scope

from .models import OfficerRole
from .selectors import officer_area_paths

READER_ROLES = (OfficerRole.Role.PROVINCE, OfficerRole.Role.CENTRAL)


def audit_reader_paths(user):
    """Area paths of the user's province and central roles."""
    return list(
        OfficerRole.objects.filter(user=user, role__in=READER_ROLES).values_list(
            "area__path", flat=True
        )
    )


def register_audit_scope():
    register_scope(AuditScope(reader_paths=audit_reader_paths, actor_paths=officer_area_paths))
