"""Cleaning of single cells: a raw spreadsheet value in, a Python value out or a `CellError`.

Cells arrive as text (csv) or as whatever Excel stored (numbers, dates, booleans). Number cells
are where identifiers lose their leading zeros, so they are told apart from typed text.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .. import citizen_id as cid
from ..models import Gender, LearningUnit, TargetGroup
from ..text import strip_controls
from .resources import GENDER_WORDS, UNIT_KIND_WORDS, header_key

SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+]?\d+$")
PHONE = re.compile(r"^\+?[\d ().-]+$")
DAY_MONTH_YEAR = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-](\d{4})$")
GENDERS_AS_WRITTEN = {word: gender for gender, word in GENDER_WORDS.items()}
GENDERS = {
    **{header_key(word): gender for gender, word in GENDER_WORDS.items()},
    "male": Gender.MALE,
    "female": Gender.FEMALE,
}
UNIT_KINDS = {
    **{header_key(word): kind for kind, word in UNIT_KIND_WORDS.items()},
    **{header_key(kind): kind for kind in LearningUnit.Kind.values},
    "coquan": LearningUnit.Kind.ORGANISATION,
    "organization": LearningUnit.Kind.ORGANISATION,
}
TARGET_GROUPS = frozenset(TargetGroup.values)
YES_WORDS = {"co", "yes", "x", "1", "true", "c", "y"}
NO_WORDS = {"khong", "no", "0", "false", "k", "n", ""}


class CellError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code


def is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_text(value):
    """1990.0 → "1990"; other numbers as Python writes them."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text(value, *, max_length, required=False):
    """Trimmed text with runs of spaces collapsed; numbers written without a trailing .0."""
    if type(value) is str:  # the common case first: 100k rows × 11 cells come through here
        result = " ".join(strip_controls(value).split())
    elif value is None:
        result = ""
    elif is_number(value):
        result = number_text(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        result = value.strftime("%d/%m/%Y")
    else:
        result = " ".join(strip_controls(str(value)).split())
    if required and not result:
        raise CellError(_("This cell is required."), "required")
    if len(result) > max_length:
        raise CellError(
            _("Too long: %(length)s characters, at most %(max)s.")
            % {"length": len(result), "max": max_length},
            "too_long",
        )
    return result


def _digits(text):
    """Only 0–9: `str.isdigit` also accepts "¹" or "①", which int() refuses."""
    return text.isascii() and text.isdigit()


def integer(value):
    if type(value) is str and _digits(value):
        return int(value)
    if is_number(value):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(_("Enter a whole number."), "not_integer")
        return int(value)
    result = text(value, max_length=20)
    if result.endswith(".0"):
        result = result[:-2]
    if not result:
        return None
    if not _digits(result):
        raise CellError(
            _("Enter a whole number, not “%(value)s”.") % {"value": result}, "not_integer"
        )
    return int(result)


def birth_year(value, *, this_year):
    """A four-digit year; a date (typed or stored by Excel) gives its year."""
    if isinstance(value, datetime.datetime | datetime.date):
        year = value.year
    else:
        match = DAY_MONTH_YEAR.match(value.strip()) if isinstance(value, str) else None
        year = int(match.group(1)) if match else integer(value)
    if year is None:
        raise CellError(_("This cell is required."), "required")
    if not 1900 <= year <= this_year:
        raise CellError(
            _("The birth year must be between 1900 and %(year)s; “%(value)s” is not.")
            % {"year": this_year, "value": year},
            "birth_year",
        )
    return year


def gender(value):
    if value in GENDERS_AS_WRITTEN:
        return GENDERS_AS_WRITTEN[value]
    key = header_key(text(value, max_length=20, required=True))
    if key not in GENDERS:
        raise CellError(
            _("Write the gender as Nam or Nữ, not “%(value)s”.") % {"value": value},
            "gender",
        )
    return GENDERS[key]


def target_group(value):
    group = integer(value)
    if group is None:
        raise CellError(_("This cell is required."), "required")
    if group not in TARGET_GROUPS:
        raise CellError(
            _("The target group is 1, 2 or 3, not “%(value)s”.") % {"value": group},
            "target_group",
        )
    return group


def yes_no(value):
    if isinstance(value, bool):
        return value
    key = header_key(text(value, max_length=20))
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    raise CellError(_("Write Có or Không, not “%(value)s”.") % {"value": value}, "yes_no")


def unit_kind(value):
    key = header_key(text(value, max_length=60, required=True))
    if key not in UNIT_KINDS:
        raise CellError(
            _("The kind is one of Gia đình, Dòng họ, Cộng đồng, Đơn vị; not “%(value)s”.")
            % {"value": value},
            "unit_kind",
        )
    return UNIT_KINDS[key]


def citizen_id(value, *, gender=None, birth_year=None, required=True):
    """A validated citizen ID; explains number cells, scientific notation and masked IDs."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if not required:
            return ""
        raise CellError(_("Enter the citizen ID number."), "required")
    if isinstance(value, float) and not value.is_integer():
        raise CellError(
            _(
                "Excel stored the citizen ID as a number and changed it (%(value)s): format the "
                "column as Text and enter the 12 digits again."
            )
            % {"value": value},
            "number_cell",
        )
    raw = number_text(value) if is_number(value) else str(value).strip()
    if SCIENTIFIC.match(raw):
        raise CellError(
            _(
                "“%(value)s” is a citizen ID that Excel turned into scientific notation, which "
                "loses digits: format the column as Text and enter the 12 digits again."
            )
            % {"value": raw},
            "scientific_notation",
        )
    if "*" in raw:
        raise CellError(
            _(
                "“%(value)s” is a masked citizen ID (exports hide the middle digits): enter the "
                "full number."
            )
            % {"value": raw},
            "masked_citizen_id",
        )
    try:
        return cid.validate_citizen_id(raw, gender=gender, birth_year=birth_year)
    except ValidationError as error:
        raise CellError(error.messages[0], error.code or "citizen_id") from error


def phone(value):
    """A phone number; a number cell that lost the leading 0 of a 10-digit mobile gets it back
    (phones are contact details, not identifiers, and 9-digit numbers are not Vietnamese)."""
    if is_number(value):
        result = number_text(value)
        if len(result) == 9:
            result = "0" + result
    else:
        result = text(value, max_length=20)
    if not result:
        return ""
    digits = sum(char.isdigit() for char in result)
    if not PHONE.match(result) or not 8 <= digits <= 15:
        raise CellError(_("“%(value)s” is not a phone number.") % {"value": result}, "phone")
    if len(result) > 20:
        raise CellError(
            _("Too long: %(length)s characters, at most %(max)s.")
            % {"length": len(result), "max": 20},
            "too_long",
        )
    return result


def email(value):
    result = text(value, max_length=254)
    if result:
        try:
            validate_email(result)
        except ValidationError as error:
            raise CellError(
                _("“%(value)s” is not an e-mail address.") % {"value": result}, "email"
            ) from error
    return result
