"""Statements an LMS sends (`/xapi/statements`) stored, and its course completions recorded.

`statements_store` takes a whole request: every statement is checked first, and any invalid one
refuses the request with nothing stored (one transaction). A statement whose ID is known is
answered as stored when its content is the same and refused (409) when it differs (xAPI 1.0.3,
Part Three, 2.1.2). A course completion (`validation.COMPLETION_VERBS` on a course) of a learner
who is a citizen of the source's area becomes their `CourseCompletion` — one per source,
learner and course, the same ID as a report's row (`lms.ids.report_external_id`), so a report
imported later adds nothing —; of anybody else, a `PendingCompletion` (`lms.pending`).
Learners: `mbox` by e-mail address, `mbox_sha1sum` by the hash of a citizen's address in the
area, `account` by its name through the source's learner mappings (or as a citizen ID, for a
source that matches by citizen ID). A batch costs the same few queries whatever its size.

What is kept of a statement: a completion's ID, digest and JSON on the row it makes (one row
written per statement). Nothing of the others — statements that are no course completion,
completions of an `openid` learner, a later report of a course already completed: they are
acknowledged and ignored, and sent again they are ignored again. So the 409 of a reused ID is
given for the statements kept, which is all the specification asks of an LRS about the
statements it has (xAPI 1.0.3, Part Three, 2.1.2: "SHOULD", of a statement "it already has"),
and an LMS that logs every event (logstore_xapi sends views, attempts…) does not add a row per
event to the database.
"""

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import jurisdiction
from ...imports.cells import CellError
from ...models import Citizen, CourseCompletion, LmsSource, PendingCompletion
from .. import rows
from ..ids import report_external_id
from ..matching import LearnerIndex, MatchError, chunks, learner_key
from ..pending import SHA1_PREFIX, pending_record, sha1_of
from ..services import ItemError, PushInvalid
from .validation import Invalid, statement_read

Matching = LmsSource.Matching
MAX_STATEMENTS = 1000
MAX_COURSE_ID = 120


class StatementConflict(Exception):
    """A statement ID already stored with other content (409)."""

    def __init__(self, index, statement_id):
        super().__init__(statement_id)
        self.error = ItemError(
            index,
            "id",
            _("A statement with the ID %(id)s is already stored with other content.")
            % {"id": statement_id},
            "conflict",
        )


def statements_read(items, *, statement_id=None):
    """Every statement checked; `PushInvalid` with each error (index and field)."""
    errors, read = [], []
    for index, item in enumerate(items):
        try:
            read.append(statement_read(item, statement_id=statement_id))
        except Invalid as invalid:
            errors.append(ItemError(index, invalid.field, invalid.message, invalid.code))
    by_id = {}
    for index, statement in enumerate(read):
        first = by_id.setdefault(statement.id, (index, statement.digest))
        if first[1] != statement.digest:
            errors.append(
                ItemError(
                    index,
                    "id",
                    _("Statement %(index)s of this batch has the same ID and other content.")
                    % {"index": first[0]},
                    "duplicate_in_batch",
                )
            )
    if errors:
        raise PushInvalid(errors)
    return read


def statements_store(*, source, items, statement_id=None):
    """Store a request's statements; returns their IDs in order (`PushInvalid`,
    `StatementConflict`)."""
    statements = statements_read(items, statement_id=statement_id)
    try:
        return _store(source, items, statements)
    except IntegrityError:
        # The same statements arrived twice at once: the retry finds the first's rows.
        return _store(source, items, statements)


def _store(source, items, statements):
    known = {}
    for part in chunks({statement.id for statement in statements}):
        for model in (CourseCompletion, PendingCompletion):
            known.update(
                model.objects.filter(xapi_id__in=part).values_list("xapi_id", "xapi_digest")
            )
    known = {str(key): value for key, value in known.items()}
    fresh, seen = [], set()
    for index, statement in enumerate(statements):
        if statement.id in known:
            if known[statement.id] != statement.digest:
                raise StatementConflict(index, statement.id)
            continue
        if statement.completion and statement.id not in seen:
            seen.add(statement.id)
            fresh.append((statement, items[index]))
    with transaction.atomic():
        completions_record(source=source, found=fresh)
        LmsSource.objects.filter(pk=source.pk).update(last_used_at=timezone.now())
    return [statement.id for statement in statements]


def learner_matching(source, learner):
    """How a statement's learner is looked up (None: an openid, which nothing maps)."""
    if learner.kind in {"mbox", "mbox_sha1sum"}:
        return Matching.EMAIL
    if learner.kind == "account":
        return Matching.CITIZEN_ID if source.matching == Matching.CITIZEN_ID else Matching.USERNAME
    return None


