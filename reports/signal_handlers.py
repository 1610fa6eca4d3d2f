"""Signal wiring of the reports app, connected from `ReportsConfig.ready()`: the citizens'
summaries (`CitizenSummary`) are counted again, in the writer's transaction, for the communes
every write of citizens or members touches.

A citizen saved (only when their area, target group or workplace changed, or created) or
deleted; a citizen's listing opt-out changed (their assessments' summaries, which the public
listings' totals are read from); a unit's members added, removed or cleared; a unit's kind
changed (its assessments' summaries too: they are kept per subject kind); the imports' bulk
writes (`learning_units.signals.citizens_changed`); a unit's title recognised or
revoked (`services.summaries_on_moved`). Raw saves (fixtures being loaded) are left to
`manage.py check_report_summaries --rebuild`. A unit deleted needs nothing: only a unit with
a recognised title counts, and its assessments protect it from deletion.
"""

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from learning_units.models import Citizen, LearningUnit
from learning_units.signals import citizens_changed

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
    citizen_summaries_refresh(area_ids={instance.area_id, before[0]})
    instance._counted = now


def citizen_deleted(sender, instance, **kwargs):
    citizen_summaries_refresh(area_ids={instance.area_id})


def members_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if isinstance(instance, Citizen):
        if action in ("post_add", "post_remove", "post_clear"):
            citizen_summaries_refresh(area_ids={instance.area_id})
        return
    if action == "pre_clear":
        instance._member_areas = set(instance.members.values_list("area_id", flat=True))
    elif action == "post_clear":
        citizen_summaries_refresh(area_ids=getattr(instance, "_member_areas", ()))
    elif action in ("post_add", "post_remove") and pk_set:
        areas = Citizen.objects.filter(pk__in=pk_set).values_list("area_id", flat=True)
        citizen_summaries_refresh(area_ids=set(areas))


def unit_loaded(sender, instance, **kwargs):
    instance._counted_kind = instance.__dict__.get("kind")


def unit_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created or instance.__dict__.get("kind") == getattr(instance, "_counted_kind", None):
        return
    # The assessments' summaries are kept per subject kind too.
    summaries_refresh(assessments=instance.assessments.only("area_id", "year"))
    citizen_summaries_refresh(area_ids=unit_people_areas([instance.pk]))
    instance._counted_kind = instance.kind


def citizens_written(sender, *, area_ids, **kwargs):
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
    citizens_changed.connect(citizens_written, dispatch_uid=uid + "bulk")
