"""The areas the audit log files and reads events under, given to audit (which imports no other
app) from `LearningUnitsConfig.ready()`: province and central officers read their subtree's
events; an officer's own actions without a record of their own are filed under their roles.
All from `jurisdiction`, so the audit menu costs no query of its own."""

from functools import partial

from audit.registry import AuditScope, register_scope

from . import jurisdiction
from .models import OfficerRole

READER_ROLES = (OfficerRole.Role.PROVINCE, OfficerRole.Role.CENTRAL)


def register_audit_scope():
    register_scope(
        AuditScope(
            reader_paths=partial(jurisdiction.area_paths, roles=READER_ROLES),
            actor_paths=jurisdiction.area_paths,
            paths_q=jurisdiction.under_any,
        )
    )
