"""Import of citizens, matched by citizen ID: new ones are created, known ones updated.

A known citizen may be updated only by an officer whose jurisdiction holds both the area the
citizen is in now and the area the file puts them in. A blank optional cell keeps the current
value (a file with fewer columns never wipes data).
"""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import RowResult

from .. import citizen_id as cid
from ..models import Citizen
from ..text import search_key
from . import cells
from .base import ImportSpec, Row, chunked, display
from .parsing import ImportFileError
from .report import RowError
from .resources import GENDER_WORDS, CitizenResource
from .widgets import CellWidget, CitizenIdWidget, TextWidget

# Gender and birth year first: the citizen ID is checked against them.
FIRST = ("gender", "birth_year", "citizen_id")
REST = (
    "full_name",
    "ethnicity",
    "religion",
    "area",
    "target_group",
    "occupation",
    "phone",
    "email",
)
PROGRESS_EVERY = 2000
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


def cell(cleaner, **options):
    return fields.Field(widget=CellWidget(cleaner, **options))


def text(max_length, required=False):
    return fields.Field(widget=TextWidget(max_length=max_length, required=required))


class CitizenImportResource(resources.ModelResource):
    """A citizens file's rows, checked and written by import-export's `import_data`.

    Cells are cleaned by the fields' widgets in `before_import_row`; the citizen is found among
    those loaded for the whole file in `before_import` (one query per chunk of IDs, never one per
    row); `import_instance` resolves the area and the jurisdiction; unchanged rows are skipped
    (`skip_row`); new and changed citizens are written in bulk (`Meta.use_bulk`). A row's
    problems become a `ValidationError` per column with the code and message of `cells`.
    """

    citizen_id = fields.Field(widget=CitizenIdWidget())
    full_name = text(120, required=True)
    gender = cell(cells.gender)
    birth_year = cell(cells.birth_year)
    ethnicity = text(60)
    religion = text(60)
    area = text(40, required=True)
    target_group = cell(cells.target_group)
    occupation = text(120)
    phone = cell(cells.phone)
    email = cell(cells.email)

    class Meta:
        model = Citizen
        fields = (*FIRST, *REST)
        import_id_fields = ("citizen_id",)
        use_bulk = True
        batch_size = WRITE_BATCH
        skip_diff = True  # the preview shows its own samples; no per-row HTML diff
        report_skipped = False
        clean_model_instances = False  # the widgets and `import_instance` check everything

    def __init__(self, *, spec, progress=None):
        super().__init__()
        self.spec = spec
        self.report = spec.report
        self.progress = progress
        self.this_year = timezone.localdate().year
        self.existing = {}
        self.row = None
        self.changes = {}
        self.done = 0
        self.cleaners = {name: field.widget.clean for name, field in self.fields.items()}

    # --- the hooks of import_data, in the order it calls them ------------------------------

    def before_import(self, dataset, **kwargs):
        """Load the areas and the known citizens that the file names, a chunk at a time."""
        self.total = len(dataset)
        self.spec.areas.load({cells.text(code, max_length=40) for code in dataset["area"]})
        numbers = {cells.number_text(value).strip() for value in dataset["citizen_id"] if value}
        for part in chunked(numbers):
            for citizen in Citizen.objects.filter(citizen_id__in=part).select_related("area"):
                self.existing[citizen.citizen_id] = citizen

    def before_import_row(self, row, row_number=None, **kwargs):
        """Clean the row's cells with the fields' widgets (errors are kept on `self.row`)."""
        self.done = row_number
        self.row = Row(self.spec.row_numbers[row_number - 1], row, self.spec)
        clean, cleaners = self.row.clean, self.cleaners
        gender = clean("gender", cleaners["gender"])
        birth_year = clean("birth_year", cleaners["birth_year"], this_year=self.this_year)
        clean("citizen_id", cleaners["citizen_id"], gender=gender, birth_year=birth_year)
        for name in REST:
            if name in row:  # required columns always are (the header check saw to it)
                clean(name, cleaners[name])
        if self.progress and (row_number % PROGRESS_EVERY == 0 or row_number == self.total):
            self.progress("check", row_number, self.total)

    def get_or_init_instance(self, instance_loader, row):
        number = self.row.values.get("citizen_id")
        current = self.existing.get(number) if number else None
        if current is not None:
            return current, False
        return Citizen(citizen_id=number or "", **NEW_CITIZEN_DEFAULTS), True

    def import_instance(self, instance, row, **kwargs):
        """Resolve the area and the jurisdiction, then set what the row changes."""
        row, values = self.row, self.row.values
        number = values.get("citizen_id")
        repeated = bool(number) and not self.spec.first_seen(row, "citizen_id", number)
        area = self.spec.resolve_area(row, "area", values.get("area"))
        new = instance.pk is None
        if not new and not repeated and not self.spec.in_jurisdiction(instance.area.path):
            row.error(
                "citizen_id",
                "citizen_outside_jurisdiction",
                _(
                    "A citizen with this ID is already registered in an area outside your "
                    "jurisdiction; ask the officer of that area to move them first."
                ),
            )
        if row.errors:
            raise row_validation_error(row, self.spec.file_headers)
        wanted = {
            "full_name": values["full_name"],
            "gender": values["gender"],
            "birth_year": values["birth_year"],
            "area_id": area.pk,
            "target_group": values["target_group"],
        }
        for name in OPTIONAL_FIELDS:
            if values.get(name):
                wanted[name] = values[name]
        if new:
            self.changes = wanted
        else:
            self.changes = {
                name: value for name, value in wanted.items() if getattr(instance, name) != value
            }
            if self.changes and self.report.wants_samples:  # before the change is made
                old = {
                    name: (getattr(instance, name), value) for name, value in self.changes.items()
                }
                self.report.add_sample(
                    row.number, "updated", self.spec.describe_changes(instance, old, area)
                )
        for name, value in self.changes.items():
            setattr(instance, name, value)
        if self.changes:
            instance.search_name = search_key(instance.full_name)
        if new and self.report.wants_samples:
            self.report.add_sample(row.number, "new", self.spec.describe_new(instance, area))

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A known citizen whose row changes nothing is counted as unchanged, not written."""
        return not import_validation_errors and not self.changes

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:  # the preview writes nothing, not even to roll it back
            self.create_instances.clear()
            return
        self.report_written(len(self.create_instances))
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.update_instances.clear()
            return
        now = timezone.now()
        for citizen in self.update_instances:
            citizen.updated_at = now  # bulk_update does not apply auto_now
        self.report_written(len(self.update_instances))
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)

    def report_written(self, count):
        """A batch is written: the rows up to the current one are done."""
        if self.progress and count:
            self.progress("write", self.done, self.total)

    def get_bulk_update_fields(self):
        return [*COMPARED, "search_name", "updated_at"]


def row_validation_error(row, file_headers):
    """The row's problems as ValidationErrors by column, keeping codes and messages."""
    names = {header: name for name, header in file_headers.items()}
    by_column = {}
    for error in row.errors:
        by_column.setdefault(names.get(error.column, NON_FIELD_ERRORS), []).append(
            ValidationError(error.message, code=error.code)
        )
    return ValidationError(by_column)


