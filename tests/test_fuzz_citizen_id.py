"""Property tests of the citizen ID check (DOMAIN.md): any text gives a number or a
ValidationError, never a crash; every well-formed ID round-trips its gender and birth year."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning_units import citizen_id as cid
from learning_units.imports import cells

pytestmark = pytest.mark.django_db(transaction=False)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

digits_text = st.text(alphabet="0123456789 .-", max_size=20)
anything = st.one_of(
    st.text(max_size=40),
    digits_text,
    st.integers(min_value=-(10**14), max_value=10**14),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
)


@st.composite
def valid_ids(draw):
    province = draw(st.sampled_from(sorted(cid.BIRTH_PROVINCE_CODES)))
    year = draw(st.integers(min_value=1900, max_value=2099))
    gender = draw(st.sampled_from([cid.MALE, cid.FEMALE]))
    century_digit = 2 * ((year - 1900) // 100) + (0 if gender == cid.MALE else 1)
    rest = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    return f"{province}{century_digit}{year % 100:02d}{rest}", gender, year


@FAST
@given(anything)
def test_validation_returns_a_number_or_says_why(value):
    try:
        number = cid.validate_citizen_id(value)
    except ValidationError as error:
        assert error.messages and all(error.messages)
    else:
        assert number.isdigit() and len(number) in (9, 12)


@FAST
@given(digits_text)
def test_normalise_is_idempotent_and_keeps_every_typed_digit(value):
    once = cid.normalise(value)
    assert cid.normalise(once) == once
    typed = value.strip()
    if typed.endswith(".0") and typed[:-2].isdigit():  # a spreadsheet's float: 1088000123.0
        typed = typed[:-2]
    assert [c for c in once if c.isdigit()] == [c for c in typed if c.isdigit()]


@FAST
@given(valid_ids(), st.sampled_from(["", " ", "."]))
def test_a_well_formed_id_is_accepted_however_typed_and_decodes(generated, separator):
    number, gender, year = generated
    typed = separator.join([number[:3], number[3:6], number[6:]])
    assert cid.validate_citizen_id(typed, gender=gender, birth_year=year) == number
    assert cid.decode(number) == (gender, year)


@FAST
@given(valid_ids(), st.integers(min_value=1, max_value=99))
def test_a_birth_year_that_disagrees_is_refused(generated, offset):
    number, gender, year = generated
    with pytest.raises(ValidationError):
        cid.validate_citizen_id(number, gender=gender, birth_year=year + offset)


@FAST
@given(valid_ids())
def test_a_masked_id_shows_only_six_digits(generated):
    number, _gender, _year = generated
    masked = cid.mask(number)
    assert len(masked) == len(number)
    assert sum(c.isdigit() for c in masked) <= 6


@FAST
@given(anything, st.sampled_from(["male", "female", None]), st.one_of(st.none(), st.integers()))
def test_the_import_cell_raises_only_cell_errors(value, gender, birth_year):
    try:
        cells.citizen_id(value, gender=gender, birth_year=birth_year)
    except cells.CellError as error:
        assert str(error.args[0])
