"""What every import kind shares besides django-import-export: header matching, a row's
cleaned cells and errors, area look-ups in chunks.

Every kind is a `flow.ResourceImport` (a subclass of `ImportSpec`): import-export's
`import_data` checks and writes the rows; `ImportSpec` finds the header row and maps the
file's columns (a title above it, Vietnamese or English headers, with or without accents,
which import-export cannot match) and holds the domain checks the kinds share.
"""

from django.db import connection
from django.utils.translation import gettext as _

from .. import jurisdiction
from ..models import Area, AreaLevel
from .cells import CellError, is_number, number_text
from .parsing import Formula, ImportFileError
from .report import RowError
from .resources import header_key

HEADER_SEARCH_ROWS = 10  # a title or a note above the header row is common in kept sheets


def chunk_size():
    """Rows per look-up query: within the database's parameter limit (999 on SQLite)."""
    limit = connection.features.max_query_params or 5000
    return min(limit - 9, 5000)


def chunked(items, size=None):
    items = list(items)
    size = size or chunk_size()
    for start in range(0, len(items), size):
        yield items[start : start + size]


def display(value):
    if value is None:
        return ""
    if is_number(value):
        return number_text(value)
    return str(value)


class Row:
    """One data row: raw cells by column name, the errors found so far."""

    __slots__ = ("number", "cells", "spec", "errors", "values")

    def __init__(self, number, cells, spec):
        self.number = number
        self.cells = cells
        self.spec = spec
        self.errors = []
        self.values = {}

    def has(self, name):
        return name in self.cells

    def clean(self, name, cleaner, **kwargs):
        """The cleaned value of a column (None when the cell is invalid; the error is kept)."""
        value = self.cells.get(name)
        if isinstance(value, Formula):
            self.error(
                name,
                "formula",
                _(
                    "Cell %(cell)s contains a formula (%(formula)s): imports take values only. "
                    "Copy the column and paste it back as values."
                )
                % {"cell": value.coordinate, "formula": value.text[:60]},
            )
            return None
        try:
            result = cleaner(value, **kwargs)
        except CellError as error:
            self.error(name, error.code, error.message)
            return None
        self.values[name] = result
        return result

    def error(self, name, code, message):
        header = self.spec.file_headers.get(name, "") if name else ""
        value = display(self.cells.get(name)) if name else ""
        self.errors.append(RowError(self.number, header, code, message, value[:200]))


class AreaIndex:
    """Communes and residential areas by code, loaded a chunk of codes at a time."""

    LEVELS = (AreaLevel.COMMUNE, AreaLevel.RESIDENTIAL)

    def __init__(self, levels=LEVELS):
        self.levels = levels
        self.by_code = {}
        self.loaded = set()

    def load(self, codes):
        missing = {code for code in codes if code and code not in self.loaded}
        for lookup in (missing, {code.zfill(5) for code in missing if code.isdigit()}):
            lookup -= self.loaded
            for part in chunked(lookup):
                for area in Area.objects.filter(code__in=part, level__in=self.levels):
                    self.by_code.setdefault(area.code, []).append(area)
            self.loaded |= lookup

    def find(self, code):
        return self.by_code.get(code, [])


class ImportSpec:
    kind = ""
    resource_class = None

    def __init__(self, *, officer, report):
        self.officer = officer
        self.report = report
        self.columns = self.resource_class.columns()
        self.file_headers = {}  # column name → the header as written in the file
        self.areas = AreaIndex()
        self.seen = {}  # identifying key → row number of its first occurrence

    def match_header(self, rows):
        """The header row (the first of the top rows naming two known columns) and the
        (column name, cell index) pairs it maps to."""
        keys = {}
        for name, column in self.columns.items():
            for key in column.header_keys():
                keys.setdefault(key, name)
        for position, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
            found = [
                (keys.get(header_key(value)), index, value) for index, value in enumerate(values)
            ]
            if sum(1 for name, _index, _value in found if name) >= 2:
                return position, self.map_columns(found)
        raise ImportFileError(
            _(
                "No header row was found: the first row must name the columns (%(headers)s). "
                "Download the sample file to see them."
            )
            % {"headers": ", ".join(self.resource_class.headers())},
            "no_header",
        )

    def map_columns(self, found):
        mapping, unknown = [], []
        for name, index, value in found:
            if value is None or not str(value).strip():
                continue
            if not name:
                unknown.append(str(value))
                continue
            if name in self.file_headers:
                raise ImportFileError(
                    _("Two columns, “%(first)s” and “%(second)s”, hold the same data.")
                    % {"first": self.file_headers[name], "second": value},
                    "duplicate_column",
                )
            self.file_headers[name] = str(value)
            mapping.append((name, index))
        missing = [
            column.column_name
            for name, column in self.columns.items()
            if column.required and name not in self.file_headers
        ]
        if missing:
            raise ImportFileError(
                _("Required columns are missing: %(columns)s. Download the sample file.")
                % {"columns": ", ".join(missing)},
                "missing_columns",
            )
        if unknown:
            self.report.warnings.append(
                _("These columns are not imported and were ignored: %(columns)s.")
                % {"columns": ", ".join(unknown)}
            )
        return mapping

    # --- checks shared by kinds --------------------------------------------------------------

    def in_jurisdiction(self, path):
        return jurisdiction.covers_path(self.officer, path)

    def resolve_area(self, row, name, code, index=None):
        """The commune or residential area a code names (only a commune when `index` holds
        communes only), checked against the jurisdiction."""
        if not code:
            return None
        index = index or self.areas
        matches = index.find(code)
        raw = row.cells.get(name)
        if not matches and is_number(raw) and index.find(code.zfill(5)):
            row.error(
                name,
                "area_leading_zeros",
                _(
                    "No area has the code %(value)s. Excel stored it as a number and dropped "
                    "its leading zeros: did you mean %(padded)s? Format the column as Text."
                )
                % {"value": code, "padded": code.zfill(5)},
            )
            return None
        if not matches and AreaLevel.RESIDENTIAL not in index.levels:
            row.error(
                name,
                "unknown_commune",
                _("No commune or ward has the code “%(code)s”.") % {"code": code},
            )
            return None
        if not matches:
            row.error(
                name,
                "unknown_area",
                _(
                    "No commune, ward or residential area has the code “%(code)s”. Check the "
                    "code in the list of areas."
                )
                % {"code": code},
            )
            return None
        if len(matches) > 1:
            row.error(
                name,
                "ambiguous_area",
                _(
                    "The code “%(code)s” names both a commune and a residential area; ask an "
                    "administrator to recode one of them."
                )
                % {"code": code},
            )
            return None
        area = matches[0]
        if not self.in_jurisdiction(area.path):
            row.error(
                name,
                "outside_jurisdiction",
                _("%(name)s (%(code)s) is outside your jurisdiction: you cannot import into it.")
                % {"name": area.name, "code": area.code},
            )
            return None
        if not area.is_active:
            row.error(
                name,
                "inactive_area",
                _(
                    "%(name)s (%(code)s) is no longer an active area (merged or dissolved): use "
                    "the code of the area that replaced it."
                )
                % {"name": area.name, "code": area.code},
            )
            return None
        return area

    def first_seen(self, row, name, key):
        """Report a key met earlier in the file; remember it otherwise."""
        if key in self.seen:
            row.error(
                name,
                "duplicate_in_file",
                _("The same %(column)s is already in row %(row)s of this file.")
                % {"column": self.columns[name].column_name, "row": self.seen[key]},
            )
            return False
        self.seen[key] = row.number
        return True