class CitizenImport(ImportSpec):
    kind = "citizens"
    resource_class = CitizenResource

    def run(self, table, *, dry_run, progress=None):
        """Check the file with `import_data` (a dry run for the preview) and, unless `dry_run`,
        write it in the same pass: its transaction is rolled back if any row is invalid."""
        resource = CitizenImportResource(spec=self, progress=progress)
        dataset = self.dataset(table)
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        self.seen.clear()
        self.read_result(result, dataset)
        return not dry_run and self.report.ok

    def dataset(self, table):
        """A tablib Dataset of the data rows, one column per known column of the file."""
        header_index, mapping = self.match_header(table.rows)
        data = table.rows[header_index + 1 :]
        if not data:
            raise ImportFileError(_("The file has a header row but no data rows."), "no_rows")
        self.report.total_rows = len(data)
        dataset = tablib.Dataset(headers=[name for name, _index in mapping])
        self.row_numbers = [number for number, _values in data]
        for _number, values in data:
            dataset.append(
                [values[index] if index < len(values) else None for _n, index in mapping]
            )
        return dataset

    def read_result(self, result, dataset):
        """Counts and errors of the report from import-export's Result."""
        totals = result.totals
        self.report.new = totals[RowResult.IMPORT_TYPE_NEW]
        self.report.updated = totals[RowResult.IMPORT_TYPE_UPDATE]
        self.report.unchanged = totals[RowResult.IMPORT_TYPE_SKIP]
        self.report.invalid = len(result.invalid_rows)
        for invalid in result.invalid_rows:
            raw = dict(zip(dataset.headers, dataset[invalid.number - 1], strict=True))
            number = self.row_numbers[invalid.number - 1]
            for name, errors in invalid.error.error_dict.items():
                name = "" if name == NON_FIELD_ERRORS else name
                for error in errors:
                    self.report.add_error(
                        RowError(
                            number,
                            self.file_headers.get(name, ""),
                            error.code,
                            error.message,
                            display(raw.get(name))[:200] if name else "",
                        )
                    )
        for error in result.base_errors:
            raise error.error

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
