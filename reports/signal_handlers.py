"""Signal wiring of the reports app, connected from `ReportsConfig.ready()`: the kept summaries
are counted again, in the writer's transaction, for what every write of citizens, members,
units or areas touches.

The model signals of single writes — a citizen saved (only when their area, target group or
workplace changed, or created) or deleted; a unit's members added, removed or cleared; a unit's
kind changed — are turned into the announcements of `learning_units.signals`, which the bulk
writes (imports, `learning_units.services.citizens_delete`, a moved area) send themselves. The
recounts hang on those announcements only, so inside `learning_units.signals.changes_batched()`
a transaction counts each commune and target group once, however many rows it wrote. A
citizen's save recounts only the target groups it changed (its old and new one). A citizen's
listing opt-out changed recounts their assessments' summaries (the public listings' totals
are read from them). A unit's title recognised or revoked is `services.summaries_on_moved`.
An assessment deleted (no service deletes one; a shell's or a data fix's delete) counts its
commune and year again. Raw saves (fixtures being loaded) and raw `queryset.update`s are left
to `manage.py check_report_summaries --fix`. A unit deleted needs nothing: only a unit with a
recognised title counts, and its assessments protect it.
"""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from assessments.models import Assessment
from learning_units.models import Citizen, LearningUnit
from learning_units.signals import (
    announce_citizens_changed,
    announce_units_changed,
    areas_moved,
    citizens_changed,
    units_changed,
)

from .citizen_summaries import unit_people_areas
from .services import citizen_summaries_refresh, summaries_refresh

# What a citizen's figures depend on (besides their memberships).
COUNTED = ("area_id", "target_group", "workplace_id")
# What their assessments' summaries depend on (the public listings' totals).
LISTED = ("listing_opt_out",)


def _counted(instance, names):
    # From __dict__: a deferred field is never loaded just to be compared.
    return tuple(instance.__dict__.get(name) for name in names)


def citizen_loaded(sender, instance, **kwargs):
    instance._counted = _counted(instance, COUNTED)
    instance._listed = _counted(instance, LISTED)


def citizen_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    listed = _counted(instance, LISTED)
    if not created and listed != getattr(instance, "_listed", listed):
        summaries_refresh(assessments=instance.assessments.only("area_id", "year"))
    instance._listed = listed
    now = _counted(instance, COUNTED)
    before = getattr(instance, "_counted", (None,) * len(COUNTED))
    if not created and now == before:
        return
    # The old and the new (commune, target group): a group of None counts them all (a save of
    # an object whose group was never loaded).
    announce_citizens_changed(keys={now[:2], before[:2]})
    instance._counted = now


def citizen_deleted(sender, instance, **kwargs):
    announce_citizens_changed(keys={(instance.area_id, instance.target_group)})


def members_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if isinstance(instance, Citizen):
        if action in ("post_add", "post_remove", "post_clear"):
            announce_citizens_changed(keys={(instance.area_id, instance.target_group)})
        return
    if action == "pre_clear":
        instance._member_keys = set(instance.members.values_list("area_id", "target_group"))
    elif action == "post_clear":
        announce_citizens_changed(keys=getattr(instance, "_member_keys", ()))
    elif action in ("post_add", "post_remove") and pk_set:
        keys = Citizen.objects.filter(pk__in=pk_set).values_list("area_id", "target_group")
        announce_citizens_changed(keys=set(keys))


def unit_loaded(sender, instance, **kwargs):
    instance._counted_kind = instance.__dict__.get("kind")


def unit_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created or instance.__dict__.get("kind") == getattr(instance, "_counted_kind", None):
        return
    announce_units_changed({instance.pk})
    instance._counted_kind = instance.kind


def assessment_deleted(sender, instance, **kwargs):
    summaries_refresh(assessments=[instance])


def citizens_written(sender, *, keys, **kwargs):
    citizen_summaries_refresh(keys=keys)


def units_written(sender, *, unit_ids, **kwargs):
    # The assessments' summaries are kept per subject kind too.
    summaries_refresh(
        assessments=Assessment.objects.filter(learning_unit__in=unit_ids).only("area_id", "year")
    )
    citizen_summaries_refresh(area_ids=unit_people_areas(unit_ids))


def areas_written(sender, *, area_ids, **kwargs):
    # The moved areas now fold into their new commune (or province), their former parents'
    # communes lost them: every year of those communes is counted again.
    summaries_refresh(area_ids=area_ids)
    citizen_summaries_refresh(area_ids=area_ids)


def connect():
    uid = "cdht-citizen-summaries-"
    post_init.connect(citizen_loaded, sender=Citizen, dispatch_uid=uid + "loaded")
    post_save.connect(citizen_saved, sender=Citizen, dispatch_uid=uid + "saved")
    post_delete.connect(citizen_deleted, sender=Citizen, dispatch_uid=uid + "deleted")
    m2m_changed.connect(
        members_changed, sender=LearningUnit.members.through, dispatch_uid=uid + "members"
    )
    post_init.connect(unit_loaded, sender=LearningUnit, dispatch_uid=uid + "unit-loaded")
    post_save.connect(unit_saved, sender=LearningUnit, dispatch_uid=uid + "unit-saved")
    post_delete.connect(assessment_deleted, sender=Assessment, dispatch_uid=uid + "assessment")
    citizens_changed.connect(citizens_written, dispatch_uid=uid + "bulk")
    units_changed.connect(units_written, dispatch_uid=uid + "units")
    areas_moved.connect(areas_written, dispatch_uid=uid + "areas")
