"""Read an uploaded spreadsheet (xlsx or csv) into numbered rows of raw cell values.

Row numbers are the spreadsheet's own (the first row is 1) so that an officer can find a
reported row in Excel. Whole-file problems raise `ImportFileError` with a message a person can
act on; the database is never touched here.
"""

import codecs
import csv
import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from ..conf import setting


def max_rows_default():
    """CDHT_IMPORT_MAX_ROWS: data rows an import takes (the header comes on top)."""
    return setting("IMPORT_MAX_ROWS")


MAX_FILE_BYTES = 50 * 1024 * 1024
# Title lines above the header and blank lines between rows, beyond the data rows' limit.
SPARE_SHEET_ROWS = 50
EXTENSIONS = ("xlsx", "csv")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and password-protected .xlsx
DELIMITERS = ",;\t"


class ImportFileError(Exception):
    """The file as a whole cannot be read; `code` is stable, `message` is for people."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula: imports take values only, so the row is rejected."""

    coordinate: str
    text: str

    def __str__(self):
        return self.text


@dataclass
class Table:
    """Non-empty rows as (spreadsheet row number, [cell values]); cells are str, int, float,
    bool, datetime, None or `Formula`."""

    rows: list = field(default_factory=list)


@dataclass(frozen=True)
class Upload:
    """The bytes of an upload with the name it came with."""

    name: str
    content: bytes


def read_upload(source, *, max_bytes=MAX_FILE_BYTES):
    """An `Upload` from a path or a file object (Django's UploadedFile, File, open()).

    The size is checked before anything is read, so a 2 GB upload costs nothing.
    """
    if isinstance(source, Upload):
        check_size(len(source.content), max_bytes)
        return source
    if isinstance(source, str | Path):
        path = Path(source)
        size, name = path.stat().st_size, path.name
        check_size(size, max_bytes)
        return Upload(name, path.read_bytes())
    name = Path(getattr(source, "name", "") or "").name
    size = getattr(source, "size", None)
    if size is not None:
        check_size(size, max_bytes)
    if hasattr(source, "seek"):
        source.seek(0)
    content = source.read(max_bytes + 1)
    check_size(len(content), max_bytes)
    return Upload(name, content)


def check_size(size, max_bytes):
    if size == 0:
        raise ImportFileError(_("The file is empty."), "empty")
    if size > max_bytes:
        raise ImportFileError(
            _(
                "The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller "
                "files, or ask an administrator to run the import_data command."
            )
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": max_bytes // 1024 // 1024},
            "too_large",
        )


def check_extension(name):
    extension = Path(name).suffix.lower().lstrip(".")
    if extension == "xls":
        raise ImportFileError(
            _(
                "Old Excel files (.xls) are not accepted: open the file in Excel and save it "
                "as “Excel Workbook (.xlsx)” or as CSV UTF-8."
            ),
            "old_xls",
        )
    if extension not in EXTENSIONS:
        raise ImportFileError(
            _("Only .xlsx (Excel) and .csv files can be imported; “%(name)s” is neither.")
            % {"name": name or "?"},
            "wrong_type",
        )
    return extension


def read_table(upload, *, max_rows=None):
    """Parse an `Upload` by its extension, checking that the content matches it."""
    max_rows = max_rows or max_rows_default()
    extension = check_extension(upload.name)
    head = upload.content[:8]
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls) or a password-protected workbook: remove "
                "the password and save it as “Excel Workbook (.xlsx)”."
            ),
            "old_xls",
        )
    if extension == "xlsx":
        if not head.startswith(ZIP_MAGIC):
            raise ImportFileError(
                _(
                    "The file is named .xlsx but is not an Excel workbook (it may be damaged, "
                    "or another kind of file renamed). Open it in Excel and save it again."
                ),
                "broken_xlsx",
            )
        return read_xlsx(upload.content, max_rows=max_rows)
    if head.startswith(ZIP_MAGIC):
        raise ImportFileError(
            _("The file is named .csv but is an Excel workbook: rename it to .xlsx."),
            "wrong_type",
        )
    return read_csv(upload.content, max_rows=max_rows)


# --- xlsx -------------------------------------------------------------------------------


