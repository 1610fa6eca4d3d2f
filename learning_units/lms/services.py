"""State-changing actions of LMS sources: tokens, and completions pushed through the API."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..imports.cells import CellError, citizen_id, text
from ..models import CourseCompletion, LmsSource
from . import rows
from .matching import LearnerIndex, MatchError, learner_key
from .tokens import token_generate, token_hash

MAX_ITEMS = 1000
STATUS = {"new": "created", "updated": "updated", "unchanged": "unchanged"}
TEXT_FIELDS = {
    "course_title": 255,
    "course_id": 120,
    "grade": 40,
    "competency_tags": 255,
}
LEARNER_FIELDS = {"citizen_id", "email", "username"}
KNOWN_FIELDS = {
    "external_id",
    "course_url",
    "certificate_url",
    "completed_on",
    "hours",
    *TEXT_FIELDS,
    *LEARNER_FIELDS,
}


def lms_source_token_set(*, source):
    """Give a source a new token (creation or rotation); returns the token, shown once."""
    token = token_generate()
    source.token_hash = token_hash(token)
    source.token_prefix = token[:8]
    return token


def lms_source_create(*, user, **fields):
    source = LmsSource(created_by=user if user and user.pk else None, **fields)
    token = lms_source_token_set(source=source)
    source.full_clean()
    source.save()
    return source, token


def lms_source_rotate_token(*, source):
    """A new token replaces the old one at once: the old one stops working."""
    token = lms_source_token_set(source=source)
    source.save(update_fields=["token_hash", "token_prefix"])
    return token


def lms_source_authenticate(token):
    """The active source a bearer token belongs to, or None."""
    if not token:
        return None
    return (
        LmsSource.objects.select_related("area")
        .filter(token_hash=token_hash(token), is_active=True)
        .first()
    )


@dataclass
class ItemError:
    index: int | None
    field: str
    message: str
    code: str = "invalid"

    def as_dict(self):
        return {
            "index": self.index,
            "field": self.field,
            "code": self.code,
            "message": self.message,
        }


class PushInvalid(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} invalid items")
        self.errors = errors


@dataclass
class PushResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    results: list = field(default_factory=list)

    def as_dict(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "results": self.results,
        }


def clean_item(index, item, *, source, today, errors):
    """The completion fields of one pushed item and its learner key; errors are appended."""
    if not isinstance(item, dict):
        errors.append(ItemError(index, "", _("Each completion must be a JSON object.")))
        return None
    values = {}

    def take(name, cleaner, **kwargs):
        value = item.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int | float | None):
            errors.append(ItemError(index, name, _("Must be a string or a number."), "wrong_type"))
            return None
        try:
            values[name] = cleaner(value, **kwargs)
        except CellError as error:
            errors.append(ItemError(index, name, error.message, error.code))
            return None
        return values[name]

    for name in sorted(set(item) - KNOWN_FIELDS):
        errors.append(ItemError(index, name, _("Unknown field."), "unknown_field"))
    if isinstance(item.get("competency_tags"), list):
        item = {**item, "competency_tags": ", ".join(str(tag) for tag in item["competency_tags"])}
    take("external_id", text, max_length=120, required=True)
    take("course_title", text, max_length=255, required=True)
    for name in ("course_id", "grade", "competency_tags"):
        take(name, text, max_length=TEXT_FIELDS[name])
    take("course_url", rows.url)
    take("certificate_url", rows.url)
    if isinstance(item.get("completed_on"), str) and not rows.ISO_DATE.match(
        item["completed_on"].strip()
    ):
        errors.append(
            ItemError(index, "completed_on", _("Write the date as YYYY-MM-DD (ISO 8601)."), "date")
        )
    else:
        take("completed_on", rows.completion_date, today=today)
    take("hours", rows.hours)
    matching = source.matching
    if matching == LmsSource.Matching.CITIZEN_ID:
        key = take(matching, citizen_id)
    else:
        key = take(matching, text, max_length=254, required=True)
    if not all(name in values for name in ("external_id", "course_title", "completed_on")):
        return None
    completion = {
        "course_title": values["course_title"],
        "provider": source.provider,
        "course_id": values.get("course_id") or "",
        "course_url": values.get("course_url") or "",
        "completed_on": values["completed_on"],
        "hours": values.get("hours"),
        "grade": values.get("grade") or "",
        "certificate_url": values.get("certificate_url") or "",
        "competency_tags": values.get("competency_tags") or "",
        "external_id": values["external_id"],
    }
    return completion, (learner_key(matching, key) if key else None)


def completions_push(*, source, items):
    """Record a batch of completions from an LMS: all of them or, on any error, none.

    Idempotent by external ID: a replayed batch reports every item "unchanged". Raises
    `PushInvalid` with every error found, each naming the item and the field.
    """
    try:
        return _push(source, items)
    except IntegrityError:
        # The same batch arrived twice at once: the second sees the first's rows on a retry.
        return _push(source, items)


def _push(source, items):
    today = timezone.localdate()
    errors = []
    cleaned = [
        clean_item(i, item, source=source, today=today, errors=errors)
        for i, item in enumerate(items)
    ]
    learners = LearnerIndex(matching=source.matching, source=source, scopes=[[source.area.path]])
    learners.load(entry[1] for entry in cleaned if entry)
    plan = rows.CompletionPlan(source=CourseCompletion.Source.API)
    plan.load((entry[0]["provider"], entry[0]["external_id"]) for entry in cleaned if entry)
    result = PushResult()
    seen = {}
    for index, entry in enumerate(cleaned):
        if not entry or not entry[1]:
            continue
        completion, key = entry
        external_id = completion["external_id"]
        if external_id in seen:
            errors.append(
                ItemError(
                    index,
                    "external_id",
                    _("The same external ID is already in item %(index)s of this batch.")
                    % {"index": seen[external_id]},
                    "duplicate_in_batch",
                )
            )
            continue
        seen[external_id] = index
        try:
            learner = learners.find(key)
            status = plan.add(completion, learner.pk)
        except MatchError as error:
            errors.append(ItemError(index, source.matching, error.message, error.code))
            continue
        except CellError as error:
            errors.append(ItemError(index, "external_id", error.message, error.code))
            continue
        status = STATUS[status]
        setattr(result, status, getattr(result, status) + 1)
        result.results.append({"index": index, "external_id": external_id, "status": status})
    if errors:
        errors.sort(key=lambda error: (error.index is None, error.index or 0))
        raise PushInvalid(errors)
    with transaction.atomic():
        plan.write()
        LmsSource.objects.filter(pk=source.pk).update(last_used_at=timezone.now())
    return result
