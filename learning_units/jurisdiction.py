"""Jurisdiction: which areas an officer answers for, in one place (issue #17).

An officer holds roles (`OfficerRole`) over areas; each role covers the area's whole subtree.
Areas carry a materialised path (``VN/31/10999/T01/``, see `Area`), so "inside the subtree" is
a prefix match: one indexed condition in SQL (`q`, `scope`, `under`) and a string test in
Python (`covers_path`, `path_is_under`). Matching on `Area.path` is done here and nowhere else
(`tests/test_jurisdiction_module.py` scans the sources for it).

The roles are read once per user object (`officer_roles`): Django keeps one user object per
request, so a page that checks a hundred rows or draws a menu on every screen pays one query.
Superusers cover everything; a user without a role covers nothing. Callers refuse a row outside
the jurisdiction with a 404, never a 403: an officer does not learn what exists elsewhere.
"""

from functools import reduce
from operator import or_
from typing import NamedTuple

from django.db.models import BigIntegerField, Case, F, Q, QuerySet, When

from .models import Area, AreaLevel, OfficerRole

# The level of the area each role is held over (`OfficerRole.clean` enforces it).
ROLE_LEVELS = {
    OfficerRole.Role.CENTRAL: AreaLevel.CENTRAL,
    OfficerRole.Role.PROVINCE: AreaLevel.PROVINCE,
    OfficerRole.Role.COMMUNE: AreaLevel.COMMUNE,
    OfficerRole.Role.BRANCH: AreaLevel.RESIDENTIAL,
}

_CACHE_ATTRIBUTE = "_cdht_officer_roles"


class HeldRole(NamedTuple):
    """One role a user holds, with the path and id of its area."""

    role: str
    path: str
    area_id: int


# --- Paths -------------------------------------------------------------------------------------


def path_level(path: str) -> int:
    """The level of the area a materialised path ends at: ``VN/31/10999/`` is a commune."""
    return path.count("/") - 1


def parent_path(path: str) -> str:
    """``VN/31/10999/T01/`` → ``VN/31/10999/``; "" for the root."""
    return path[: path.rstrip("/").rfind("/") + 1]


def ancestor_paths(path: str) -> list[str]:
    """Paths of an area and every area above it, top first."""
    parts = path.rstrip("/").split("/")
    return ["/".join(parts[: depth + 1]) + "/" for depth in range(len(parts))]


def path_is_under(path: str, ancestor_path: str) -> bool:
    """Whether `path` is `ancestor_path` or lies below it (every path ends with "/", so
    ``VN/3/`` is not under ``VN/31/``)."""
    return path.startswith(ancestor_path)


def under(path_field: str, path: str) -> Q:
    """Rows whose `path_field` lies in the subtree of `path` (the area itself included).

    For figures and listings of a chosen area rather than of a user's jurisdiction; served by
    the `area_path_prefix` index (varchar_pattern_ops on PostgreSQL).
    """
    return Q(**{f"{path_field}__startswith": path})


def at_or_above(path_field: str, path: str) -> Q:
    """Rows whose `path_field` is the area of `path` or one above it (its ancestors)."""
    return Q(**{f"{path_field}__in": ancestor_paths(path)})


def under_any(path_field: str, paths) -> Q:
    """Rows whose `path_field` lies in the subtree of one of `paths`; nothing when none."""
    paths = top_paths(paths)
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (under(path_field, path) for path in paths))


def province_of(area):
    """The id of the province (the top-level area under the centre) `area` lies in; None for
    the central level. At most one query (a residential area's commune, unless loaded)."""
    if area.level == AreaLevel.CENTRAL:
        return None
    if area.level == AreaLevel.PROVINCE:
        return area.pk
    if area.level == AreaLevel.COMMUNE:
        return area.parent_id
    return area.parent.parent_id


class Place(NamedTuple):
    """Where an area lies: its commune (the area itself when it is a commune or above one), its
    province (None for the central level), and the area's own path."""

    commune: int
    province: int | None
    path: str


def places_of(area_ids, *, area_model=Area) -> dict:
    """{area id: `Place`} in one query: the tree has four levels (`AreaLevel`), so a commune is
    at most one level up and a province at most two. `area_model` is a data migration's
    historical `Area` when called from one."""
    rows = area_model.objects.filter(pk__in=set(area_ids)).values_list(
        "pk", "level", "parent_id", "parent__parent_id", "path"
    )
    by_level = {
        AreaLevel.CENTRAL: lambda pk, parent, grandparent: (pk, None),
        AreaLevel.PROVINCE: lambda pk, parent, grandparent: (pk, pk),
        AreaLevel.COMMUNE: lambda pk, parent, grandparent: (pk, parent),
        AreaLevel.RESIDENTIAL: lambda pk, parent, grandparent: (parent, grandparent),
    }
    return {
        pk: Place(*by_level[level](pk, parent, grandparent), path)
        for pk, level, parent, grandparent, path in rows
    }


