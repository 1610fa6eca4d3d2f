"""A citizen's rights over their personal data (Decree 13/2023/NĐ-CP on personal data protection):
access (a copy of everything held about them) and erasure (anonymisation on request).

Erasure does not delete the rows: the movement's figures (registered, self-assessed, submitted,
recognised per area, year, target group and gender) and the recognitions already issued must stay
true, so the record keeps what counts and loses what identifies — name, citizen ID, contacts,
exact birth year (kept as its decade, enough for age bands), ethnicity and religion (sensitive
data), free-text notes, evidence files and links, and the log-in account. The assessments and
their scores, recognitions (certificate numbers stay valid, the name on them does not) and course
completions (hours, dates) stay as statistical traces.

The sections held by the apps built on this one (assessments) come from the personal-data
registry (`learning_units.personal_data`): they build on this app, not the reverse.
"""

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record

from . import personal_data, spreadsheets
from .lms.pending import pending_purge
from .models import Citizen
from .selectors import area_ancestors

ANONYMOUS_ID_PREFIX = "X"  # never a digit: an anonymised ID cannot collide with a real one


def is_anonymised(citizen) -> bool:
    return citizen.citizen_id.startswith(ANONYMOUS_ID_PREFIX)


def _citizen_section(*, citizen):
    return {
        "citizen_id": citizen.citizen_id,
        "full_name": citizen.full_name,
        "gender": citizen.get_gender_display(),
        "birth_year": citizen.birth_year,
        "ethnicity": citizen.ethnicity,
        "religion": citizen.religion,
        "area": " / ".join(area.name for area in area_ancestors(citizen.area)),
        "target_group": citizen.get_target_group_display(),
        "occupation": citizen.occupation,
        "workplace": citizen.workplace.name if citizen.workplace_id else "",
        "phone": citizen.phone,
        "email": citizen.email,
        "consent_at": citizen.consent_at,
        "hidden_from_public_listings": citizen.listing_opt_out,
        "registered_at": citizen.created_at,
    }


def _account_section(*, citizen):
    user = citizen.user
    if user is None:
        return None
    return {
        "username": user.get_username(),
        "email": user.email,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _citizen_courses_section(*, citizen):
    return [
        {
            "course": course.course_title,
            "provider": course.get_provider_display(),
            "completed_on": course.completed_on,
            "hours": course.hours,
            "grade": course.grade,
            "certificate_url": course.certificate_url,
        }
        for course in citizen.course_completions.order_by("completed_on", "pk")
    ]


def _erase_courses(*, citizen):
    """Course completions stay (hours, dates); the link to a personal certificate goes, and so
    does the xAPI statement an LMS reported one with (it names the learner)."""
    citizen.course_completions.update(certificate_url="")
    statements = citizen.course_completions.filter(xapi_statement__isnull=False).update(
        xapi_statement=None
    )
    return {"xapi_statements": statements} if statements else {}


def register_personal_data_sections():
    """This app's own sections, placed among those the other apps register."""
    for section in (
        personal_data.PersonalDataSection(key="citizen", order=10, export=_citizen_section),
        personal_data.PersonalDataSection(key="account", order=20, export=_account_section),
        personal_data.PersonalDataSection(
            key="courses", order=70, export=_citizen_courses_section, erase=_erase_courses
        ),
    ):
        personal_data.register(section)
    personal_data.register_retention(
        personal_data.RetentionRule(
            key="pending_completions",
            setting="PENDING_COMPLETION_KEEP_DAYS",
            purge=pending_purge,
        )
    )


def citizen_data_export(*, citizen) -> dict:
    """Everything held about the citizen, in plain sections (Decree 13, right of access)."""
    return {
        "exported_at": timezone.now(),
        **{section.key: section.export(citizen=citizen) for section in personal_data.sections()},
    }


def export_json(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _cell(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def export_xlsx(data) -> bytes:
    """One sheet per section: the record as field/value rows, lists as tables. What the
    citizen or an officer typed (a name, a comment) stays text, never a live formula."""
    workbook = spreadsheets.new_workbook()
    for section, content in data.items():
        if section == "exported_at":
            continue
        sheet = workbook.create_sheet(section[:31])
        if isinstance(content, dict):
            for key, value in content.items():
                spreadsheets.append_row(sheet, [key, _cell(value)])
        elif content:
            headings = list(content[0])
            spreadsheets.append_row(sheet, headings)
            for row in content:
                spreadsheets.append_row(sheet, [_cell(row[key]) for key in headings])
    return spreadsheets.workbook_bytes(workbook)


@transaction.atomic
def citizen_anonymise(*, citizen, officer, request=None) -> Citizen:
    """Remove what identifies the citizen; keep what the figures and recognitions count.

    Refuses a citizen already anonymised. Each registered section removes its part
    (`learning_units.personal_data`); the counts they return go to the audit log.
    """
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    if is_anonymised(citizen):
        raise ValidationError(_("This citizen is already anonymised."), code="anonymised")
    removed = {}
    for section in personal_data.sections():
        if section.erase is not None:
            removed.update(section.erase(citizen=citizen))

    user = citizen.user
    if user is not None:
        user.username = f"anonymised-{citizen.pk}"
        user.email = ""
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()

    citizen.citizen_id = f"{ANONYMOUS_ID_PREFIX}{citizen.pk:011d}"[:12]
    citizen.full_name = f"#{citizen.pk}"
    citizen.birth_year = citizen.birth_year - citizen.birth_year % 10
    citizen.ethnicity = ""
    citizen.religion = ""
    citizen.occupation = ""
    citizen.phone = ""
    citizen.email = ""
    citizen.consent_at = None
    citizen.listing_opt_out = True
    citizen.user = None
    citizen.save()
    audit_record(
        request=request,
        actor=officer,
        action=AuditAction.ANONYMISE,
        obj=citizen,
        detail=removed,
    )
    return citizen
