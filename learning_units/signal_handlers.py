"""Signal wiring of the app, connected from `LearningUnitsConfig.ready()`.

Pending LMS completions (`lms.pending`) attach when a citizen becomes a known learner: a citizen
saved (registered, edited, its e-mail or ID changed), a user account's e-mail saved, a learner
mapping saved. Saves that name their fields and touch none of these are left alone. The
citizens import writes in bulk (no signals) and calls `pending_attach` itself.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from .lms.pending import citizen_learners, mapping_learners, pending_attach, pending_attach_account
from .models import Citizen, LearnerMapping

CITIZEN_KEYS = {"citizen_id", "email"}


def citizen_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not CITIZEN_KEYS & set(update_fields)):
        return
    pending_attach(learners=citizen_learners(instance))


def account_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and "email" not in update_fields):
        return
    pending_attach_account(instance)


def mapping_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        pending_attach(learners=mapping_learners(instance))


def connect():
    post_save.connect(citizen_saved, sender=Citizen, dispatch_uid="cdht-pending-citizen")
    post_save.connect(account_saved, sender=get_user_model(), dispatch_uid="cdht-pending-user")
    post_save.connect(mapping_saved, sender=LearnerMapping, dispatch_uid="cdht-pending-mapping")
