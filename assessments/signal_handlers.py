"""Receivers of the signals of the apps below (STYLE.md: wiring in `signal_handlers`), connected
once from `AssessmentsConfig.ready()`."""

from django.db.models.signals import post_save

from learning_units import jurisdiction
from learning_units.models import Area, AreaLevel, Citizen, LearningUnit
from learning_units.signals import areas_moved, citizens_renamed, units_renamed

from .models import Assessment, Recognition
from .models.listing import NAME_FIELDS

NAME_SOURCES = {"full_name", "name", "search_name"}  # a citizen's, a unit's


def provinces_on_areas_moved(sender, area_ids, **kwargs):
    """Areas moved under another parent, with their subtrees (`Area.save`, the areas import):
    their assessments now lie in the province of their new place (`Assessment.province`), and
    their recognitions are listed there (`Recognition.province`, `.commune`), in the move's
    transaction. `area_ids` also names the former parents: recounted, unchanged."""
    for area in Area.objects.filter(pk__in=area_ids).select_related("parent"):
        subtree = Area.objects.filter(jurisdiction.under("path", area.path)).values("pk")
        province = jurisdiction.province_of(area)
        # The former parents' subtrees are named too: only rows whose place differs are
        # written (a commune moved out of a big province rewrites nothing of what stays there).
        stale = Assessment.objects.filter(area__in=subtree).exclude(province_id=province)
        stale.update(province_id=province)
        listed = Recognition.objects.filter(assessment__area__in=subtree)
        places = {"province_id": province}
        if area.level == AreaLevel.COMMUNE:
            places["commune_id"] = area.pk
        elif area.level == AreaLevel.RESIDENTIAL:
            places["commune_id"] = area.parent_id
        listed.exclude(**places).update(**places)


def listed_names_on_save(sender, instance, created, update_fields=None, **kwargs):
    """A citizen's or unit's save that may change its name: its recognitions are listed under
    the new one (`Recognition.listed_name`), in the save's transaction."""
    if created or (update_fields is not None and not NAME_SOURCES & set(update_fields)):
        return
    if getattr(instance, "stored_search_name", None) == instance.search_name:
        return  # loaded with this name: not a rename (`from_db`)
    subject = "citizen" if sender is Citizen else "learning_unit"
    Recognition.objects.filter(**{f"assessment__{subject}": instance.pk}).exclude(
        listed_name=instance.search_name
    ).update(listed_name=instance.search_name)


def listed_names_on_renamed(sender, citizen_ids=(), unit_ids=(), **kwargs):
    """The imports' bulk renames: the same, for many subjects in one UPDATE."""
    subject = "citizen" if citizen_ids else "learning_unit"
    recognitions = Recognition.objects.filter(
        **{f"assessment__{subject}__in": citizen_ids or unit_ids}
    )
    recognitions.listing_columns_refresh(NAME_FIELDS)


def connect():
    areas_moved.connect(provinces_on_areas_moved, dispatch_uid="cdht-assessment-provinces")
    for model in (Citizen, LearningUnit):
        post_save.connect(
            listed_names_on_save, sender=model, dispatch_uid=f"cdht-listed-names-{model.__name__}"
        )
    for name, signal in (("citizens", citizens_renamed), ("units", units_renamed)):
        signal.connect(listed_names_on_renamed, dispatch_uid=f"cdht-listed-names-{name}")
