"""Signals of the learning_units app, for the apps above it (docs/architecture.md, registries).

`citizens_changed` is sent inside the transaction of a bulk write of citizens or of members
(the imports' batches), which sends no model signals: the reports count the citizens of the
areas named again (`reports.signal_handlers`). Single saves and deletes, and changes of a unit's
members through the ORM, are seen by the model signals themselves.
"""

from django.dispatch import Signal

from .models import Citizen

# kwargs: area_ids — the areas whose citizens changed (where they live now and lived before).
citizens_changed = Signal()


def announce_citizens_changed(area_ids):
    """Tell the receivers that citizens of `area_ids` were written in bulk."""
    area_ids = {area_id for area_id in area_ids if area_id is not None}
    if area_ids:
        citizens_changed.send(sender=Citizen, area_ids=area_ids)
