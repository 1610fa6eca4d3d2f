"""What the assessments app holds about a citizen, as sections of the personal-data export and
erasure (Decree 13/2023/NĐ-CP; `learning_units.personal_data`), registered from
`AssessmentsConfig.ready()` so that learning_units never imports this app.

Erasure keeps the assessments, their scores and the recognitions (the figures and the
certificates already issued stay true); it removes the evidence (files and links), the notes the
citizen typed and the in-site notices.
"""

from django.db import transaction

from learning_units.personal_data import PersonalDataSection, register

from .models import Assessment, Evidence, IndicatorAnswer, Notice, Recognition, ReviewEvent


def _assessments(*, citizen):
    assessments = (
        Assessment.objects.filter(citizen=citizen)
        .select_related("campaign", "criteria_set")
        .prefetch_related("answers__indicator")
        .order_by("year", "pk")
    )
    return [
        {
            "year": assessment.year,
            "criteria_set": str(assessment.criteria_set),
            "status": assessment.get_status_display(),
            "self_total": assessment.self_total,
            "verified_total": assessment.verified_total,
            "band": assessment.band,
            "submitted_at": assessment.submitted_at,
            "answers": [
                {
                    "indicator": answer.indicator.code,
                    "title": answer.indicator.title,
                    "self_points": answer.self_points,
                    "note": answer.note,
                    "verified_points": answer.verified_points,
                    "officer_comment": answer.officer_comment,
                }
                for answer in assessment.answers.all()
            ],
        }
        for assessment in assessments
    ]


def _erase_answer_notes(*, citizen):
    IndicatorAnswer.objects.filter(assessment__citizen=citizen).update(note="")
    return {}


def _evidence(*, citizen):
    evidence = Evidence.objects.filter(answer__assessment__citizen=citizen).select_related(
        "answer__indicator", "course_completion"
    )
    return [
        {
            "indicator": item.answer.indicator.code,
            "kind": item.get_kind_display(),
            "file_name": item.original_name,
            "url": item.url,
            "course": item.course_completion.course_title if item.course_completion_id else "",
            "description": item.description,
        }
        for item in evidence
    ]


def _erase_evidence(*, citizen):
    """Files and links go (a course completion stays: it is a statistical trace). The files
    are deleted after the commit: a rollback must not lose them."""
    evidence = Evidence.objects.filter(answer__assessment__citizen=citizen).exclude(
        kind=Evidence.Kind.COURSE
    )
    files = [item.file.name for item in evidence if item.file]
    storage = Evidence.file.field.storage
    evidence.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return {"evidence_removed": len(files)}


def _history(*, citizen):
    return [
        {
            "at": event.created_at,
            "action": event.action,
            "from": event.from_status,
            "to": event.to_status,
            "comment": event.comment,
        }
        for event in ReviewEvent.objects.filter(assessment__citizen=citizen).order_by(
            "created_at", "pk"
        )
    ]


def _recognitions(*, citizen):
    return [
        {
            "year": recognition.year,
            "certificate_number": recognition.certificate_number,
            "decision": recognition.decision.number,
            "decided_on": recognition.decision.decided_on,
            "revoked": recognition.revoked,
        }
        for recognition in Recognition.objects.filter(assessment__citizen=citizen)
        .select_related("decision")
        .order_by("year")
    ]


def _notices(*, citizen):
    if citizen.user is None:
        return []
    return [
        {"at": notice.created_at, "message": notice.message}
        for notice in Notice.objects.filter(user=citizen.user).order_by("created_at")
    ]


def _erase_notices(*, citizen):
    if citizen.user is not None:
        Notice.objects.filter(user=citizen.user).delete()
    return {}


def register_personal_data_sections():
    for section in (
        PersonalDataSection(
            key="assessments", order=30, export=_assessments, erase=_erase_answer_notes
        ),
        PersonalDataSection(key="evidence", order=40, export=_evidence, erase=_erase_evidence),
        PersonalDataSection(key="history", order=50, export=_history),
        PersonalDataSection(key="recognitions", order=60, export=_recognitions),
        PersonalDataSection(key="notices", order=80, export=_notices, erase=_erase_notices),
    ):
        register(section)
