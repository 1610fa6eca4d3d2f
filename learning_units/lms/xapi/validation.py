"""One xAPI statement checked and read, without a query (xAPI 1.0.3 and 2.0, "Statements").

`statement_read` returns what the store needs (the ID, a digest of the content, the verb, and
for a course completion the learner, the course, the date and the hours) or raises `Invalid`
naming the field. The rules follow the specification's MUSTs an LRS checks: exactly one
inverse functional identifier for an agent, IRIs for verb and activity IDs, ISO 8601
timestamps with a time zone and durations, UUIDs, versions 1.0.x and 2.0.x.
"""

import datetime
import hashlib
import json
import re
import uuid
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ...text import strip_controls

# Verbs that say a learner finished a course: ADL's "completed" and "passed" (Open edX's
# event-routing-backends: edx.course.completed, edx.course.grade.passed.first_time) and the
# Tin Can registry's "completed" (Moodle's logstore_xapi: \core\event\course_completed).
COMPLETION_VERBS = frozenset(
    {
        "http://adlnet.gov/expapi/verbs/completed",
        "http://adlnet.gov/expapi/verbs/passed",
        "http://id.tincanapi.com/verb/completed",
    }
)
# Activity types of a whole course (not a quiz or a module within it).
COURSE_TYPES = frozenset(
    {
        "http://adlnet.gov/expapi/activities/course",
        "http://id.tincanapi.com/activitytype/lms/course",
    }
)
STATEMENT_FIELDS = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
        "objectType",
    }
)
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
VERSION = re.compile(r"^[12]\.0(\.\d+)?$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f]+$")
SHA1 = re.compile(r"^[0-9a-f]{40}$")
_NUMBER = r"(\d+(?:[.,]\d+)?)"
DURATION = re.compile(
    rf"^P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
    rf"(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?$"
)
# Hours in each part of a duration; a year and a month are those of the calendar's average
# (a course that reports a year of study is rare: the hours then are an estimate).
DURATION_HOURS = tuple(Decimal(n) for n in ("8766", "730.5", "168", "24", "1", "0", "0"))
MAX_IRI = 2048
MAX_TEXT = 1000
# Languages a course name is read in, in order; else the first the statement gives.
NAME_LANGUAGES = ("vi-VN", "vi", "en-US", "en-GB", "en")


