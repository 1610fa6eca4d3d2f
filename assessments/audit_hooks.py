"""What the assessments app gives the audit log (audit app): evidence files opened, and the
review events as a section of the audit screen.

State changes are not copied: ReviewEvent is already the record of every transition, and the
audit screen lists those of the officer's jurisdiction next to the access events. audit imports
no other app, so this section is registered from `AssessmentsConfig.ready()`.
"""

from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.registry import LogSection, register_log_section
from audit.services import audit_record
from learning_units.jurisdiction import under_any

from .models import ReviewEvent


def audit_evidence_download(request, evidence):
    assessment = evidence.answer.assessment
    audit_record(
        request=request,
        action=AuditAction.DOWNLOAD,
        obj=evidence,
        area_path=assessment.area.path,
        detail={"assessment": assessment.pk},
    )


def state_changes_for(*, paths, actor=""):
    """Every assessment transition (ReviewEvent) within `paths` (None: all), newest first."""
    events = ReviewEvent.objects.select_related("actor", "assessment__area")
    if paths is not None:
        events = events.filter(under_any("assessment__area__path", paths))
    if actor:
        events = events.filter(actor__username__icontains=actor)
    return events.order_by("-created_at", "-pk")


def register_audit_sections():
    register_log_section(
        LogSection(
            key="changes",
            label=_("Assessment state changes"),
            template="assessments/audit/state_changes.html",
            rows=state_changes_for,
        )
    )