def addresses_of_hashes(source, hashes):
    """The e-mail addresses of the source's area whose mbox_sha1sum is among `hashes`. The
    hash cannot be looked up in the database: the area's addresses are hashed here, once per
    request that has any."""
    if not hashes:
        return {}
    rows_ = Citizen.objects.filter(jurisdiction.under("area__path", source.area.path)).filter(
        ~Q(email="") | ~Q(user__email="")
    )
    found = {}
    for email, user_email in rows_.values_list("email", "user__email"):
        for address in {email, user_email} - {"", None}:
            key = learner_key(Matching.EMAIL, address)
            if (digest := sha1_of(key)) in hashes:
                found[digest] = key
    return found


def completions_record(*, source, found):
    """The course completions of one request: (validation.Statement, the statement as sent)
    pairs, each kept with the completion or pending completion it makes."""
    if not found:
        return
    hashes = {
        s.completion.learner.key for s, _raw in found if s.completion.learner.kind == "mbox_sha1sum"
    }
    addresses = addresses_of_hashes(source, hashes)
    keyed = []
    for statement, raw in found:
        completion = statement.completion
        record = {"xapi_id": statement.id, "xapi_digest": statement.digest, "xapi_statement": raw}
        matching = learner_matching(source, completion.learner)
        if matching is None:
            continue
        key = completion.learner.key
        if completion.learner.kind == "mbox_sha1sum":
            key = addresses.get(key, SHA1_PREFIX + key)
        keyed.append((completion, record, matching, learner_key(matching, key)))
    indexes = {}
    for matching in {entry[2] for entry in keyed}:
        index = LearnerIndex(matching=matching, source=source, scopes=[[source.area.path]])
        index.load(key for _c, _r, m, key in keyed if m == matching)
        indexes[matching] = index
    values_of = CompletionValues()
    new, pending = [], {}
    for completion, record, matching, key in keyed:
        values = values_of(completion)
        try:
            learner = indexes[matching].find(key)
        except MatchError:
            pending.setdefault(
                (values["course_id"], key),
                {
                    "matching": matching,
                    "learner_key": key,
                    "learner_name": completion.learner.name[:255],
                    "course_id": values["course_id"],
                    "course_title": values["course_title"],
                    "completed_on": values["completed_on"],
                    "grade": values["grade"],
                    "hours": values["hours"],
                    **record,
                },
            )
            continue
        new.append(
            CourseCompletion(
                citizen_id=learner.pk,
                provider=source.provider,
                source=CourseCompletion.Source.API,
                external_id=report_external_id(source.pk, learner.pk, values["course_id"]),
                **record,
                **values,
            )
        )
    # The first report of a completion stands: a later one (in this batch, a later batch or a
    # report file) meets the unique (provider, external ID) and is left out by the database.
    CourseCompletion.objects.bulk_create(new, batch_size=MAX_STATEMENTS, ignore_conflicts=True)
    if pending:
        pending_record(source=source, pending=list(pending.values()), xapi=True)


class CompletionValues:
    """A completion's fields, worked out once per course and day of a request: a batch names
    a few courses, on a few days, for many learners."""

    def __init__(self):
        self.today = timezone.localdate()
        self.zone = timezone.get_current_timezone()
        self.courses = {}
        self.days = {}
        self.hours = {}

    def __call__(self, completion):
        course = self.courses.get(completion.course_iri)
        if course is None:
            course = self.courses[completion.course_iri] = {
                "course_id": course_id(completion.course_iri),
                "course_url": course_url(completion.course_iri),
            }
        return {
            "course_title": completion.course_name[:255],
            **course,
            "completed_on": self.day(completion.timestamp),
            "hours": self.hours_of(completion.hours),
            "grade": completion.grade,
        }

    def day(self, when):
        if when is None:
            return self.today
        day = self.days.get(when)
        if day is None:
            day = self.days[when] = min(when.astimezone(self.zone).date(), self.today)
        return day

    def hours_of(self, duration):
        if duration is None:
            return None
        if duration not in self.hours:
            try:
                self.hours[duration] = rows.hours(duration)
            except CellError:
                # A duration beyond the largest number of hours kept says nothing useful.
                self.hours[duration] = None
        return self.hours[duration]


def course_id(course_iri):
    """The activity IRI, shortened with a digest when longer than the field."""
    if len(course_iri) <= MAX_COURSE_ID:
        return course_iri
    digest = hashlib.sha256(course_iri.encode()).hexdigest()[:32]
    return f"{course_iri[: MAX_COURSE_ID - 33]}#{digest}"


def course_url(course_iri):
    if len(course_iri) <= 200 and course_iri.startswith(("http://", "https://")):
        return course_iri if rows.is_web_address(course_iri) else ""
    return ""
