"""Property tests of the import parsers: any cell value gives a value or a CellError with a
code; any file content gives a table or an ImportFileError with a reason; never a crash
(a crash would be a server error page instead of a message an officer can act on)."""

import datetime
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_units.imports import cells
from learning_units.imports.parsing import ImportFileError, Upload, read_table

FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cell_values = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=datetime.date(1000, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1000, 1, 1)),
)

PARSERS = {
    "text": lambda v: cells.text(v, max_length=50, required=True),
    "integer": cells.integer,
    "birth_year": lambda v: cells.birth_year(v, this_year=2026),
    "gender": cells.gender,
    "target_group": cells.target_group,
    "yes_no": cells.yes_no,
    "unit_kind": cells.unit_kind,
    "phone": cells.phone,
    "email": cells.email,
}


@pytest.mark.parametrize("name", sorted(PARSERS))
@FAST
@given(value=cell_values)
def test_a_cell_parses_or_says_what_is_wrong(name, value):
    try:
        PARSERS[name](value)
    except cells.CellError as error:
        assert error.code and str(error.message)


@FAST
@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.txt", "a"]))
def test_any_bytes_are_a_table_or_a_file_error(content, name):
    try:
        table = read_table(Upload(name, content))
    except ImportFileError as error:
        assert error.code and str(error.message)
    else:
        assert table is not None


csv_cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=15
)


@FAST
@given(
    st.lists(st.lists(csv_cells, min_size=1, max_size=6), min_size=1, max_size=20),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_csv_text_is_a_table_or_a_file_error(rows, delimiter, encoding):
    text = "\n".join(delimiter.join(row) for row in rows)
    try:
        read_table(Upload("a.csv", text.encode(encoding)))
    except ImportFileError as error:
        assert error.code


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell_values, min_size=1, max_size=5), min_size=1, max_size=10))
def test_any_workbook_is_a_table_or_a_file_error(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        try:
            sheet.append(row)
        except (ValueError, TypeError, openpyxl.utils.exceptions.IllegalCharacterError):
            return  # openpyxl itself cannot store this value: not a file anyone can send
    buffer = io.BytesIO()
    workbook.save(buffer)
    try:
        read_table(Upload("a.xlsx", buffer.getvalue()))
    except ImportFileError as error:
        assert error.code
