"""Import of residential areas and agency branches (the level under a commune).

Provinces and communes are the official list (`load_areas`), never imported here. A row creates
or updates the residential area with its code, under a commune of the officer's jurisdiction.

The rows are checked and written by `AreaImportResource` (django-import-export's `import_data`,
as for citizens: see `flow`).
"""

from django.utils.translation import gettext as _

from ..models import Area, AreaLevel
from ..signals import announce_areas_moved
from ..text import nfc, search_key
from . import cells
from .base import AreaIndex
from .flow import WRITE_BATCH, ResourceImport, RowResource, cell, cleaned, text
from .resources import NO, YES, AreaResource

FIELDS = ["name", "division_type", "is_agency_branch", "parent_id", "path", "search_name"]


class AreaImportResource(RowResource):
    """A residential areas file's rows, checked and written by import-export's `import_data`.

    `before_import` loads the communes and residential areas the file names, a chunk of codes
    per query; `before_import_row` cleans the cells with the fields' widgets;
    `get_or_init_instance` finds the residential area by code; `import_instance` checks the
    code, the commune and the jurisdiction and sets what changes.
    """

    code = text(40, required=True)
    name = text(200, required=True)
    division_type = text(60)
    parent = text(40, required=True)
    is_agency_branch = cell(cells.yes_no)

    class Meta:
        model = Area
        fields = ("code", "name", "division_type", "parent", "is_agency_branch")
        use_bulk = True
        batch_size = WRITE_BATCH
        skip_diff = True  # the preview shows its own samples; no per-row HTML diff
        report_skipped = False
        clean_model_instances = False  # the widgets and `import_instance` check everything

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.communes = AreaIndex(levels=(AreaLevel.COMMUNE,))
        self.residential = AreaIndex(levels=(AreaLevel.RESIDENTIAL,))
        self.moved = {}  # area id → its former commune, for the areas moved to another one

    def preload(self, dataset):
        """Load the communes and residential areas the file names, a chunk at a time."""
        codes = cleaned(dataset["code"], cells.text, max_length=40)
        self.residential.load(codes)
        self.communes.load(codes | cleaned(dataset["parent"], cells.text, max_length=40))

    def clean_row(self, row):
        clean, cleaners = row.clean, self.cleaners
        code = clean("code", cleaners["code"])
        if code and "/" in code:
            row.error("code", "code_slash", _("A code may not contain “/”."))
        clean("name", cleaners["name"])
        if row.has("division_type"):
            clean("division_type", cleaners["division_type"])
        clean("parent", cleaners["parent"])
        if row.has("is_agency_branch"):
            clean("is_agency_branch", cleaners["is_agency_branch"])

    def get_or_init_instance(self, instance_loader, row):
        code = self.row.values.get("code")
        current = next(iter(self.residential.find(code)), None)
        if current is not None:
            return current, False
        return Area(level=AreaLevel.RESIDENTIAL, code=code or ""), True

    def import_instance(self, instance, row, **kwargs):
        """Check the code, the commune and the jurisdiction, then set what the row changes."""
        row, values, spec = self.row, self.row.values, self.spec
        code = values.get("code")
        if code and spec.first_seen(row, "code", code) and self.communes.find(code):
            row.error(
                "code",
                "code_is_commune",
                _(
                    "“%(code)s” is already the code of a commune or ward; give the residential "
                    "area a code of its own (e.g. %(code)s-T01)."
                )
                % {"code": code},
            )
        commune = spec.resolve_area(row, "parent", values.get("parent"), self.communes)
        new = instance.pk is None
        if not new and not spec.in_jurisdiction(instance.path):
            row.error(
                "code",
                "area_outside_jurisdiction",
                _(
                    "The code “%(code)s” is already used by a residential area outside your "
                    "jurisdiction; choose another code."
                )
                % {"code": code},
            )
        self.raise_row_errors()
        name = nfc(values["name"])
        wanted = {
            "name": name,
            "search_name": search_key(name),
            "parent_id": commune.pk,
            "path": f"{commune.path}{code}/",
        }
        if values.get("division_type"):
            wanted["division_type"] = values["division_type"]
        if "is_agency_branch" in values:
            wanted["is_agency_branch"] = values["is_agency_branch"]
        if new:
            self.changes = wanted
        else:
            self.changes = {
                field: value for field, value in wanted.items() if getattr(instance, field) != value
            }
        # A residential area has no areas under it: when it moves, its own path is all that
        # changes, so a bulk update is safe; the reports count it and its former commune again.
        if not new and "parent_id" in self.changes:
            self.moved[instance.pk] = instance.parent_id
        for field, value in self.changes.items():
            setattr(instance, field, value)
        if self.changes and self.report.wants_samples:
            self.report.add_sample(
                row.number, "new" if new else "updated", spec.describe(instance, commune)
            )

    def get_bulk_update_fields(self):
        return FIELDS

    def after_bulk_write(self, instances, result):
        """Bulk writes send no signals: the batch's moves are announced here."""
        if result is not None and result.has_errors():
            return
        former = {area.pk: self.moved.pop(area.pk) for area in instances if area.pk in self.moved}
        announce_areas_moved({*former, *former.values()})


class AreaImport(ResourceImport):
    kind = "areas"
    resource_class = AreaResource
    import_resource_class = AreaImportResource

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
