"""Signals of the assessments app, for the apps above it (docs/architecture.md, registries).

`assessments_moved` is sent inside the transaction of every transition (start, edit, submit,
verify, return, reject, recognise, revoke), once the rows have reached their new state: the
reports keep their summaries current in that same transaction (`reports.services`).
"""

from django.dispatch import Signal

from .models import Assessment

# kwargs: assessments — the Assessment objects that moved (their area_id and year are read).
assessments_moved = Signal()


def announce_moved(assessments):
    """Tell the receivers that `assessments` changed state (called where the ReviewEvents of a
    transition are written: `services.review.review_events`, `services.editing.record_event`)."""
    assessments_moved.send(sender=Assessment, assessments=list(assessments))
