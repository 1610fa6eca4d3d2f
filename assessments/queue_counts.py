"""Counts per status of the officers' queue, kept for a minute and dropped on every change.

The queue shows how many assessments of the officer's subtree are in each status. At 100,000
assessments that grouped count reads every row's (area, status) index entry: 17–23 ms on
SQLite, a third of the page (bench/bench_review_queue.py). An officer going through the queue
asks for the same counts page after page, so they are kept in the cache, per officer, subtree
and filters, for at most `TTL` seconds.

They can never lag behind a change of status: a version number in the cache goes up after
every commit that creates, deletes or changes the status, area, year or target group of an
assessment (AssessmentQuerySet and the model signals call `changed`), and the version is part
of the key. Counts filtered by what changes all the time or names a person (points, evidence,
a search) are always counted live. Deleting rows with raw SQL would not be seen before `TTL`.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

TTL = 60
VERSION_KEY = "cdht:queue-counts:version"
# Filters whose values only change with the writes that move the version.
CACHEABLE = {"province", "area", "target_group", "year"}
# Fields whose change moves the version (what the counts group or filter by).
COUNTED_FIELDS = {"status", "area", "area_id", "province", "province_id", "year", "target_group"}


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted: start from a number never used before
        cache.add(VERSION_KEY, time.time_ns(), None)
        cache.incr(VERSION_KEY)


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:  # evicted: counts kept under an older number must not come back
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY, 0)
    return version


def changed(using="default"):
    """Assessments were created, deleted or moved between counts: the kept counts stop being
    used now (for this transaction's own requests) and again after the commit (counts another
    request took meanwhile could not see the change yet)."""
    _bump()
    transaction.on_commit(_bump, using=using)


def status_counts(*, user, paths, params, count):
    """{status: n} from the cache when the filters allow it, else `count()` (and kept).

    `paths` are the officer's subtree (part of the key: a new role shows new counts at once),
    `params` the request's GET parameters (the status tab and the page do not matter)."""
    used = {
        name: value
        for name, values in params.lists()
        if name not in ("status", "p", "ordering")
        for value in [values]
        if any(values)
    }
    if set(used) - CACHEABLE:
        return count()
    version = _version()
    raw = repr((user.pk, sorted(paths), sorted(used.items()), version))
    key = "cdht:queue-counts:" + hashlib.sha256(raw.encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = count()
        cache.set(key, counts, TTL)
    return counts


def _saved(sender, instance, created, update_fields=None, using="default", **kwargs):
    if created or update_fields is None or COUNTED_FIELDS.intersection(update_fields):
        changed(using)


def _deleted(sender, instance, using="default", **kwargs):
    changed(using)


def connect_signals(model):
    """Single saves and deletes (cascades included) move the version too."""
    post_save.connect(_saved, sender=model, dispatch_uid="cdht-queue-counts-save")
    post_delete.connect(_deleted, sender=model, dispatch_uid="cdht-queue-counts-delete")
