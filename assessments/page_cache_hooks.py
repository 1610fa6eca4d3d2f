"""A citizen's listing opt-out, name change or erasure changes what the recognition listings
and the verification pages of their recognitions show: purge those pages from the page cache
(`learning_units.page_cache`). Recognition and revocation purge in their services.

Citizens are saved by the officers' admin form, by erasure (which also opts out) and by the
citizen's own profile, so the purge follows the model's save rather than each caller. The
look-up of their recognitions runs after the commit, so a save costs nothing more inside its
transaction.
"""

from django.db import transaction
from django.db.models.signals import post_save

from learning_units.page_cache import public_pages_changed

from .models import Recognition

# What a public listing or verification page shows of a citizen.
SHOWN_FIELDS = {"listing_opt_out", "full_name", "search_name"}


def _purge_recognitions_of(citizen_id):
    rows = list(
        Recognition.objects.filter(assessment__citizen_id=citizen_id).values_list(
            "assessment__area__path", "verification_code"
        )
    )
    if rows:
        paths, codes = zip(*rows, strict=True)
        public_pages_changed(area_paths=paths, verification_codes=codes)


def _citizen_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not SHOWN_FIELDS & set(update_fields)):
        return
    citizen_id = instance.pk
    transaction.on_commit(lambda: _purge_recognitions_of(citizen_id), robust=True)


def connect_signals(citizen_model):
    post_save.connect(_citizen_saved, sender=citizen_model, dispatch_uid="cdht-page-cache-citizen")
