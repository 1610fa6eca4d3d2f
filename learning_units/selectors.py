"""Who may see what: every officer-facing queryset of this app is scoped here."""

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import Area, AreaLevel, Citizen, LearningUnit, OfficerRole
from .text import search_key


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


def own_citizen(user):
    """The citizen record of the signed-in user, with its area; None for visitors and accounts
    without one. The one lookup every citizen-facing view uses: call it once per request and
    pass the row on."""
    if not user.is_authenticated:
        return None
    return Citizen.objects.filter(user=user).select_related("area").first()


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


# --- Officer admin: the levels, choices and searches the jurisdiction layer builds on. ---

ROLE_LEVELS = {
    OfficerRole.Role.CENTRAL: AreaLevel.CENTRAL,
    OfficerRole.Role.PROVINCE: AreaLevel.PROVINCE,
    OfficerRole.Role.COMMUNE: AreaLevel.COMMUNE,
    OfficerRole.Role.BRANCH: AreaLevel.RESIDENTIAL,
}


def path_level(path):
    """The level of the area a materialised path ends at: ``VN/31/10999/`` is a commune."""
    return path.count("/") - 1


def parent_path(path):
    """``VN/31/10999/T01/`` → ``VN/31/10999/``; "" for the root."""
    return path[: path.rstrip("/").rfind("/") + 1]


def ancestor_paths(path):
    """Paths of an area and every area above it, top first."""
    parts = path.rstrip("/").split("/")
    return ["/".join(parts[: depth + 1]) + "/" for depth in range(len(parts))]


def officer_top_level(user):
    """The highest level (smallest number) the user holds a role over; None without a role.

    Derived from the cached paths, so it costs no query of its own.
    """
    if user.is_superuser:
        return AreaLevel.CENTRAL
    levels = [path_level(path) for path in officer_area_paths(user)]
    return min(levels) if levels else None


def path_in_jurisdiction(user, path):
    if user.is_superuser:
        return True
    return any(path.startswith(own) for own in officer_area_paths(user))


def search_by_name(queryset, query, field="search_name"):
    """Accent-insensitive search on a stored search key ("Nguyen Van An" finds "Nguyễn Văn An")."""
    key = search_key(query)
    return queryset.filter(**{f"{field}__contains": key}) if key else queryset


def citizen_area_choices(user):
    """Communes and residential areas a citizen of the user's jurisdiction may belong to."""
    return (
        areas_for_officer(user)
        .filter(level__gte=AreaLevel.COMMUNE, is_active=True)
        .select_related("parent")
        .order_by("path")
    )


def parent_area_choices(user):
    """Areas under which the user may add an area: any non-residential area for superusers,
    communes of their subtree for officers (official provinces and communes come from
    `load_areas` and are not created by hand)."""
    areas = areas_for_officer(user).filter(is_active=True).select_related("parent")
    if user.is_superuser:
        return areas.filter(level__lt=AreaLevel.RESIDENTIAL).order_by("path")
    return areas.filter(level=AreaLevel.COMMUNE).order_by("path")


def area_ancestors(area):
    """The area and the areas above it, top first, in one query."""
    return Area.objects.filter(path__in=ancestor_paths(area.path)).order_by("path")


def provinces_for_officer(user):
    """Provinces the user's jurisdiction touches (their own, or the one above their commune)."""
    own_paths = officer_area_paths(user)
    if user.is_superuser or any(path_level(path) == AreaLevel.CENTRAL for path in own_paths):
        return provinces()
    paths = {ancestor_paths(path)[AreaLevel.PROVINCE] for path in own_paths}
    return Area.objects.filter(path__in=paths).order_by("name")


def learning_unit_choices(user, kind=None):
    units = learning_units_for_officer(user)
    return units.filter(kind=kind) if kind else units


def users_for_officer(user):
    """Users an officer may grant a role to: those with a citizen record or a role in their
    jurisdiction (a new officer is registered as a citizen first). Superusers: every user."""
    user_model = get_user_model()
    if user.is_superuser:
        return user_model.objects.order_by("username")
    return (
        user_model.objects.filter(
            Q(pk__in=citizens_for_officer(user).filter(user__isnull=False).values("user_id"))
            | Q(pk__in=officer_roles_for_officer(user).values("user_id"))
        )
        .filter(is_active=True)
        .order_by("username")
    )


def officer_holds_privileged_account(user):
    """Accounts an officer must never reset through a citizen record: staff, superusers and
    other officers (resetting them would hand over a higher account)."""
    return user.is_superuser or user.is_staff or OfficerRole.objects.filter(user=user).exists()


def spans_several_provinces(user):
    """Whether the user's jurisdiction covers more than one province (no query)."""
    paths = officer_area_paths(user)
    if user.is_superuser or any(path_level(path) == AreaLevel.CENTRAL for path in paths):
        return True
    return len({ancestor_paths(path)[AreaLevel.PROVINCE] for path in paths}) > 1
