"""Who may see what: every officer-facing queryset of this app is scoped here."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from . import jurisdiction
from .models import Area, AreaLevel, Citizen, LearningUnit, OfficerRole
from .text import search_key


def own_citizen(user):
    """The citizen record of the signed-in user, with its area; None for visitors and accounts
    without one. The one lookup every citizen-facing view uses: call it once per request and
    pass the row on."""
    if not user.is_authenticated:
        return None
    return Citizen.objects.filter(user=user).select_related("area").first()


def areas_for_officer(user):
    return jurisdiction.scope(Area.objects.all(), user, "path")


def citizens_for_officer(user):
    return jurisdiction.scope(Citizen.objects.all(), user).select_related("area")


def learning_units_for_officer(user):
    return jurisdiction.scope(LearningUnit.objects.all(), user).select_related("area")


def officer_roles_for_officer(user):
    return jurisdiction.scope(OfficerRole.objects.all(), user).select_related("user", "area")


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
    return Area.objects.filter(path__in=jurisdiction.ancestor_paths(area.path)).order_by("path")


def provinces_for_officer(user):
    """Provinces the user's jurisdiction touches (their own, or the one above their commune)."""
    own_paths = jurisdiction.area_paths(user)
    if user.is_superuser or any(
        jurisdiction.path_level(path) == AreaLevel.CENTRAL for path in own_paths
    ):
        return provinces()
    paths = {jurisdiction.ancestor_paths(path)[AreaLevel.PROVINCE] for path in own_paths}
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