class Invalid(Exception):
    def __init__(self, field, message, code="invalid"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code


class Learner(NamedTuple):
    kind: str  # "mbox", "mbox_sha1sum", "account" or "openid"
    key: str  # the address, the hash or the account's name
    name: str


class Completion(NamedTuple):
    learner: Learner
    course_iri: str
    course_name: str
    timestamp: datetime.datetime | None
    hours: Decimal | None
    grade: str


class Statement(NamedTuple):
    id: str
    digest: str
    verb: str
    completion: Completion | None


def statement_read(raw, *, statement_id=None):
    """Check one statement; `statement_id`: the ID a PUT gives in its query string."""
    if not isinstance(raw, dict):
        raise Invalid("", _("A statement must be a JSON object."))
    unknown = sorted(set(raw) - STATEMENT_FIELDS)
    if unknown:
        raise Invalid(unknown[0], _("This property is not part of an xAPI statement."), "unknown")
    given = raw.get("id")
    if given is not None:
        given = uuid_text(given, "id")
    if statement_id is not None and given is not None and given != statement_id:
        raise Invalid("id", _("The statement's ID differs from the statementId parameter."))
    if "version" in raw and not (isinstance(raw["version"], str) and VERSION.match(raw["version"])):
        raise Invalid("version", _("The version must be 1.0.x or 2.0.x."), "version")
    for name in ("timestamp", "stored"):
        if name in raw:
            timestamp(raw[name], name)
    actor = agent(raw.get("actor"), "actor")
    verb = verb_id(raw.get("verb"))
    activity = statement_object(raw.get("object"))
    hours, grade = result(raw.get("result"))
    if "context" in raw and not isinstance(raw["context"], dict):
        raise Invalid("context", _("Must be a JSON object."))
    if "authority" in raw:
        agent(raw["authority"], "authority")
    completion = None
    if (
        verb in COMPLETION_VERBS
        and activity is not None
        and activity[1] in COURSE_TYPES
        and actor is not None
    ):
        completion = Completion(
            actor,
            activity[0],
            activity[2],
            timestamp(raw["timestamp"], "timestamp") if "timestamp" in raw else None,
            hours,
            grade,
        )
    the_id = statement_id or given or str(uuid.uuid4())
    return Statement(the_id, digest(raw), verb, completion)


def digest(raw):
    """What tells two statements with one ID apart: their content, less what an LRS sets
    (xAPI 1.0.3, Part Two, 2.4.8 "stored", 2.4.9 "authority", 2.4.10 "version")."""
    content = {k: v for k, v in raw.items() if k not in {"id", "stored", "authority", "version"}}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def uuid_text(value, field):
    if not isinstance(value, str) or len(value) != 36:
        raise Invalid(field, _("Must be a UUID."), "uuid")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise Invalid(field, _("Must be a UUID."), "uuid") from None


def iri(value, field):
    if not isinstance(value, str) or len(value) > MAX_IRI or not IRI.match(value):
        raise Invalid(field, _("Must be an absolute IRI (such as https://…)."), "iri")
    return value


def plain(value, field):
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise Invalid(
            field, _("Must be a string of at most %(max)s characters.") % {"max": MAX_TEXT}
        )
    return strip_controls(value).strip()


def language_map(value, field):
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and len(key) <= 35 and isinstance(text, str)
        for key, text in value.items()
    ):
        raise Invalid(field, _("Must be a language map (language code → text)."), "language_map")
    return {key: plain(text, f"{field}.{key}") for key, text in value.items()}


def timestamp(value, field):
    """An ISO 8601 date and time with a time zone (xAPI 1.0.3, Part Two, 2.4.7)."""
    if isinstance(value, str) and 10 < len(value) <= 40 and "T" in value:
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    raise Invalid(
        field,
        _("Must be an ISO 8601 date and time with a time zone, such as 2025-06-05T10:00:00+07:00."),
        "timestamp",
    )


def duration_hours(value, field):
    """The hours of an ISO 8601 duration (PnYnMnWnDTnHnMnS), such as PT2H30M."""
    match = DURATION.match(value) if isinstance(value, str) and len(value) <= 64 else None
    if match is None or value in {"P", "PT"} or value.endswith("T"):
        raise Invalid(field, _("Must be an ISO 8601 duration, such as PT2H30M."), "duration")
    parts = [Decimal(part.replace(",", ".")) if part else Decimal(0) for part in match.groups()]
    minutes, seconds = parts[5], parts[6]
    hours = sum(part * factor for part, factor in zip(parts, DURATION_HOURS, strict=True))
    return hours + minutes / 60 + seconds / 3600


