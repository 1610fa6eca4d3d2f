"""Who may see what: every officer-facing queryset of this app is scoped here."""

from functools import reduce
from operator import or_

from django.db.models import Q

from .models import Area, AreaLevel, Citizen, LearningUnit, OfficerRole


def officer_area_paths(user):
    """Paths of the areas a user holds an officer role over (cached on the user object)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_cdht_area_paths"):
        user._cdht_area_paths = sorted(
            OfficerRole.objects.filter(user=user).values_list("area__path", flat=True)
        )
    return user._cdht_area_paths


def jurisdiction_q(user, path_field="path"):
    """A Q object matching rows whose area path lies in one of the user's subtrees.

    Superusers see everything; a user without a role matches nothing. Used as a filter on the
    same query as the listing, so a jurisdiction check never costs a query of its own.
    """
    if user.is_superuser:
        return Q()
    paths = officer_area_paths(user)
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{path_field}__startswith": path}) for path in paths))


def is_officer(user):
    return user.is_authenticated and (user.is_superuser or bool(officer_area_paths(user)))


def areas_for_officer(user):
    return Area.objects.filter(jurisdiction_q(user))


def citizens_for_officer(user):
    return Citizen.objects.filter(jurisdiction_q(user, "area__path")).select_related("area")


def learning_units_for_officer(user):
    return LearningUnit.objects.filter(jurisdiction_q(user, "area__path")).select_related("area")


def officer_roles_for_officer(user):
    return OfficerRole.objects.filter(jurisdiction_q(user, "area__path")).select_related(
        "user", "area"
    )


def area_in_jurisdiction(user, area):
    if user.is_superuser:
        return True
    return any(area.path.startswith(path) for path in officer_area_paths(user))


def provinces():
    return Area.objects.filter(level=AreaLevel.PROVINCE, is_active=True).order_by("name")


def communes_of(province_id):
    return Area.objects.filter(
        level=AreaLevel.COMMUNE, parent_id=province_id, is_active=True
    ).order_by("search_name")


def residential_areas_of(commune_id):
    return Area.objects.filter(
        level=AreaLevel.RESIDENTIAL, parent_id=commune_id, is_active=True
    ).order_by("search_name")
