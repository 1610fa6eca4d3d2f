"""Import of learning units (families, clans, communities, organisations) with head and members.

A row is matched to an existing unit of its area by code, else by kind and name (accents and
case ignored). The head and members must already be citizens of the officer's jurisdiction;
a members cell replaces the unit's members, and the head is always one of them.
"""

import re

from django.utils.translation import gettext as _

from .. import citizen_id as cid
from ..models import Citizen, LearningUnit
from ..text import nfc, search_key
from . import cells
from .base import ImportSpec, chunked
from .resources import MEMBER_SEPARATOR, UNIT_KIND_WORDS, LearningUnitResource

MEMBER_SPLIT = re.compile(r"[;,\n]+")
FIELDS = ["kind", "name", "search_name", "code", "head_id"]
MAX_LISTED = 5


def member_ids(value):
    """Citizen IDs separated by “;” (commas and line breaks are accepted too)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        parts = [value]
    else:
        parts = [part for part in MEMBER_SPLIT.split(str(value or "")) if part.strip()]
    numbers, problems = [], []
    for part in parts:
        try:
            numbers.append(cells.citizen_id(part))
        except cells.CellError as error:
            problems.append(f"“{str(part).strip()}”: {error.message}")
    if problems:
        raise cells.CellError(" ".join(problems[:MAX_LISTED]), "member_citizen_id")
    return list(dict.fromkeys(numbers))


class LearningUnitImport(ImportSpec):
    kind = "units"
    resource_class = LearningUnitResource

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.citizens = {}
        self.by_code = {}
        self.by_name = {}
        self.members_of = {}
        self.loaded_areas = set()
        self.new = []  # (unit, member ids)
        self.changed = []  # (unit, member ids or None when unchanged)

    def clean(self, row):
        row.clean("kind", cells.unit_kind)
        row.clean("name", cells.text, max_length=200, required=True)
        if row.has("code"):
            row.clean("code", cells.text, max_length=40)
        row.clean("area", cells.text, max_length=40, required=True)
        if row.has("head"):
            row.clean("head", cells.citizen_id, required=False)
        if row.has("members"):
            row.clean("members", member_ids)

    def preload(self, rows):
        self.areas.load(row.values.get("area") for row in rows)
        numbers = set()
        for row in rows:
            numbers.update(row.values.get("members") or [])
            numbers.add(row.values.get("head"))
        numbers -= {None, ""} | self.citizens.keys()
        for part in chunked(numbers):
            for citizen in Citizen.objects.filter(citizen_id__in=part).select_related("area"):
                self.citizens[citizen.citizen_id] = citizen
        area_ids = {
            area.pk for row in rows for area in self.areas.find(row.values.get("area"))
        } - self.loaded_areas
        for part in chunked(area_ids):
            units = list(LearningUnit.objects.filter(area_id__in=part))
            for unit in units:
                if unit.code:
                    self.by_code[(unit.area_id, unit.code)] = unit
                self.by_name.setdefault((unit.area_id, unit.kind, unit.search_name), unit)
                self.members_of[unit.pk] = set()
            through = LearningUnit.members.through.objects.filter(
                learningunit_id__in=[unit.pk for unit in units]
            ).values_list("learningunit_id", "citizen_id")
            for unit_id, citizen_pk in through:
                self.members_of[unit_id].add(citizen_pk)
        self.loaded_areas |= area_ids

    def resolve(self, row):
        values = row.values
        area = self.resolve_area(row, "area", values.get("area"))
        head = self.resolve_citizens(row, "head", [values["head"]] if values.get("head") else [])
        members = self.resolve_citizens(row, "members", values.get("members") or [])
        if head and area and head[0].area.province_path != area.province_path:
            row.error("head", "head_province", _("The head must live in the same province."))
        if row.errors:
            return
        kind, name, code = values["kind"], nfc(values["name"]), values.get("code") or ""
        key = (area.pk, code) if code else (area.pk, kind, search_key(name))
        if not self.first_seen(row, "code" if code else "name", key):
            return
        current = self.by_code.get((area.pk, code)) if code else None
        if current is None:
            current = self.by_name.get((area.pk, kind, search_key(name)))
            if current is not None and code and current.code:
                current = None  # a unit with another code is another unit
        head_id = head[0].pk if head else None
        member_pks = {citizen.pk for citizen in members} if row.has("members") else None
        if current is None:
            unit = LearningUnit(
                kind=kind,
                name=name,
                search_name=search_key(name),
                code=code,
                area_id=area.pk,
                head_id=head_id,
            )
            self.new.append((unit, (member_pks or set()) | ({head_id} - {None})))
            self.report.new += 1
            if self.report.wants_samples:
                self.report.add_sample(row.number, "new", self.describe(unit, area, members))
            return
        fields = {"kind": kind, "name": name, "search_name": search_key(name)}
        if code:
            fields["code"] = code
        if head_id:
            fields["head_id"] = head_id
        current_members = self.members_of.get(current.pk, set())
        wanted = (current_members if member_pks is None else member_pks) | ({head_id} - {None})
        changed = [name for name, value in fields.items() if getattr(current, name) != value]
        if not changed and wanted == current_members:
            self.report.unchanged += 1
            return
        for field_name, value in fields.items():
            setattr(current, field_name, value)
        self.changed.append((current, wanted if wanted != current_members else None))
        self.report.updated += 1
        if self.report.wants_samples:
            self.report.add_sample(row.number, "updated", self.describe(current, area, members))

    def resolve_citizens(self, row, name, numbers):
        """Citizens of the jurisdiction with these IDs; others are reported together (without
        saying whether they exist elsewhere)."""
        found, missing = [], []
        for number in numbers:
            citizen = self.citizens.get(number)
            if citizen is None or not self.in_jurisdiction(citizen.area.path):
                missing.append(number)
            else:
                found.append(citizen)
        if missing:
            listed = ", ".join(missing[:MAX_LISTED]) + (" …" if len(missing) > MAX_LISTED else "")
            row.error(
                name,
                "unknown_citizen",
                _(
                    "No citizen with the ID %(numbers)s is registered in your jurisdiction: "
                    "import the citizens first."
                )
                % {"numbers": listed},
            )
        return found

    def write(self, progress=None):
        LearningUnit.objects.bulk_create([unit for unit, _members in self.new], batch_size=500)
        if self.changed:
            LearningUnit.objects.bulk_update(
                [unit for unit, _members in self.changed], FIELDS, batch_size=500
            )
        through = LearningUnit.members.through
        replaced = [unit.pk for unit, members in self.changed if members is not None]
        for part in chunked(replaced):
            through.objects.filter(learningunit_id__in=part).delete()
        through.objects.bulk_create(
            [
                through(learningunit_id=unit.pk, citizen_id=citizen_pk)
                for unit, members in [*self.new, *self.changed]
                if members is not None
                for citizen_pk in members
            ],
            batch_size=1000,
        )
        if progress:
            total = len(self.new) + len(self.changed)
            progress("write", total, total)

    def describe(self, unit, area, members):
        parts = [UNIT_KIND_WORDS[unit.kind], f"{area.name} ({area.code})"]
        if members:
            parts.append(MEMBER_SEPARATOR.join(cid.mask(m.citizen_id) for m in members[:5]))
        return {
            "label": f"{unit.name}" + (f" ({unit.code})" if unit.code else ""),
            "details": " · ".join(parts),
        }
