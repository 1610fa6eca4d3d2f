"""A citizen's listing opt-out, name change or erasure, or a unit's new name, changes what the
recognition listings and the verification pages of their recognitions show: purge those pages
from the page cache (`learning_units.page_cache`). Recognition and revocation purge in their
services; the imports' bulk renames announce themselves (`learning_units.signals`).

Citizens are saved by the officers' admin form, by erasure (which also opts out) and by the
citizen's own profile, so the purge follows the model's save rather than each caller. The
look-up of their recognitions runs after the commit, so a save costs nothing more inside its
transaction.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save

from learning_units.page_cache import public_pages_changed
from learning_units.signals import citizens_renamed, units_renamed

from .models import Recognition

# What a public listing or verification page shows of a citizen or a unit.
SHOWN_FIELDS = {"listing_opt_out", "full_name", "name", "search_name"}


def _purge_recognitions_of(*, citizen_ids=(), unit_ids=()):
    rows = list(
        Recognition.objects.filter(
            Q(assessment__citizen__in=citizen_ids) | Q(assessment__learning_unit__in=unit_ids)
        ).values_list("assessment__area__path", "verification_code")
    )
    if rows:
        paths, codes = zip(*rows, strict=True)
        public_pages_changed(area_paths=paths, verification_codes=codes)


def _citizen_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not SHOWN_FIELDS & set(update_fields)):
        return
    citizen_ids = [instance.pk]
    transaction.on_commit(lambda: _purge_recognitions_of(citizen_ids=citizen_ids), robust=True)


def _unit_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not SHOWN_FIELDS & set(update_fields)):
        return
    unit_ids = [instance.pk]
    transaction.on_commit(lambda: _purge_recognitions_of(unit_ids=unit_ids), robust=True)


def _renamed(sender, citizen_ids=(), unit_ids=(), **kwargs):
    citizen_ids, unit_ids = list(citizen_ids), list(unit_ids)
    transaction.on_commit(
        lambda: _purge_recognitions_of(citizen_ids=citizen_ids, unit_ids=unit_ids), robust=True
    )


def connect_signals(citizen_model, unit_model):
    post_save.connect(_citizen_saved, sender=citizen_model, dispatch_uid="cdht-page-cache-citizen")
    post_save.connect(_unit_saved, sender=unit_model, dispatch_uid="cdht-page-cache-unit")
    citizens_renamed.connect(_renamed, dispatch_uid="cdht-page-cache-citizens-renamed")
    units_renamed.connect(_renamed, dispatch_uid="cdht-page-cache-units-renamed")
