"""Import of citizens, matched by citizen ID: new ones are created, known ones updated.

A known citizen may be updated only by an officer whose jurisdiction holds both the area the
citizen is in now and the area the file puts them in. A blank optional cell keeps the current
value (a file with fewer columns never wipes data).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import citizen_id as cid
from ..models import Citizen
from ..text import search_key
from . import cells
from .base import ImportSpec, chunked
from .resources import GENDER_WORDS, CitizenResource

OPTIONAL_TEXT = {"ethnicity": 60, "religion": 60, "occupation": 120}
OPTIONAL_FIELDS = ["ethnicity", "religion", "occupation", "phone", "email"]
COMPARED = [
    "full_name",
    "gender",
    "birth_year",
    "ethnicity",
    "religion",
    "area_id",
    "target_group",
    "occupation",
    "phone",
    "email",
]
WRITE_BATCH = 500
# Every field given explicitly: Model.__init__ then skips a default look-up per field.
NEW_CITIZEN_DEFAULTS = {
    "user_id": None,
    "workplace_id": None,
    "ethnicity": "Kinh",
    "religion": "Không",
    "occupation": "",
    "phone": "",
    "email": "",
    "consent_at": None,
    "listing_opt_out": False,
    "must_change_password": False,
}


class CitizenImport(ImportSpec):
    kind = "citizens"
    resource_class = CitizenResource

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.this_year = timezone.localdate().year
        self.existing = {}
        self.new = []
        self.changed = []

    def clean(self, row):
        gender = row.clean("gender", cells.gender)
        birth_year = row.clean("birth_year", cells.birth_year, this_year=self.this_year)
        row.clean("citizen_id", cells.citizen_id, gender=gender, birth_year=birth_year)
        row.clean("full_name", cells.text, max_length=120, required=True)
        row.clean("area", cells.text, max_length=40, required=True)
        row.clean("target_group", cells.target_group)
        for name, max_length in OPTIONAL_TEXT.items():
            if row.has(name):
                row.clean(name, cells.text, max_length=max_length)
        if row.has("phone"):
            row.clean("phone", cells.phone)
        if row.has("email"):
            row.clean("email", cells.email)

    def preload(self, rows):
        self.areas.load(row.values.get("area") for row in rows)
        numbers = {row.values["citizen_id"] for row in rows if row.values.get("citizen_id")}
        for part in chunked(numbers - self.existing.keys()):
            for citizen in Citizen.objects.filter(citizen_id__in=part).select_related("area"):
                self.existing[citizen.citizen_id] = citizen

    def resolve(self, row):
        values = row.values
        number = values.get("citizen_id")
        if number and not self.first_seen(row, "citizen_id", number):
            number = None
        area = self.resolve_area(row, "area", values.get("area"))
        current = self.existing.get(number) if number else None
        if current is not None and not self.in_jurisdiction(current.area.path):
            row.error(
                "citizen_id",
                "citizen_outside_jurisdiction",
                _(
                    "A citizen with this ID is already registered in an area outside your "
                    "jurisdiction; ask the officer of that area to move them first."
                ),
            )
        if row.errors:
            return
        fields = {
            "full_name": values["full_name"],
            "gender": values["gender"],
            "birth_year": values["birth_year"],
            "area_id": area.pk,
            "target_group": values["target_group"],
        }
        for name in OPTIONAL_FIELDS:
            if values.get(name):
                fields[name] = values[name]
        if current is None:
            citizen = Citizen(
                citizen_id=number,
                search_name=search_key(fields["full_name"]),
                **{**NEW_CITIZEN_DEFAULTS, **fields},
            )
            self.new.append(citizen)
            self.report.new += 1
            if self.report.wants_samples:
                self.report.add_sample(row.number, "new", self.describe_new(citizen, area))
            return
        changes = {
            name: (getattr(current, name), value)
            for name, value in fields.items()
            if getattr(current, name) != value
        }
        if not changes:
            self.report.unchanged += 1
            return
        if self.report.wants_samples:
            self.report.add_sample(
                row.number, "updated", self.describe_changes(current, changes, area)
            )
        for name, (_old, value) in changes.items():
            setattr(current, name, value)
        current.search_name = search_key(current.full_name)
        self.changed.append(current)
        self.report.updated += 1

    def write(self, progress=None):
        total = len(self.new) + len(self.changed)
        for start in range(0, len(self.new), 5000):
            Citizen.objects.bulk_create(self.new[start : start + 5000])
            if progress:
                progress("write", min(start + 5000, len(self.new)), total)
        now = timezone.now()
        for citizen in self.changed:
            citizen.updated_at = now  # bulk_update does not apply auto_now
        names = [*COMPARED, "search_name", "updated_at"]
        for start in range(0, len(self.changed), WRITE_BATCH):
            Citizen.objects.bulk_update(self.changed[start : start + WRITE_BATCH], names)
            if progress:
                progress("write", min(len(self.new) + start + WRITE_BATCH, total), total)

    # --- what the preview shows ----------------------------------------------------------

    def describe_new(self, citizen, area):
        return {
            "label": f"{citizen.full_name} · {cid.mask(citizen.citizen_id)}",
            "details": " · ".join(
                [
                    GENDER_WORDS[citizen.gender],
                    str(citizen.birth_year),
                    f"{area.name} ({area.code})",
                    _("group %(group)s") % {"group": citizen.target_group},
                ]
            ),
        }

    def describe_changes(self, citizen, changes, area):
        """“Header: old → new” for each changed column (called before the change is made)."""
        headers = {name: column.column_name for name, column in self.columns.items()}
        parts = []
        for name, (old, new) in changes.items():
            if name == "area_id":
                name, old, new = "area", citizen.area.code, area.code
            parts.append(f"{headers[name]}: {display_value(old)} → {display_value(new)}")
        return {
            "label": f"{citizen.full_name} · {cid.mask(citizen.citizen_id)}",
            "details": "; ".join(parts),
        }


def display_value(value):
    if value in GENDER_WORDS:
        return GENDER_WORDS[value]
    return str(value) if value not in (None, "") else "∅"
