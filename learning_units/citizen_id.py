"""Checks of the citizen ID number (CCCD / số định danh cá nhân) and the old 9-digit CMND.

Structure of the 12-digit number: Decree 137/2015/NĐ-CP, Circular 07/2016/TT-BCA, restated in
Circular 59/2021/TT-BCA. Digits 1–3 are the province where the birth was registered, by the
pre-2025 list of 63 provinces (the 2025 merger renumbered nobody); digit 4 encodes century and
gender; digits 5–6 are the last two digits of the birth year.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .conf import setting

BIRTH_PROVINCE_CODES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

MALE, FEMALE = "male", "female"


def foreign_prefixes():
    """Country codes used for births registered abroad; configurable, none by default."""
    return set(setting("CITIZEN_ID_FOREIGN_PREFIXES"))


def normalise(value):
    """Strip spaces, dots and dashes people type inside the number; keep every digit."""
    text = str(value or "").strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a number cell read from a spreadsheet
        text = text[:-2]
    return "".join(char for char in text if char not in " .-")


def decode(citizen_id):
    """Gender and birth year encoded in a valid 12-digit number: (gender, birth_year)."""
    century_gender = int(citizen_id[3])
    century = 1900 + 100 * (century_gender // 2)
    gender = MALE if century_gender % 2 == 0 else FEMALE
    return gender, century + int(citizen_id[4:6])


def validate_citizen_id(value, *, gender=None, birth_year=None):
    """Return the normalised number or raise ValidationError saying precisely what is wrong.

    When gender or birth year are given, they must agree with what the number encodes: a
    disagreement is almost always a typo in one of the two.
    """
    number = normalise(value)
    if not number:
        raise ValidationError(_("Enter the citizen ID number."), code="required")
    if not (number.isascii() and number.isdigit()):  # "¹²" are digits to str.isdigit
        raise ValidationError(
            _("The citizen ID may contain digits only; “%(value)s” does not.") % {"value": value},
            code="not_digits",
        )
    if len(number) == 9:
        return number  # old CMND: no internal structure to check
    if len(number) in (10, 11):
        padded = number.zfill(12)
        raise ValidationError(
            _(
                "The citizen ID has %(length)s digits instead of 12. Spreadsheets that store it as "
                "a number drop its leading zeros: did you mean %(padded)s? Format the column as "
                "text and enter it again."
            )
            % {"length": len(number), "padded": padded},
            code="leading_zeros",
        )
    if len(number) != 12:
        raise ValidationError(
            _(
                "A citizen ID has 12 digits (CCCD) or 9 digits (old CMND); “%(value)s” has "
                "%(length)s."
            )
            % {"value": number, "length": len(number)},
            code="length",
        )
    prefix = number[:3]
    if prefix not in BIRTH_PROVINCE_CODES and prefix not in foreign_prefixes():
        raise ValidationError(
            _(
                "The first three digits “%(prefix)s” are not a province code of a citizen ID "
                "(001 Hà Nội … 096 Cà Mau)."
            )
            % {"prefix": prefix},
            code="province",
        )
    encoded_gender, encoded_year = decode(number)
    if gender and gender != encoded_gender:
        raise ValidationError(
            _(
                "The citizen ID says %(encoded)s (4th digit %(digit)s) but the gender entered is "
                "%(entered)s: check one of the two."
            )
            % {
                "encoded": gender_label(encoded_gender),
                "digit": number[3],
                "entered": gender_label(gender),
            },
            code="gender_mismatch",
        )
    if birth_year and int(birth_year) != encoded_year:
        raise ValidationError(
            _(
                "The citizen ID says born in %(encoded)s (digits 4–6) but the birth year entered "
                "is %(entered)s: check one of the two."
            )
            % {"encoded": encoded_year, "entered": birth_year},
            code="birth_year_mismatch",
        )
    return number


def gender_label(gender):
    return _("male") if gender == MALE else _("female")


def mask(citizen_id):
    """Show the first four and last two digits: 001088000123 → 0010******23."""
    if not citizen_id:
        return ""
    return citizen_id[:4] + "*" * (len(citizen_id) - 6) + citizen_id[-2:]
