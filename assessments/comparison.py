"""What changed between two versions of a criteria set, on their plain-data form.

Criteria, indicators and bands are matched by code (bands by label), so renumbering an indicator
shows as one removed and one added.
"""

from dataclasses import dataclass, field

from .interchange import CRITERION_FIELDS, INDICATOR_FIELDS, SET_FIELDS
from .models import CriteriaSet, Criterion, Indicator, RatingBand

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
SET_FIELDS_COMPARED = [f.name for f in SET_FIELDS if f.name not in ("version", "status")]


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class Change:
    level: str  # set, band, criterion, indicator
    kind: str  # added, removed, changed
    code: str
    title: str
    old_points: object = None
    new_points: object = None
    fields: list = field(default_factory=list)


def compare_sets(old, new):
    """Changes from `old` to `new` (both plain data): the set, bands, criteria, indicators."""
    changes = []
    set_fields = _field_changes(CriteriaSet, SET_FIELDS_COMPARED, old, new)
    if set_fields:
        changes.append(Change("set", CHANGED, new["code"], new["title"], fields=set_fields))
    changes += _keyed_changes(
        "band",
        RatingBand,
        old["rating_bands"],
        new["rating_bands"],
        "label",
        ["label_en", "min_points"],
    )
    changes += _keyed_changes(
        "criterion",
        Criterion,
        old["criteria"],
        new["criteria"],
        "code",
        [f.name for f in CRITERION_FIELDS if f.name != "code"],
    )
    changes += _keyed_changes(
        "indicator",
        Indicator,
        _indicators(old),
        _indicators(new),
        "code",
        ["criterion_code", *[f.name for f in INDICATOR_FIELDS if f.name != "code"]],
    )
    return changes


def _indicators(data):
    return [
        {**indicator, "criterion_code": criterion["code"]}
        for criterion in data["criteria"]
        for indicator in criterion["indicators"]
    ]


def _union(old, new):
    """Keys of `new` in order, then keys only in `old`."""
    return [*new, *(key for key in old if key not in new)]


def _keyed_changes(level, model, old_rows, new_rows, key, names):
    old_by_key = {row[key]: row for row in old_rows}
    new_by_key = {row[key]: row for row in new_rows}
    changes = []
    for value in _union(old_by_key, new_by_key):
        before, after = old_by_key.get(value), new_by_key.get(value)
        row = after or before
        points = "min_points" if level == "band" else "max_points"
        common = {
            "level": level,
            "code": value,
            "title": row.get("title", ""),
            "old_points": before and before[points],
            "new_points": after and after[points],
        }
        if before is None:
            changes.append(Change(kind=ADDED, **common))
        elif after is None:
            changes.append(Change(kind=REMOVED, **common))
        elif fields := _field_changes(model, names, before, after):
            changes.append(Change(kind=CHANGED, fields=fields, **common))
    return changes


def _field_changes(model, names, old, new):
    return [
        FieldChange(_label(model, name), *_display(model, name, old.get(name), new.get(name)))
        for name in names
        if old.get(name) != new.get(name)
    ]


def _label(model, name):
    if name == "criterion_code":
        return Criterion._meta.verbose_name
    return model._meta.get_field(name).verbose_name


def _display(model, name, *values):
    """Values as stored, or their labels for fields with choices (e.g. the subject kind)."""
    if name == "criterion_code":
        return values
    choices = dict(model._meta.get_field(name).flatchoices)
    return [choices.get(value, value) if choices else value for value in values]
