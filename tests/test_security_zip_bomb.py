"""A compressed xlsx that would inflate far beyond any real sheet, or a sheet of too many rows,
is refused before openpyxl parses it, with a message an officer can act on."""

import io
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from assessments.criteria_files import read_criteria_file
from assessments.interchange import InterchangeError
from learning_units.imports.parsing import ImportFileError, Upload, read_table

MB = 1024 * 1024


def workbook_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row_number, values in rows:
        for column, value in enumerate(values, start=1):
            sheet.cell(row_number, column, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_padding(content, inflated_bytes):
    """The workbook with one more member of zeros: tiny compressed, huge inflated."""
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * inflated_bytes)
    return buffer.getvalue()


@pytest.fixture
def bomb(settings):
    settings.CDHT_IMPORT_MAX_UNCOMPRESSED_BYTES = 4 * MB
    content = with_padding(workbook_bytes([(1, ["Số CCCD", "Họ và tên"])]), 8 * MB)
    assert len(content) < MB // 50  # a few kilobytes on the wire
    return content


def test_an_inflating_workbook_is_refused_before_openpyxl_reads_it(bomb):
    parsing = mock.patch("openpyxl.load_workbook", side_effect=AssertionError("parsed"))
    with parsing, pytest.raises(ImportFileError) as caught:
        read_table(Upload("citizens.xlsx", bomb))
    assert caught.value.code == "too_large"
    assert "4 MB" in caught.value.message


def test_the_refusal_speaks_vietnamese(bomb):
    with translation.override("vi"), pytest.raises(ImportFileError) as caught:
        read_table(Upload("citizens.xlsx", bomb))
    assert "giải nén" in caught.value.message


def test_a_normal_workbook_under_the_limit_is_read(settings):
    settings.CDHT_IMPORT_MAX_UNCOMPRESSED_BYTES = 4 * MB
    content = with_padding(workbook_bytes([(1, ["a", "b"]), (2, ["1", "2"])]), MB)
    assert [values for _number, values in read_table(Upload("x.xlsx", content)).rows] == [
        ["a", "b"],
        ["1", "2"],
    ]


def test_a_sheet_declaring_too_many_rows_is_refused(settings):
    settings.CDHT_IMPORT_MAX_ROWS = 100
    content = workbook_bytes([(1, ["a"]), (2, ["1"]), (5_000, ["far below"])])
    with pytest.raises(ImportFileError) as caught:
        read_table(Upload("x.xlsx", content))
    assert caught.value.code == "too_many_rows"
    assert "100" in caught.value.message


def test_the_row_limit_is_a_setting(settings):
    settings.CDHT_IMPORT_MAX_ROWS = 3
    content = "\n".join(["a,b"] + ["1,2"] * 5).encode()
    with pytest.raises(ImportFileError) as caught:
        read_table(Upload("rows.csv", content))
    assert caught.value.code == "too_many_rows"


def test_a_criteria_workbook_is_held_to_the_same_limit(bomb):
    upload = SimpleUploadedFile("criteria.xlsx", bomb)
    parsing = mock.patch("assessments.criteria_files.load_workbook", side_effect=AssertionError)
    with parsing, pytest.raises(InterchangeError):
        read_criteria_file(upload, upload.name)
