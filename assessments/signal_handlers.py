"""Receivers of the signals of the apps below (STYLE.md: wiring in `signal_handlers`), connected
once from `AssessmentsConfig.ready()`."""

from learning_units import jurisdiction
from learning_units.models import Area
from learning_units.signals import areas_moved

from .models import Assessment


def provinces_on_areas_moved(sender, area_ids, **kwargs):
    """Areas moved under another parent, with their subtrees (`Area.save`, the areas import):
    their assessments now lie in the province of their new place (`Assessment.province`), in
    the move's transaction. `area_ids` also names the former parents: recounted, unchanged."""
    for area in Area.objects.filter(pk__in=area_ids).select_related("parent"):
        subtree = Area.objects.filter(jurisdiction.under("path", area.path)).values("pk")
        province = jurisdiction.province_of(area)
        # The former parents' subtrees are named too: only rows whose province differs are
        # written (a commune moved out of a big province rewrites nothing of what stays there).
        stale = Assessment.objects.filter(area__in=subtree).exclude(province_id=province)
        stale.update(province_id=province)


def connect():
    areas_moved.connect(provinces_on_areas_moved, dispatch_uid="cdht-assessment-provinces")
