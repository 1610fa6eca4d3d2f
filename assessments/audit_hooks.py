"""What the assessments app writes to the audit log (audit app): evidence files opened.

State changes are not copied: ReviewEvent is already the record of every transition, and the
audit screen lists those of the officer's jurisdiction next to the access events.
"""

from audit.models import AuditAction
from audit.services import audit_record


def audit_evidence_download(request, evidence):
    assessment = evidence.answer.assessment
    audit_record(
        request=request,
        action=AuditAction.DOWNLOAD,
        obj=evidence,
        area_path=assessment.area.path,
        detail={"assessment": assessment.pk},
    )
