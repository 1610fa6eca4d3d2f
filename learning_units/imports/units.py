"""Import of learning units (families, clans, communities, organisations) with head and members.

A row is matched to an existing unit of its area by code, else by kind and name (accents and
case ignored). The head and members must already be citizens of the officer's jurisdiction;
a members cell replaces the unit's members, and the head is always one of them.

The rows are checked and written by `LearningUnitImportResource` (django-import-export's
`import_data`, as for citizens: see `flow`).
"""

import re

from django.utils.translation import gettext as _

from .. import citizen_id as cid
from ..models import Citizen, LearningUnit
from ..signals import announce_citizens_changed, announce_renamed, announce_units_changed
from ..text import nfc, search_key
from . import cells
from .base import chunked
from .flow import WRITE_BATCH, ResourceImport, RowResource, cell, cleaned, text
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


def member_id_tuple(value):
    return tuple(member_ids(value))


class LearningUnitImportResource(RowResource):
    """A learning units file's rows, checked and written by import-export's `import_data`.

    `before_import` loads the areas, the citizens (heads and members) and the units of those
    areas with their members, a chunk per query; `before_import_row` cleans the cells with the
    fields' widgets; `get_or_init_instance` resolves the area, head and members (jurisdiction
    included) and finds the unit by code, else by kind and name; `import_instance` reports the
    row's problems and sets what changes; memberships are written after each bulk batch.
    """

    kind = cell(cells.unit_kind)
    name = text(200, required=True)
    code = text(40)
    area = text(40, required=True)
    head = cell(cells.citizen_id, required=False)
    members = cell(member_ids)

    class Meta:
        model = LearningUnit
        fields = ("kind", "name", "code", "area", "head", "members")
        use_bulk = True
        batch_size = WRITE_BATCH
        skip_diff = True  # the preview shows its own samples; no per-row HTML diff
        report_skipped = False
        clean_model_instances = False  # the widgets and `import_instance` check everything

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.citizens = {}
        self.by_code = {}
        self.by_name = {}
        self.members_of = {}
        self.memberships = {}  # id(unit) → its members' pks, when they are to be written
        self.kind_changed = set()  # units given another kind: the reports count them again
        self.renamed = set()  # units given another name: the public listings show it
        self.resolved = None

    def preload(self, dataset):
        """Load the areas, citizens and units (with their members) the file names."""
        codes = cleaned(dataset["area"], cells.text, max_length=40)
        self.spec.areas.load(codes)
        numbers = set()
        if "head" in dataset.headers:
            numbers |= cleaned(dataset["head"], cells.citizen_id, required=False)
        if "members" in dataset.headers:
            for listed in cleaned(dataset["members"], member_id_tuple):
                numbers.update(listed)
        numbers -= {None, ""}
        for part in chunked(numbers):
            for citizen in Citizen.objects.filter(citizen_id__in=part).select_related("area"):
                self.citizens[citizen.citizen_id] = citizen
        area_ids = {area.pk for code in codes for area in self.spec.areas.find(code)}
        for part in chunked(area_ids):
            units = list(LearningUnit.objects.filter(area_id__in=part))
            for unit in units:
                if unit.code:
                    self.by_code[(unit.area_id, unit.code)] = unit
                self.by_name.setdefault((unit.area_id, unit.kind, unit.search_name), unit)
                self.members_of[unit.pk] = set()
            for unit_part in chunked([unit.pk for unit in units]):
                through = LearningUnit.members.through.objects.filter(
                    learningunit_id__in=unit_part
                ).values_list("learningunit_id", "citizen_id")
                for unit_id, citizen_pk in through:
                    self.members_of[unit_id].add(citizen_pk)

    def clean_row(self, row):
        clean, cleaners = row.clean, self.cleaners
        clean("kind", cleaners["kind"])
        clean("name", cleaners["name"])
        if row.has("code"):
            clean("code", cleaners["code"])
        clean("area", cleaners["area"])
        if row.has("head"):
            clean("head", cleaners["head"])
        if row.has("members"):
            clean("members", cleaners["members"])

    def get_or_init_instance(self, instance_loader, row):
        """Resolve area, head and members, then find the unit the row names (a new one when
        none matches or the row is invalid)."""
        row, values, spec = self.row, self.row.values, self.spec
        self.resolved = None
        area = spec.resolve_area(row, "area", values.get("area"))
        head = self.resolve_citizens(row, "head", [values["head"]] if values.get("head") else [])
        members = self.resolve_citizens(row, "members", values.get("members") or [])
        if head and area and head[0].area.province_path != area.province_path:
            row.error("head", "head_province", _("The head must live in the same province."))
        if row.errors:
            return LearningUnit(), True
        kind, name, code = values["kind"], nfc(values["name"]), values.get("code") or ""
        key = (area.pk, code) if code else (area.pk, kind, search_key(name))
        if not spec.first_seen(row, "code" if code else "name", key):
            return LearningUnit(), True
        self.resolved = (area, head[0].pk if head else None, members, kind, name, code)
        current = self.by_code.get((area.pk, code)) if code else None
        if current is None:
            current = self.by_name.get((area.pk, kind, search_key(name)))
            if current is not None and code and current.code:
                current = None  # a unit with another code is another unit
        if current is None:
            return LearningUnit(), True
        return current, False

    def import_instance(self, instance, row, **kwargs):
        """Report the row's problems, else set what it changes (members included)."""
        self.raise_row_errors()
        row = self.row
        area, head_id, members, kind, name, code = self.resolved
        member_pks = {citizen.pk for citizen in members} if row.has("members") else None
        head_pks = {head_id} - {None}
        fields = {"kind": kind, "name": name, "search_name": search_key(name)}
        if instance.pk is None:
            fields.update(code=code, area_id=area.pk, head_id=head_id)
            self.changes = fields
            self.memberships[id(instance)] = (member_pks or set()) | head_pks
        else:
            if code:
                fields["code"] = code
            if head_id:
                fields["head_id"] = head_id
            current_members = self.members_of.get(instance.pk, set())
            wanted = (current_members if member_pks is None else member_pks) | head_pks
            self.changes = {
                field: value for field, value in fields.items() if getattr(instance, field) != value
            }
            if wanted != current_members:
                self.memberships[id(instance)] = wanted
                self.changes["members"] = wanted
            if not self.changes:
                return
            if "kind" in self.changes:
                self.kind_changed.add(instance.pk)
            if "name" in self.changes:
                self.renamed.add(instance.pk)
        for field, value in fields.items():
            setattr(instance, field, value)
        if self.report.wants_samples:
            kind_of_change = "new" if instance.pk is None else "updated"
            self.report.add_sample(
                row.number, kind_of_change, self.spec.describe(instance, area, members)
            )

    def resolve_citizens(self, row, name, numbers):
        """Citizens of the jurisdiction with these IDs; others are reported together (without
        saying whether they exist elsewhere)."""
        found, missing = [], []
        for number in numbers:
            citizen = self.citizens.get(number)
            if citizen is None or not self.spec.in_jurisdiction(citizen.area.path):
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

    def get_bulk_update_fields(self):
        return FIELDS

    def after_bulk_write(self, instances, result):
        """Replace the members of the batch's units whose members change."""
        if result is not None and result.has_errors():
            return
        through = LearningUnit.members.through
        written = [
            (unit, self.memberships.pop(id(unit)))
            for unit in instances
            if id(unit) in self.memberships
        ]
        replaced = [unit.pk for unit, _members in written if unit.pk in self.members_of]
        areas = set()  # where the members who leave or join live: the reports count them again
        for part in chunked(replaced):
            old = through.objects.filter(learningunit_id__in=part)
            areas.update(old.values_list("citizen__area_id", flat=True).distinct())
            old.delete()
        through.objects.bulk_create(
            [
                through(learningunit_id=unit.pk, citizen_id=citizen_pk)
                for unit, members in written
                for citizen_pk in members
            ],
            batch_size=1000,
        )
        joined = {citizen_pk for _unit, members in written for citizen_pk in members}
        for part in chunked(joined):
            areas.update(
                Citizen.objects.filter(pk__in=part).values_list("area_id", flat=True).distinct()
            )
        announce_citizens_changed(areas)
        kind_changed = self.kind_changed & {unit.pk for unit in instances}
        self.kind_changed -= kind_changed
        announce_units_changed(kind_changed)
        renamed = self.renamed & {unit.pk for unit in instances}
        self.renamed -= renamed
        announce_renamed(unit_ids=renamed)


class LearningUnitImport(ResourceImport):
    kind = "units"
    resource_class = LearningUnitResource
    import_resource_class = LearningUnitImportResource

    def describe(self, unit, area, members):
        parts = [UNIT_KIND_WORDS[unit.kind], f"{area.name} ({area.code})"]
        if members:
            parts.append(MEMBER_SEPARATOR.join(cid.mask(m.citizen_id) for m in members[:5]))
        return {
            "label": f"{unit.name}" + (f" ({unit.code})" if unit.code else ""),
            "details": " · ".join(parts),
        }
