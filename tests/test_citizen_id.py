import pytest
from django.core.exceptions import ValidationError

from learning_units.citizen_id import decode, mask, validate_citizen_id


def error_code(value, **kwargs):
    with pytest.raises(ValidationError) as error:
        validate_citizen_id(value, **kwargs)
    return error.value.code


def test_valid_cccd_is_returned_normalised():
    assert validate_citizen_id(" 001 088 000 123 ") == "001088000123"


def test_old_nine_digit_cmnd_is_accepted():
    assert validate_citizen_id("123456789") == "123456789"


def test_spreadsheet_number_without_leading_zeros_is_explained():
    with pytest.raises(ValidationError) as error:
        validate_citizen_id("1088000123")
    assert error.value.code == "leading_zeros"
    assert "001088000123" in error.value.messages[0]


def test_float_cell_from_a_spreadsheet_is_read_as_its_digits():
    assert validate_citizen_id("1088000123.0".zfill(14)) == "001088000123"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("00108800012A", "not_digits"),
        ("0010880001234", "length"),
        ("003088000123", "province"),  # 003 is not a province code
    ],
)
def test_malformed_numbers_are_rejected_with_a_specific_code(value, code):
    assert error_code(value) == code


def test_gender_that_disagrees_with_the_fourth_digit_is_a_typo():
    assert error_code("001088000123", gender="female") == "gender_mismatch"


def test_birth_year_that_disagrees_with_the_number_is_a_typo():
    assert error_code("001088000123", birth_year=1989) == "birth_year_mismatch"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("001088000123", ("male", 1988)),
        ("001188000123", ("female", 1988)),
        ("001203000123", ("male", 2003)),
        ("001305000123", ("female", 2005)),
    ],
)
def test_century_and_gender_digit(value, expected):
    assert decode(value) == expected


def test_births_abroad_use_configured_country_codes(settings):
    assert error_code("840088000123") == "province"
    settings.CDHT_CITIZEN_ID_FOREIGN_PREFIXES = ["840"]
    assert validate_citizen_id("840088000123") == "840088000123"


def test_mask_hides_the_middle_digits():
    assert mask("001088000145") == "0010******45"
    assert mask("123456789") == "1234***89"