def agent(value, field):
    """The learner of an Agent (exactly one identifier); None for an anonymous Group."""
    if not isinstance(value, dict):
        raise Invalid(field, _("Must be an Agent or a Group (a JSON object)."))
    kind = value.get("objectType", "Agent")
    if kind not in {"Agent", "Group"}:
        raise Invalid(f"{field}.objectType", _("Must be “Agent” or “Group”."))
    given = [name for name in IFIS if name in value]
    if kind == "Group" and not given:
        if not isinstance(value.get("member"), list) or not value["member"]:
            raise Invalid(f"{field}.member", _("An anonymous Group must list its members."))
        for index, member in enumerate(value["member"]):
            agent(member, f"{field}.member.{index}")
        return None
    if len(given) != 1:
        raise Invalid(
            field,
            _("Give exactly one of mbox, mbox_sha1sum, openid or account."),
            "identifier",
        )
    name = plain(value.get("name", ""), f"{field}.name")
    ifi = given[0]
    raw = value[ifi]
    if ifi == "mbox":
        address = raw[7:] if isinstance(raw, str) and raw.startswith("mailto:") else ""
        try:
            validate_email(address)
        except ValidationError:
            raise Invalid(
                f"{field}.mbox", _("Must be mailto: and an e-mail address."), "mbox"
            ) from None
        return Learner("mbox", address, name)
    if ifi == "mbox_sha1sum":
        if not isinstance(raw, str) or not SHA1.match(raw.lower()):
            raise Invalid(f"{field}.mbox_sha1sum", _("Must be 40 hexadecimal digits."), "sha1")
        return Learner("mbox_sha1sum", raw.lower(), name)
    if ifi == "openid":
        return Learner("openid", iri(raw, f"{field}.openid"), name)
    if not isinstance(raw, dict):
        raise Invalid(f"{field}.account", _("Must be an object with homePage and name."))
    iri(raw.get("homePage"), f"{field}.account.homePage")
    account = plain(raw.get("name"), f"{field}.account.name")
    if not account:
        raise Invalid(f"{field}.account.name", _("The account's name is empty."))
    return Learner("account", account, name)


def verb_id(value):
    if not isinstance(value, dict):
        raise Invalid("verb", _("Must be a JSON object with an id."))
    if "display" in value:
        language_map(value["display"], "verb.display")
    return iri(value.get("id"), "verb.id")


def statement_object(value):
    """(IRI, type, name) of an Activity; None for another kind of object (checked)."""
    if not isinstance(value, dict):
        raise Invalid("object", _("Must be a JSON object."))
    kind = value.get("objectType", "Activity")
    if kind in {"Agent", "Group"}:
        agent(value, "object")
        return None
    if kind == "StatementRef":
        uuid_text(value.get("id"), "object.id")
        return None
    if kind == "SubStatement":
        for name in ("actor", "verb", "object"):
            if name not in value:
                raise Invalid(
                    f"object.{name}", _("A SubStatement needs an actor, a verb and an object.")
                )
        agent(value["actor"], "object.actor")
        verb_id(value["verb"])
        return None
    if kind != "Activity":
        raise Invalid(
            "object.objectType", _("Must be Activity, Agent, Group, StatementRef or SubStatement.")
        )
    activity = iri(value.get("id"), "object.id")
    definition = value.get("definition", {})
    if not isinstance(definition, dict):
        raise Invalid("object.definition", _("Must be a JSON object."))
    kind = iri(definition["type"], "object.definition.type") if "type" in definition else ""
    names = language_map(definition.get("name", {}), "object.definition.name")
    name = next((names[code] for code in NAME_LANGUAGES if names.get(code)), "")
    name = name or next((text for text in names.values() if text), "") or activity
    return activity, kind, name


def result(value):
    """(hours from the duration, grade) of a result, both optional."""
    if value is None:
        return None, ""
    if not isinstance(value, dict):
        raise Invalid("result", _("Must be a JSON object."))
    for name in ("success", "completion"):
        if name in value and not isinstance(value[name], bool):
            raise Invalid(f"result.{name}", _("Must be true or false."))
    hours = duration_hours(value["duration"], "result.duration") if "duration" in value else None
    score = value.get("score", {})
    if not isinstance(score, dict):
        raise Invalid("result.score", _("Must be a JSON object."))
    for name in ("scaled", "raw", "min", "max"):
        if name in score and (
            isinstance(score[name], bool) or not isinstance(score[name], int | float)
        ):
            raise Invalid(f"result.score.{name}", _("Must be a number."))
    scaled = score.get("scaled")
    if scaled is not None and not -1 <= scaled <= 1:
        raise Invalid("result.score.scaled", _("Must be between -1 and 1."))
    grade = f"{round(scaled * 100)}%" if scaled is not None else ""
    return hours, grade
