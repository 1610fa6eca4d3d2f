"""What every import kind shares on django-import-export (`citizens`, `areas`, `units`,
`completions`).

`ResourceImport.run` hands the file's rows to a `RowResource`'s `import_data` as a tablib
`Dataset` and reads its `Result` back into the report. A `RowResource` cleans a row's cells with
its fields' widgets in `before_import_row` (the errors are kept on a `Row`, with the codes and
messages of `cells`), preloads what the file names in `before_import` (a chunk per query),
skips rows that change nothing, writes in bulk and writes nothing at all on a dry run.
"""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import RowResult

from .base import ImportSpec, Row, display
from .cells import CellError
from .parsing import Formula, ImportFileError
from .report import RowError
from .widgets import CellWidget, TextWidget

PROGRESS_EVERY = 2000
WRITE_BATCH = 500


def cell(cleaner, **options):
    return fields.Field(widget=CellWidget(cleaner, **options))


def text(max_length, required=False):
    return fields.Field(widget=TextWidget(max_length=max_length, required=required))


def cleaned(values, cleaner, **options):
    """The cleaned values of a column for preloading; invalid cells are left out (their rows
    are reported when they are checked)."""
    result = set()
    for value in values:
        if isinstance(value, Formula):
            continue
        try:
            result.add(cleaner(value, **options))
        except CellError:
            continue
    return result


class QuietRowResult(RowResult):
    """A row's result without the instance's id and repr (no admin LogEntry reads them here):
    the repr is a string built per row for nothing."""

    def add_instance_info(self, instance):
        return None


class RowResource(resources.ModelResource):
    """The hooks of `import_data` every moved kind shares.

    A subclass declares its fields (widgets), `Meta` (with `use_bulk = True`) and provides
    `preload(dataset)`, `clean_row(row)`, `get_or_init_instance` and `import_instance`; the
    latter sets `self.changes` (empty: the row is counted unchanged and not written).
    """

    def __init__(self, *, spec, progress=None):
        super().__init__()
        self.spec = spec
        self.report = spec.report
        self.progress = progress
        self.row = None
        self.changes = {}
        self.done = 0
        self.total = 0
        self.cleaners = {name: field.widget.clean for name, field in self.fields.items()}

    def get_row_result_class(self):
        return QuietRowResult

    # --- the parts a kind provides ----------------------------------------------------------

    def preload(self, dataset):
        """Load in a few queries what the file's rows refer to."""

    def clean_row(self, row):
        raise NotImplementedError

    # --- the hooks of import_data, in the order it calls them ------------------------------

    def before_import(self, dataset, **kwargs):
        self.total = len(dataset)
        self.preload(dataset)

    def before_import_row(self, row, row_number=None, **kwargs):
        """Clean the row's cells with the fields' widgets (errors are kept on `self.row`)."""
        self.done = row_number
        self.row = Row(self.spec.row_numbers[row_number - 1], row, self.spec)
        self.clean_row(self.row)
        if self.progress and (row_number % PROGRESS_EVERY == 0 or row_number == self.total):
            self.progress("check", row_number, self.total)

    def raise_row_errors(self):
        if self.row.errors:
            raise row_validation_error(self.row, self.spec.file_headers)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A known record whose row changes nothing is counted as unchanged, not written."""
        return not import_validation_errors and not self.changes

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:  # the preview writes nothing, not even to roll it back
            self.create_instances.clear()
            return
        instances = list(self.create_instances)
        self.report_written(len(instances))
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)
        self.after_bulk_write(instances, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.update_instances.clear()
            return
        instances = list(self.update_instances)
        self.before_bulk_update(instances)
        self.report_written(len(instances))
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)
        self.after_bulk_write(instances, result)

    def before_bulk_update(self, instances):
        """Set what `bulk_update` does not (auto_now fields)."""

    def after_bulk_write(self, instances, result):
        """Write what depends on the batch's rows (their primary keys are set)."""

    def report_written(self, count):
        """A batch is written: the rows up to the current one are done."""
        if self.progress and count:
            self.progress("write", self.done, self.total)


def row_validation_error(row, file_headers):
    """The row's problems as ValidationErrors by column, keeping codes and messages."""
    names = {header: name for name, header in file_headers.items()}
    by_column = {}
    for error in row.errors:
        by_column.setdefault(names.get(error.column, NON_FIELD_ERRORS), []).append(
            ValidationError(error.message, code=error.code)
        )
    return ValidationError(by_column)


class ResourceImport(ImportSpec):
    """An import kind whose rows are checked and written by a `RowResource`'s `import_data`."""

    import_resource_class = None

    def run(self, table, *, dry_run, progress=None):
        """Check the file with `import_data` (a dry run for the preview) and, unless `dry_run`,
        write it in the same pass: its transaction is rolled back if any row is invalid."""
        resource = self.import_resource_class(spec=self, progress=progress)
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