def check_xlsx_archive(content):
    """Refuse a zip that inflates beyond CDHT_IMPORT_MAX_UNCOMPRESSED_BYTES before openpyxl
    parses it (a zip bomb costs minutes of CPU). The sizes come from the zip's directory, and
    zipfile never inflates a member beyond its declared size. `content`: bytes or a file."""
    broken = broken_xlsx_error()
    source = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    try:
        with zipfile.ZipFile(source) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise broken from error
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    limit = setting("IMPORT_MAX_UNCOMPRESSED_BYTES")
    if inflated > limit:
        raise ImportFileError(
            _(
                "The workbook unpacks to %(size)s MB of data, more than the %(limit)s MB an "
                "import takes (a normal sheet of %(rows)s rows is far smaller). Save it again "
                "in Excel with only the sheet to import, or split it into several files."
            )
            % {
                "size": grouped(inflated // 1024 // 1024),
                "limit": grouped(limit // 1024 // 1024),
                "rows": grouped(max_rows_default()),
            },
            "too_large",
        )


def broken_xlsx_error():
    return ImportFileError(
        _(
            "The Excel file cannot be read: it is damaged or not a real .xlsx workbook. Open "
            "it in Excel and save it again as “Excel Workbook (.xlsx)”."
        ),
        "broken_xlsx",
    )


def read_xlsx(content, *, max_rows=None):
    """The first worksheet, loaded with formulas kept (data_only=False) so they are caught.
    Limits first: the inflated size, the rows the sheet declares (`<dimension>`, read without
    parsing a row), then the row numbers as read (a sheet may declare no dimension)."""
    from openpyxl import load_workbook

    max_rows = max_rows or max_rows_default()
    broken = broken_xlsx_error()
    check_xlsx_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, ValueError, XML errors)
        raise broken from error
    try:
        if not workbook.worksheets:
            raise broken
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > max_rows + SPARE_SHEET_ROWS:
            raise too_many_rows_error(max_rows)
        table = Table()
        try:
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                if number > max_rows + SPARE_SHEET_ROWS:
                    raise too_many_rows_error(max_rows)
                values = [xlsx_value(cell, number, index) for index, cell in enumerate(cells)]
                append_row(table, number, values, max_rows)
        except ImportFileError:
            raise
        except Exception as error:
            raise broken from error
        return table
    finally:
        workbook.close()


def xlsx_value(cell, row_number, index):
    value = cell.value
    if cell.data_type == "f" or (value is not None and not is_plain(value)):
        # A formula, or an array/data-table formula object: name the cell.
        coordinate = f"{get_column_letter(index + 1)}{row_number}"
        return Formula(coordinate, str(getattr(value, "text", value)))
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
    return value


def is_plain(value):
    return isinstance(value, str | int | float | bool | datetime.date | datetime.time)


# --- csv --------------------------------------------------------------------------------


def read_csv(content, *, max_rows=None):
    max_rows = max_rows or max_rows_default()
    text = decode_csv(content)
    if not text.strip():
        raise ImportFileError(_("The file is empty."), "empty")
    if "\x00" in text:
        raise ImportFileError(
            _("The file is not a text CSV file (it contains binary data)."), "wrong_type"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    table = Table()
    try:
        for number, cells in enumerate(reader, start=1):
            values = [csv_value(cell, number, index) for index, cell in enumerate(cells)]
            append_row(table, number, values, max_rows)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed near row %(row)s: %(error)s")
            % {"row": reader.line_num, "error": error},
            "broken_csv",
        ) from error
    return table


def decode_csv(content):
    """Text of a CSV file: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1258.

    Windows-1258 writes Vietnamese with combining tone marks ("ễ" as "ê" + tilde), and some
    keyboards type decomposed UTF-8: everything is NFC-normalised so "Nguyễn" matches.
    """
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel "Unicode text"
        try:
            return unicodedata.normalize("NFC", content.decode("utf-16"))
        except UnicodeDecodeError as error:
            raise unknown_encoding_error() from error
    if content.startswith(codecs.BOM_UTF8):
        try:
            return unicodedata.normalize("NFC", content.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise mixed_encoding_error(content) from error
    try:
        return unicodedata.normalize("NFC", content.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    utf8_lines = [
        number
        for number, line in enumerate(content.splitlines(), start=1)
        if not line.isascii() and decodes_as_utf8(line)
    ]
    if utf8_lines:
        raise mixed_encoding_error(content, utf8_line=utf8_lines[0])
    try:
        return unicodedata.normalize("NFC", content.decode("cp1258"))
    except UnicodeDecodeError as error:
        raise unknown_encoding_error() from error


def unknown_encoding_error():
    return ImportFileError(
        _(
            "The file's character encoding is not recognised (neither UTF-8 nor "
            "Windows-1258): in Excel, save it as “CSV UTF-8 (Comma delimited)”."
        ),
        "encoding",
    )


def decodes_as_utf8(line):
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def mixed_encoding_error(content, utf8_line=None):
    """Some lines are UTF-8 and others are not (rows pasted from files saved differently)."""
    other_line = next(
        (
            number
            for number, line in enumerate(content.splitlines(), start=1)
            if not decodes_as_utf8(line.removeprefix(codecs.BOM_UTF8))
        ),
        None,
    )
    return ImportFileError(
        _(
            "The file mixes character encodings: row %(utf8)s is UTF-8 but row %(other)s is "
            "not. Copy all rows into one sheet and save it as “CSV UTF-8 (Comma delimited)” "
            "or as .xlsx."
        )
        % {"utf8": utf8_line or 1, "other": other_line or "?"},
        "mixed_encoding",
    )


def sniff_delimiter(text):
    """The delimiter used most on the header line: Excel writes “;” in many locales."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def csv_value(cell, row_number, index):
    if cell.startswith("="):
        return Formula(f"{get_column_letter(index + 1)}{row_number}", cell)
    return cell


# --- shared -----------------------------------------------------------------------------


def grouped(number):
    """200000 → "200.000" in Vietnamese, "200,000" in English (whatever USE_THOUSAND_SEPARATOR
    says: a limit reads better grouped)."""
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def append_row(table, number, values, max_rows):
    """Keep a non-empty row, trailing blank cells trimmed; refuse more than `max_rows`."""
    while values and is_blank(values[-1]):
        values.pop()
    if not values:
        return
    if len(table.rows) > max_rows:  # the header row comes on top of max_rows data rows
        raise too_many_rows_error(max_rows)
    table.rows.append((number, values))


def too_many_rows_error(max_rows):
    return ImportFileError(
        _(
            "The file has more than %(limit)s rows; split it into several files of at "
            "most %(limit)s rows."
        )
        % {"limit": grouped(max_rows)},
        "too_many_rows",
    )
