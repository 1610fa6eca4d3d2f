"""Counts per status of the officers' queue, read from pre-aggregated figures where they answer
(docs/architecture.md, registries and "counting big sets").

The queue shows how many assessments of the officer's subtree are in each status. Counted live,
that is a COUNT per status over a province's million rows on every page (issue #22). An app
above that keeps pre-aggregated figures registers a reader here (`reports` sums its kept
summaries, one row per commune, year, status, …, kept in each transition's own transaction):
the counts are then exact and current without reading an assessment. The reader answers only
for subtrees its figures hold (a commune, a province, the country) and for the filters they are
kept by (`CACHEABLE`); anything else — a subtree below a commune (branch officers), a search, a
filter on points or evidence — is counted live by the caller.
"""

from learning_units import jurisdiction

# Filters whose values the kept figures are grouped by (a province and an area are subtrees).
CACHEABLE = {"province", "area", "target_group", "year"}

_readers = []


def register(reader):
    """`reader(subtrees, *, year, target_group)` returns {status: n} for the assessments lying
    in one of `subtrees` ([(area path, area id)], disjoint; None for the whole country), of
    `year` and `target_group` when given; or None when its figures cannot tell."""
    if reader not in _readers:
        _readers.append(reader)


def kept_status_counts(*, user, filters):
    """{status: n} of the user's queue under `filters` (the queue's valid filters, cleaned:
    {name: value}, empty values ignored) from a registered reader, or None: count them live."""
    used = {name: value for name, value in filters.items() if value not in (None, "", [])}
    if set(used) - CACHEABLE:
        return None
    subtrees = _subtrees(user, [used[name] for name in ("province", "area") if name in used])
    for reader in _readers:
        counts = reader(
            None if subtrees is None else sorted(subtrees.items()),
            year=int(used["year"]) if "year" in used else None,
            target_group=int(used["target_group"]) if "target_group" in used else None,
        )
        if counts is not None:
            return counts
    return None


def _subtrees(user, areas):
    """{path: area id} of the subtrees the queue's rows lie in: the user's own (None for
    everything: a superuser), narrowed to each of `areas` (the province and area filters)."""
    if user.is_superuser:
        subtrees = None
    else:
        ids = {held.path: held.area_id for held in jurisdiction.officer_roles(user)}
        subtrees = {path: ids[path] for path in jurisdiction.top_paths(ids)}
    for area in areas:
        subtrees = _within(subtrees, area)
    return subtrees


def _within(subtrees, area):
    """The part of `subtrees` that lies in `area`'s subtree."""
    if subtrees is None:
        return {area.path: area.pk}
    inside = {
        path: pk for path, pk in subtrees.items() if jurisdiction.path_is_under(path, area.path)
    }
    if any(jurisdiction.path_is_under(area.path, path) for path in subtrees):
        inside[area.path] = area.pk
    return inside
