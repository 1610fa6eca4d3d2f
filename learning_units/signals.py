"""Signals of the learning_units app, for the apps above it (docs/architecture.md, registries).

They tell the reports which kept summaries a write of citizens, members, units or areas makes
stale; the reports count those again in the writer's transaction (`reports.signal_handlers`).

- `citizens_changed` (keys): citizens of these (area id, target group) were written —
  registered, deleted, moved (where they live now and lived before), another target group or
  workplace, members added or removed; a group of None stands for every group. Sent by the
  imports' bulk writes (which send no model signals) and, for single saves, by the reports'
  own model-signal receivers through `announce_citizens_changed`.
- `units_changed` (unit_ids): these units' kind changed (the units import's bulk write).
- `areas_moved` (area_ids): these areas were given another parent, with their former parents
  (`Area.save`, the areas import).
- `citizens_renamed` (citizen_ids), `units_renamed` (unit_ids): these citizens' or units' names
  changed in the imports' bulk writes (single saves send `post_save`): the public listings show
  names.

Inside `changes_batched()` the announcements are kept and sent once, at the end of the block,
still inside its transaction, each with the union of what the block's writes named: a bulk
delete of N citizens counts each commune once, not N times.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal

SENDER = "learning_units"

citizens_changed = Signal()
units_changed = Signal()
areas_moved = Signal()
citizens_renamed = Signal()
units_renamed = Signal()

# The announcements kept by the innermost open `changes_batched()` block of this context
# (a thread or a task): {signal: set of ids}.
_batch = ContextVar("learning_units_changes_batch", default=None)


@contextmanager
def changes_batched(using=None):
    """One transaction whose announcements are sent once at its end, before it commits.

    A block inside another joins the outer one (its announcements wait for the outer end).
    When the block raises, nothing is sent: the transaction is rolled back anyway.
    """
    if _batch.get() is not None:
        with transaction.atomic(using=using):
            yield
        return
    pending = {}
    token = _batch.set(pending)
    try:
        with transaction.atomic(using=using):
            yield
            _batch.reset(token)
            token = None
            for signal, ids in pending.items():
                signal.send(sender=SENDER, **{_IDS[signal]: ids})
    finally:
        if token is not None:
            _batch.reset(token)


def _announce(signal, ids):
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return
    pending = _batch.get()
    if pending is None:
        signal.send(sender=SENDER, **{_IDS[signal]: ids})
    else:
        pending.setdefault(signal, set()).update(ids)


_IDS = {
    citizens_changed: "keys",
    units_changed: "unit_ids",
    areas_moved: "area_ids",
    citizens_renamed: "citizen_ids",
    units_renamed: "unit_ids",
}


def announce_citizens_changed(area_ids=(), *, keys=()):
    """Tell the receivers that citizens of `area_ids` (every target group) or of `keys`
    ({(area id, target group)}) were written: now, or at the end of the open batch."""
    keys = {*keys, *((area_id, None) for area_id in area_ids)}
    _announce(citizens_changed, {key for key in keys if key[0] is not None})


def announce_units_changed(unit_ids):
    """Tell the receivers that the kind of the units `unit_ids` changed."""
    _announce(units_changed, unit_ids)


def announce_renamed(*, citizen_ids=(), unit_ids=()):
    """Tell the receivers that these citizens' or units' names changed (bulk writes)."""
    _announce(citizens_renamed, citizen_ids)
    _announce(units_renamed, unit_ids)


def announce_areas_moved(area_ids):
    """Tell the receivers that areas moved under another parent (the areas and their former
    parents)."""
    _announce(areas_moved, area_ids)
