"""Evidence attached to an answer: files (private storage), web links and completed courses.

Every change claims the assessment first (`editing.assessment_begin_edit`): evidence is part of
what is sent, so it cannot change once sent, and a returned assessment becomes a draft again.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from learning_units.text import nfc

from ..conf import setting
from ..models import Assessment, Evidence
from ..uploads import prepare_evidence_upload, save_file
from .editing import assessment_begin_edit


def evidence_max_bytes():
    """CDHT_EVIDENCE_MAX_BYTES (assessments.conf), read on every upload."""
    return setting("EVIDENCE_MAX_BYTES")


def evidence_check_quota(*, assessment, adding_bytes=0):
    """Refuse one more file or link beyond CDHT_EVIDENCE_MAX_ITEMS_PER_ASSESSMENT, or a file
    that takes the assessment's files beyond CDHT_EVIDENCE_MAX_TOTAL_BYTES_PER_ASSESSMENT
    (issue #18: one draft held 42 files, 168 MB). Checked before the edit claim, so a refusal
    leaves the caller's revision untouched and the rest of the step can still be saved; two
    uploads at the very same moment may each pass, which bounds the excess by the requests a
    person can send at once."""
    used = Evidence.objects.filter(
        answer__assessment=assessment, kind__in=[Evidence.Kind.FILE, Evidence.Kind.URL]
    ).aggregate(items=Count("pk"), size=Sum("size"))
    max_items = setting("EVIDENCE_MAX_ITEMS_PER_ASSESSMENT")
    if used["items"] >= max_items:
        raise ValidationError(
            _(
                "This assessment already has %(count)s files and links, the most it can hold. "
                "Remove one you no longer need before adding another."
            )
            % {"count": max_items},
            code="evidence_quota",
        )
    max_bytes = setting("EVIDENCE_MAX_TOTAL_BYTES_PER_ASSESSMENT")
    if (used["size"] or 0) + adding_bytes > max_bytes:
        raise ValidationError(
            _(
                "The files of this assessment may take %(limit)s in all, and %(used)s are "
                "used: make this file smaller (a photo of a page is enough) or remove another."
            )
            % {"limit": filesizeformat(max_bytes), "used": filesizeformat(used["size"] or 0)},
            code="evidence_quota",
        )


def _set_has_evidence(assessment):
    has = Evidence.objects.filter(answer__assessment=assessment).exists()
    Assessment.objects.filter(pk=assessment.pk).update(has_evidence=has)
    assessment.has_evidence = has


@transaction.atomic
def evidence_add_file(*, answer, actor, uploaded_file, description=""):
    """Attach a PDF, JPG or PNG, checked by its content and its size, in private storage.

    The checks, the cleaning (EXIF stripped, name sanitised) and the storing are in uploads.py.
    """
    upload = prepare_evidence_upload(uploaded_file, max_bytes=evidence_max_bytes())
    evidence_check_quota(assessment=answer.assessment, adding_bytes=upload.size)
    assessment_begin_edit(assessment=answer.assessment, actor=actor)
    evidence = Evidence(
        answer=answer,
        kind=Evidence.Kind.FILE,
        original_name=upload.name[:255],
        content_type=upload.content_type,
        size=upload.size,
        description=nfc(description)[:255],
        uploaded_by=actor,
    )
    save_file(evidence.file, upload)
    evidence.save()
    _set_has_evidence(answer.assessment)
    return evidence


@transaction.atomic
def evidence_add_url(*, answer, actor, url, description=""):
    """Attach a web link (http or https only)."""
    url = (url or "").strip()
    validator = URLValidator(schemes=["http", "https"])
    try:
        validator(url)
    except ValidationError:
        raise ValidationError(
            _("“%(url)s” is not a web address: it should start with https:// or http://.")
            % {"url": url[:100]},
            code="url",
        ) from None
    if len(url) > 500:
        raise ValidationError(_("This link is too long (500 characters at most)."), code="url")
    evidence_check_quota(assessment=answer.assessment)
    assessment_begin_edit(assessment=answer.assessment, actor=actor)
    evidence = Evidence.objects.create(
        answer=answer,
        kind=Evidence.Kind.URL,
        url=url,
        description=nfc(description)[:255],
        uploaded_by=actor,
    )
    _set_has_evidence(answer.assessment)
    return evidence


@transaction.atomic
def evidence_add_course(*, answer, actor, course_completion):
    """Attach a course the same citizen completed (the best evidence there is)."""
    assessment = answer.assessment
    owners = (
        {assessment.citizen_id}
        if assessment.citizen_id
        else set(assessment.learning_unit.members.values_list("pk", flat=True))
        | {assessment.learning_unit.head_id}
    )
    if course_completion.citizen_id not in owners:
        raise ValidationError(
            _("That course was completed by someone else and cannot be attached here."),
            code="course_owner",
        )
    if Evidence.objects.filter(answer=answer, course_completion=course_completion).exists():
        raise ValidationError(
            _("“%(course)s” is already attached to this indicator.")
            % {"course": course_completion.course_title},
            code="course_duplicate",
        )
    assessment_begin_edit(assessment=answer.assessment, actor=actor)
    evidence = Evidence.objects.create(
        answer=answer,
        kind=Evidence.Kind.COURSE,
        course_completion=course_completion,
        uploaded_by=actor,
    )
    _set_has_evidence(assessment)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence, actor):
    """Detach a piece of evidence; a file leaves the storage once the removal is committed."""
    assessment = evidence.answer.assessment
    assessment_begin_edit(assessment=assessment, actor=actor)
    file = evidence.file if evidence.kind == Evidence.Kind.FILE else None
    evidence.delete()
    if file:
        transaction.on_commit(lambda: file.storage.delete(file.name))
    _set_has_evidence(assessment)
