"""The one place where this app connects its signals, from `LearningUnitsConfig.ready()`.

Officers' groups (`officer_groups`) are made by `migrate` and follow their roles: a role saved
or deleted syncs its officer's groups.

Pending LMS completions (`lms.pending`) attach when a citizen becomes a known learner: a citizen
saved (registered, edited, its e-mail or ID changed), a user account's e-mail saved, a learner
mapping saved. Saves that name their fields and touch none of these are left alone. The
citizens import writes in bulk (no signals) and calls `pending_attach` itself.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_migrate, post_save

from .lms.pending import citizen_learners, mapping_learners, pending_attach, pending_attach_account
from .models import Citizen, LearnerMapping, OfficerRole
from .officer_groups import officer_groups_ensure, officer_groups_sync

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


def role_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw:
        return  # fixtures load rows as they are
    if isinstance(origin, get_user_model()):
        return  # the user is being deleted: their memberships go with them
    officer_groups_sync(instance.user)


def connect():
    post_migrate.connect(officer_groups_ensure, dispatch_uid="cdht_officer_groups")
    post_save.connect(role_changed, sender=OfficerRole, dispatch_uid="cdht_role_saved")
    post_delete.connect(role_changed, sender=OfficerRole, dispatch_uid="cdht_role_deleted")
    post_save.connect(citizen_saved, sender=Citizen, dispatch_uid="cdht-pending-citizen")
    post_save.connect(account_saved, sender=get_user_model(), dispatch_uid="cdht-pending-user")
    post_save.connect(mapping_saved, sender=LearnerMapping, dispatch_uid="cdht-pending-mapping")
