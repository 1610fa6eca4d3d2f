"""Completions an LMS reported for learners who are no citizens yet (issue #20).

A course report always lists learners who have not registered here. Their completions are kept
(`PendingCompletion`, one per source, course and learner) instead of refusing the file, and
become the citizen's `CourseCompletion` as soon as a citizen of the source's area has that
e-mail address, LMS username (a learner mapping) or citizen ID: `pending_attach` is the one
place that does it, called whenever a citizen, a user's e-mail or a learner mapping is saved
(`signal_handlers`) and after the citizens import writes its rows (bulk writes send no signals).

Who may see them: officers whose jurisdiction covers the source's area (`pending_for_officer`).
How long they are kept: `pending_purge`, the retention rule registered with
`learning_units.personal_data` (`CDHT_PENDING_COMPLETION_KEEP_DAYS`).
"""

import hashlib

from .. import jurisdiction
from ..models import Citizen, CourseCompletion, LmsSource, PendingCompletion
from .ids import report_external_id
from .matching import chunks, learner_key

Matching = LmsSource.Matching
UPDATED = ["matching", "learner_name", "course_title", "grade", "updated_at"]
# A learner an xAPI statement names by the hash of their address (mbox_sha1sum) waits under
# this prefix and the hash: a citizen with that address attaches it like an address.
SHA1_PREFIX = "sha1:"


def pending_record(*, source, pending, xapi=False):
    """Keep (or refresh) the pending completions of an import: `pending` holds dicts with the
    learner key and name, the course and the date. A later report keeps Open edX's first date
    (its date is the day the report ran), and Moodle's own. `xapi`: the rows come from xAPI
    statements (`lms.xapi.services`), which carry the hours and the statement too: the latest
    statement of a learner's course is the one kept with it."""
    updated = list(UPDATED)
    if source.provider != CourseCompletion.Provider.OPEN_EDX:
        updated.append("completed_on")
    if xapi:
        updated += ["hours", "xapi_id", "xapi_digest", "xapi_statement"]
    PendingCompletion.objects.bulk_create(
        [
            PendingCompletion(**{"source": source, "matching": source.matching, **row})
            for row in pending
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["source", "course_id", "learner_key"],
        update_fields=updated,
    )


def citizen_learners(citizen, emails=()):
    """What a citizen is known by as a learner of any source: citizen ID, e-mail addresses."""
    yield citizen.pk, None, Matching.CITIZEN_ID, citizen.citizen_id
    for email in {citizen.email, *emails} - {"", None}:
        key = learner_key(Matching.EMAIL, email)
        yield citizen.pk, None, Matching.EMAIL, key
        yield citizen.pk, None, Matching.EMAIL, SHA1_PREFIX + sha1_of(key)


def sha1_of(address):
    """xAPI's mbox_sha1sum of an address (the hash of its mailto: IRI)."""
    return hashlib.sha1(f"mailto:{address}".encode()).hexdigest()  # noqa: S324 (xAPI's hash)


def mapping_learners(mapping):
    """What a learner mapping makes a citizen known by: a username of one source."""
    key = learner_key(Matching.USERNAME, mapping.username)
    yield mapping.citizen_id, mapping.source_id, Matching.USERNAME, key


def pending_attach(*, learners):
    """Turn into course completions the pending ones of these learners ((citizen pk, source pk
    or None for any source, matching, key) tuples); returns how many. A key that two citizens
    share attaches to neither; a citizen outside the source's area gets nothing."""
    owners = {}  # (source pk or None, matching, key) → citizen pks
    for citizen_pk, source_pk, matching, key in learners:
        owners.setdefault((source_pk, matching, key), set()).add(citizen_pk)
    if not owners:
        return 0
    groups = {}  # (source pk or None, matching) → keys
    for source_pk, matching, key in owners:
        groups.setdefault((source_pk, matching), set()).add(key)
    found = []
    for (source_pk, matching), keys in groups.items():
        waiting = PendingCompletion.objects.filter(matching=matching).select_related("source__area")
        if source_pk:
            waiting = waiting.filter(source_id=source_pk)
        for part in chunks(keys):
            found.extend(waiting.filter(learner_key__in=part))
    owner_of = {}
    for pending in found:
        key = (pending.matching, pending.learner_key)
        candidates = owners.get((None, *key)) or owners.get((pending.source_id, *key), set())
        if len(candidates) == 1:
            owner_of[pending] = next(iter(candidates))
    if not owner_of:
        return 0
    paths = {}
    for part in chunks(set(owner_of.values())):
        paths.update(Citizen.objects.filter(pk__in=part).values_list("pk", "area__path"))
    attached, completions = [], []
    for pending, citizen_pk in owner_of.items():
        if jurisdiction.path_is_under(paths.get(citizen_pk, ""), pending.source.area.path):
            completions.append(completion_of(pending, citizen_pk))
            attached.append(pending.pk)
    CourseCompletion.objects.bulk_create(completions, ignore_conflicts=True)
    PendingCompletion.objects.filter(pk__in=attached).delete()
    return len(attached)


def completion_of(pending, citizen_pk):
    source = pending.source
    return CourseCompletion(
        citizen_id=citizen_pk,
        course_title=pending.course_title,
        provider=source.provider,
        course_id=pending.course_id,
        completed_on=pending.completed_on,
        grade=pending.grade,
        hours=pending.hours,
        xapi_id=pending.xapi_id,
        xapi_digest=pending.xapi_digest,
        xapi_statement=pending.xapi_statement,
        source=(CourseCompletion.Source.API if pending.xapi_id else CourseCompletion.Source.IMPORT),
        external_id=report_external_id(source.pk, citizen_pk, pending.course_id),
    )


def pending_attach_account(user):
    """A user account's e-mail address was saved: its citizen may be a pending learner."""
    if not user.email:
        return 0
    key = learner_key(Matching.EMAIL, user.email)
    keys = [key, SHA1_PREFIX + sha1_of(key)]
    if not PendingCompletion.objects.filter(matching=Matching.EMAIL, learner_key__in=keys).exists():
        return 0
    citizens = Citizen.objects.filter(user=user).values_list("pk", flat=True)
    return pending_attach(
        learners=[(pk, None, Matching.EMAIL, each) for pk in citizens for each in keys]
    )


def pending_for_officer(user):
    """Pending completions an officer may see: those of sources in their subtree."""
    return jurisdiction.scope(
        PendingCompletion.objects.all(), user, "source__area__path"
    ).select_related("source")


def pending_purge(*, before):
    """Forget learners who are no citizens: pending completions last reported before `before`,
    and with them the xAPI statements that reported them (kept on the same rows). Returns the
    number of rows deleted."""
    pending, _counts = PendingCompletion.objects.filter(updated_at__lt=before).delete()
    return pending