def commune_id_sql(area_field: str) -> Case:
    """The SQL twin of `Place.commune` for rows that point at an area through `area_field`: the
    area itself when it is a commune, a residential area's parent, and NULL above a commune (a
    row kept at a province or the centre belongs to no commune). For bulk writes and filters."""
    return Case(
        When(**{f"{area_field}__level": AreaLevel.COMMUNE}, then=F(f"{area_field}_id")),
        When(**{f"{area_field}__level": AreaLevel.RESIDENTIAL}, then=F(f"{area_field}__parent_id")),
        default=None,
        output_field=BigIntegerField(),
    )


def provinces_of(area_ids) -> dict:
    """{area id: id of its province (None for the central level)} in one query."""
    return {pk: place.province for pk, place in places_of(area_ids).items()}


def top_paths(paths) -> list[str]:
    """The paths not lying under another of `paths`: a role inside another's subtree adds
    nothing to a filter."""
    paths = sorted(set(paths))
    return [
        path
        for path in paths
        if not any(other != path and path_is_under(path, other) for other in paths)
    ]


# --- The user's roles ---------------------------------------------------------------------------


def officer_roles(user) -> tuple[HeldRole, ...]:
    """The roles the user holds, sorted by role and path; () for visitors.

    Read in one query and kept on the user object, which Django shares across a request: every
    check below reads this, so a request never asks twice.
    """
    if not user.is_authenticated:
        return ()
    roles = getattr(user, _CACHE_ATTRIBUTE, None)
    if roles is None:
        roles = tuple(
            HeldRole(*row)
            for row in sorted(
                OfficerRole.objects.filter(user=user).values_list("role", "area__path", "area_id")
            )
        )
        setattr(user, _CACHE_ATTRIBUTE, roles)
    return roles


def area_paths(user, *, roles=None) -> list[str]:
    """Paths of the areas the user holds a role over (of `roles` only, if given), sorted."""
    return sorted(
        {held.path for held in officer_roles(user) if roles is None or held.role in roles}
    )


def is_officer(user) -> bool:
    """Superusers and holders of at least one role."""
    return user.is_authenticated and (user.is_superuser or bool(officer_roles(user)))


def top_level(user):
    """The highest level (smallest number) the user holds a role over; None without a role."""
    if user.is_superuser:
        return AreaLevel.CENTRAL
    levels = [path_level(path) for path in area_paths(user)]
    return min(levels) if levels else None


def is_national(user) -> bool:
    """Whether the user sees the whole country (superusers, central officers): only they may be
    told that a record exists outside an area, everyone else hears "not found" (issue #18)."""
    return top_level(user) == AreaLevel.CENTRAL


def spans_several_provinces(user) -> bool:
    """Whether the user's jurisdiction covers more than one province."""
    paths = area_paths(user)
    if user.is_superuser or any(path_level(path) == AreaLevel.CENTRAL for path in paths):
        return True
    return len({ancestor_paths(path)[AreaLevel.PROVINCE] for path in paths}) > 1


# --- Filters and checks -------------------------------------------------------------------------


def q(user, path_field: str = "path", *, roles=None) -> Q:
    """Rows whose `path_field` lies in one of the user's subtrees (of `roles` only, if given).

    Everything for superusers, nothing for a user without a role. A condition on the listing's
    own query, so the jurisdiction never costs a query of its own.
    """
    if user.is_superuser:
        return Q()
    return under_any(path_field, area_paths(user, roles=roles))


def q_by_province(user, *, province_field: str, area_field: str, roles=None) -> Q:
    """`q` for rows that keep the province their area lies in (`province_of`) in a column of
    their own: a province's subtree is one equality on `province_field`, which an index on
    (province, status, date) answers in the order a queue is read (issue #22); a subtree below
    or above a province is `area_field` in the subtree's areas.
    """
    if user.is_superuser:
        return Q()
    paths = top_paths(area_paths(user, roles=roles))
    if not paths:
        return Q(pk__in=[])
    ids = {held.path: held.area_id for held in officer_roles(user)}
    provinces = [ids[path] for path in paths if path_level(path) == AreaLevel.PROVINCE]
    others = [path for path in paths if path_level(path) != AreaLevel.PROVINCE]
    parts = []
    if provinces:
        parts.append(Q(**{f"{province_field}__in": provinces}))
    if others:
        areas = Area.objects.filter(under_any("path", others)).values("pk")
        parts.append(Q(**{f"{area_field}__in": areas}))
    return reduce(or_, parts)


def scope(queryset: QuerySet, user, path_field: str = "area__path", *, roles=None) -> QuerySet:
    """`queryset` held to the user's jurisdiction (see `q`)."""
    return queryset.filter(q(user, path_field, roles=roles))


def covers_path(user, path: str, *, roles=None) -> bool:
    """Whether an area path lies in the user's jurisdiction (superusers: always)."""
    if user.is_superuser:
        return True
    return any(path_is_under(path, own) for own in area_paths(user, roles=roles))


def covers(user, area, *, roles=None) -> bool:
    """Whether an area lies in the user's jurisdiction (superusers: always)."""
    return covers_path(user, area.path, roles=roles)


def covering_roles(user, path: str) -> set[str]:
    """The roles the user holds over an area path (those of an area at or above it)."""
    return {held.role for held in officer_roles(user) if path_is_under(path, held.path)}
