"""Send report reads to a read replica, when the project has one (settings: DATABASES["replica"]).

Reports aggregate over millions of assessments; on a replica they cannot slow down the
self-assessment and review pages on the primary. Two ways a read goes to the replica:

- inside ``with replica_reads():`` (or a view decorated with ``@use_replica``): every read
  query, whatever the model – a report reads Assessment, Citizen and Area rows, not only its
  own tables;
- always, for models of the apps listed in ``CDHT_REPLICA_APPS`` (default: ``["reports"]``,
  its pre-aggregated figures).

Writes always go to the primary, and nothing is ever migrated on the replica (it copies the
primary). Without a "replica" alias (``CDHT_REPLICA_ALIAS``) the router says nothing and Django
uses "default". A replica lags the primary by a moment: never read back through it what the
same request has just written (report pages only read, so they can).

Settings: ``DATABASE_ROUTERS = ["learning_units.db_routers.ReplicaRouter"]`` and a "replica"
entry in DATABASES (settings/base.py builds it from ``DATABASE_REPLICA_URL``).

A replica that stops answering does not take the reports down: a view under ``use_replica``
whose replica connection fails is run again on the primary, and this process sends no reads to
the replica for CDHT_REPLICA_RETRY_SECONDS (30) before trying it again
(`scripts/replica-drill.py` stops a real standby under a running site).
"""

import contextlib
import contextvars
import functools
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections

from .conf import setting

logger = logging.getLogger(__name__)
_replica_reads = contextvars.ContextVar("cdht_replica_reads", default=False)
# Until when (time.monotonic()) this process leaves the replica alone after it failed.
_replica_down_until = {"at": 0.0}


def replica_alias():
    """The replica's alias when one is configured and not resting after a failure, else None."""
    alias = setting("REPLICA_ALIAS")
    if alias not in settings.DATABASES or time.monotonic() < _replica_down_until["at"]:
        return None
    return alias


def replica_failed(alias):
    """Rest the replica for a while and drop this thread's broken connection to it."""
    _replica_down_until["at"] = time.monotonic() + setting("REPLICA_RETRY_SECONDS")
    logger.warning("Read replica %r unreachable: reading from the primary for now.", alias)
    with contextlib.suppress(DatabaseError):  # already broken: closing is all that is wanted
        connections[alias].close()


def replica_broken(alias):
    """Whether this thread's connection to `alias` is dead (the error came from the replica)."""
    connection = connections[alias]
    return connection.connection is None or not connection.is_usable()


@contextmanager
def replica_reads():
    """Read queries made inside go to the replica (per thread / asyncio task)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def use_replica(view):
    """View decorator: the whole view reads from the replica (report pages, exports); run
    again on the primary when the replica fails (such views only read, so a second run is
    harmless)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        alias = replica_alias()
        if alias is None:
            return view(*args, **kwargs)
        try:
            with replica_reads():
                return view(*args, **kwargs)
        except DatabaseError:
            if not replica_broken(alias):
                raise  # the primary's error, or the query's own: not the replica's
            replica_failed(alias)
        return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = replica_alias()
        if alias is None:
            return None
        replica_apps = setting("REPLICA_APPS")
        if _replica_reads.get() or model._meta.app_label in replica_apps:
            return alias
        return None

    def db_for_write(self, model, **hints):
        return None  # the primary ("default")

    def allow_relation(self, obj1, obj2, **hints):
        if obj1._state.db == obj2._state.db:
            return None  # Django's own rule allows it; no settings read per assignment
        # Rows read from the replica are the primary's rows: relations between them are fine.
        databases = {"default", replica_alias()}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == replica_alias():
            return False
        return None
