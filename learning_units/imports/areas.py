"""Import of residential areas and agency branches (the level under a commune).

Provinces and communes are the official list (`load_areas`), never imported here. A row creates
or updates the residential area with its code, under a commune of the officer's jurisdiction.
"""

from django.utils.translation import gettext as _

from ..models import Area, AreaLevel
from ..text import nfc, search_key
from . import cells
from .base import AreaIndex, ImportSpec
from .resources import NO, YES, AreaResource

FIELDS = ["name", "division_type", "is_agency_branch", "parent_id", "path", "search_name"]


class AreaImport(ImportSpec):
    kind = "areas"
    resource_class = AreaResource

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.communes = AreaIndex(levels=(AreaLevel.COMMUNE,))
        self.residential = AreaIndex(levels=(AreaLevel.RESIDENTIAL,))
        self.new = []
        self.changed = []

    def clean(self, row):
        code = row.clean("code", cells.text, max_length=40, required=True)
        if code and "/" in code:
            row.error("code", "code_slash", _("A code may not contain “/”."))
        row.clean("name", cells.text, max_length=200, required=True)
        if row.has("division_type"):
            row.clean("division_type", cells.text, max_length=60)
        row.clean("parent", cells.text, max_length=40, required=True)
        if row.has("is_agency_branch"):
            row.clean("is_agency_branch", cells.yes_no)

    def preload(self, rows):
        codes = {row.values.get("code") for row in rows}
        self.residential.load(codes)
        self.communes.load(codes | {row.values.get("parent") for row in rows})

    def resolve(self, row):
        values = row.values
        code = values.get("code")
        if code and self.first_seen(row, "code", code) and self.communes.find(code):
            row.error(
                "code",
                "code_is_commune",
                _(
                    "“%(code)s” is already the code of a commune or ward; give the residential "
                    "area a code of its own (e.g. %(code)s-T01)."
                )
                % {"code": code},
            )
        commune = self.resolve_area(row, "parent", values.get("parent"), self.communes)
        current = next(iter(self.residential.find(code)), None)
        if current is not None and not self.in_jurisdiction(current.path):
            row.error(
                "code",
                "area_outside_jurisdiction",
                _(
                    "The code “%(code)s” is already used by a residential area outside your "
                    "jurisdiction; choose another code."
                )
                % {"code": code},
            )
        if row.errors:
            return
        name = nfc(values["name"])
        fields = {
            "name": name,
            "search_name": search_key(name),
            "parent_id": commune.pk,
            "path": f"{commune.path}{code}/",
        }
        if values.get("division_type"):
            fields["division_type"] = values["division_type"]
        if "is_agency_branch" in values:
            fields["is_agency_branch"] = values["is_agency_branch"]
        if current is None:
            area = Area(level=AreaLevel.RESIDENTIAL, code=code, **fields)
            self.new.append(area)
            self.report.new += 1
            if self.report.wants_samples:
                self.report.add_sample(row.number, "new", self.describe(area, commune))
            return
        changes = [name for name, value in fields.items() if getattr(current, name) != value]
        if not changes:
            self.report.unchanged += 1
            return
        # A residential area has no areas under it: when it moves, its own path is all that
        # changes, so a bulk update is safe.
        for name, value in fields.items():
            setattr(current, name, value)
        self.changed.append(current)
        self.report.updated += 1
        if self.report.wants_samples:
            self.report.add_sample(row.number, "updated", self.describe(current, commune))

    def write(self, progress=None):
        Area.objects.bulk_create(self.new, batch_size=1000)
        if self.changed:
            Area.objects.bulk_update(self.changed, FIELDS, batch_size=500)
        if progress:
            total = len(self.new) + len(self.changed)
            progress("write", total, total)

    def describe(self, area, commune):
        branch = YES if area.is_agency_branch else NO
        return {
            "label": f"{area.name} ({area.code})",
            "details": " · ".join(
                part
                for part in (
                    area.division_type,
                    f"{commune.name} ({commune.code})",
                    f"{self.columns['is_agency_branch'].column_name}: {branch}",
                )
                if part
            ),
        }
