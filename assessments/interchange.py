"""Criteria sets as plain data: the shape every other part of the app exchanges.

A set's plain-data form (a dict; see `SET_FIELDS` and friends) is what the rules check, the
loader stores, new versions copy, comparisons diff and `criteria_files` reads and writes.
Guidance pages travel as their Wagtail URL paths (e.g. ``/home/huong-dan/``) so that a file
does not depend on one database's ids.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from learning_units.models import TargetGroup
from learning_units.text import nfc

from .models import CriteriaSet, SubjectKind


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, long_text, int, decimal, date, bool, choice, list
    required: bool = True
    choices: tuple = ()
    default: object = None


SET_FIELDS = (
    Field("code", "text"),
    Field("version", "int"),
    Field("title", "text"),
    Field("title_en", "text", required=False, default=""),
    Field("description", "long_text", required=False, default=""),
    Field("description_en", "long_text", required=False, default=""),
    Field("legal_basis_number", "text"),
    Field("legal_basis_date", "date", required=False),
    Field("subject_kind", "choice", choices=tuple(SubjectKind.values)),
    Field("target_group", "int", required=False, choices=tuple(TargetGroup.values)),
    Field("valid_from_year", "int"),
    Field("valid_to_year", "int", required=False),
    Field("total_points", "decimal"),
    Field("pass_mark", "decimal"),
    Field(
        "status",
        "choice",
        required=False,
        choices=tuple(CriteriaSet.Status.values),
        default=CriteriaSet.Status.DRAFT,
    ),
)
BAND_FIELDS = (
    Field("label", "text"),
    Field("label_en", "text", required=False, default=""),
    Field("min_points", "decimal"),
)
CRITERION_FIELDS = (
    Field("code", "text"),
    Field("title", "text"),
    Field("title_en", "text", required=False, default=""),
    Field("description", "long_text", required=False, default=""),
    Field("description_en", "long_text", required=False, default=""),
    Field("max_points", "decimal"),
    Field("min_points", "decimal", required=False),
)
INDICATOR_FIELDS = (
    Field("code", "text"),
    Field("title", "text"),
    Field("title_en", "text", required=False, default=""),
    Field("guidance", "long_text"),
    Field("guidance_en", "long_text", required=False, default=""),
    Field("max_points", "decimal"),
    Field("evidence_required", "bool", required=False, default=False),
    Field("is_digital_skill", "bool", required=False, default=False),
    Field("is_members_result", "bool", required=False, default=False),
    Field("competency_tags", "list", required=False, default=()),
    Field("guidance_pages", "list", required=False, default=()),
)
TREE_PREFETCH = (
    "rating_bands",
    "criteria__indicators__competency_items__tag",
    "criteria__indicators__guidance_pages",
)


class InterchangeError(Exception):
    """A file or data that cannot become a criteria set; `errors` are messages for people."""

    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = list(errors)


# Stored sets → data


def criteria_set_to_data(criteria_set):
    """The plain-data form of a stored set (a handful of queries, whatever its size).

    Relations already prefetched (e.g. by `selectors.criteria_set_tree`) are not read again.
    """
    prefetch_related_objects([criteria_set], *TREE_PREFETCH)
    data = {field.name: getattr(criteria_set, field.name) for field in SET_FIELDS}
    data["rating_bands"] = [
        {field.name: getattr(band, field.name) for field in BAND_FIELDS}
        for band in sorted(criteria_set.rating_bands.all(), key=lambda band: -band.min_points)
    ]
    data["criteria"] = [
        {
            **{field.name: getattr(criterion, field.name) for field in CRITERION_FIELDS},
            "indicators": [
                indicator_to_data(indicator) for indicator in criterion.indicators.all()
            ],
        }
        for criterion in criteria_set.criteria.all()
    ]
    return data


def indicator_to_data(indicator):
    data = {
        field.name: getattr(indicator, field.name)
        for field in INDICATOR_FIELDS
        if field.name not in ("competency_tags", "guidance_pages")
    }
    data["competency_tags"] = sorted(item.tag.name for item in indicator.competency_items.all())
    data["guidance_pages"] = sorted(page.url_path for page in indicator.guidance_pages.all())
    return data


# Raw data (JSON, xlsx rows, admin forms) → checked data


def parse_criteria_set(raw):
    """Checked plain data from a raw dict; raises InterchangeError listing every problem."""
    errors = []
    if not isinstance(raw, dict):
        raise InterchangeError([_("A criteria set must be an object with named fields.")])
    data = _parse_fields(
        raw, SET_FIELDS, _("Criteria set"), errors, extra=("criteria", "rating_bands")
    )
    data["rating_bands"] = [
        _parse_fields(band, BAND_FIELDS, _where(band, _("Rating band %(n)s"), n), errors)
        for n, band in enumerate(_list(raw, "rating_bands", errors), start=1)
    ]
    data["criteria"] = []
    for n, criterion in enumerate(_list(raw, "criteria", errors), start=1):
        parsed = _parse_fields(
            criterion,
            CRITERION_FIELDS,
            _where(criterion, _("Criterion %(n)s"), n),
            errors,
            extra=("indicators",),
        )
        parsed["indicators"] = [
            _parse_fields(
                indicator,
                INDICATOR_FIELDS,
                _where(indicator, _("Indicator %(n)s"), f"{n}.{m}"),
                errors,
            )
            for m, indicator in enumerate(_list(criterion, "indicators", errors), start=1)
        ]
        data["criteria"].append(parsed)
    data["rating_bands"].sort(key=lambda band: -(band.get("min_points") or 0))
    if errors:
        raise InterchangeError(errors)
    return data


def _where(raw, template, n):
    if isinstance(raw, dict) and raw.get("_where"):
        return raw["_where"]
    return template % {"n": n}


def _list(raw, key, errors):
    value = raw.get(key, []) if isinstance(raw, dict) else []
    if not isinstance(value, list):
        errors.append(_("“%(field)s” must be a list.") % {"field": key})
        return []
    return value


def _parse_fields(raw, fields, where, errors, extra=()):
    if not isinstance(raw, dict):
        errors.append(_("%(where)s: expected named fields.") % {"where": where})
        return {}
    known = {field.name for field in fields} | set(extra) | {"_where"}
    unknown = sorted(set(raw) - known)
    if unknown:
        errors.append(
            _("%(where)s: unknown fields %(fields)s.")
            % {"where": where, "fields": ", ".join(unknown)}
        )
    data = {}
    for field in fields:
        value = raw.get(field.name)
        if is_blank(value):
            if field.required:
                errors.append(
                    _("%(where)s: “%(field)s” is required.") % {"where": where, "field": field.name}
                )
            data[field.name] = list(field.default) if field.kind == "list" else field.default
            continue
        try:
            data[field.name] = _convert(field, value)
        except ValueError as error:
            errors.append(
                _("%(where)s: “%(field)s” %(problem)s")
                % {"where": where, "field": field.name, "problem": error}
            )
            data[field.name] = field.default
    return data


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _convert(field, value):
    converter = {
        "text": to_text,
        "long_text": _to_long_text,
        "int": _to_int,
        "decimal": _to_decimal,
        "date": _to_date,
        "bool": _to_bool,
        "choice": to_text,
        "list": _to_list,
    }[field.kind]
    converted = converter(value)
    if field.choices and converted not in field.choices:
        raise ValueError(
            _("must be one of %(choices)s, not “%(value)s”.")
            % {"choices": ", ".join(str(choice) for choice in field.choices), "value": value}
        )
    return converted


def to_text(value):
    return " ".join(nfc(str(value)).split())


def _to_long_text(value):
    return nfc(str(value)).replace("\r\n", "\n")


def _to_int(value):
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral():
        raise ValueError(_("must be a whole number, not “%(value)s”.") % {"value": value})
    return int(number)


def _to_decimal(value):
    if isinstance(value, bool):
        raise ValueError(_("must be a number, not “%(value)s”.") % {"value": value})
    text = str(value).strip().replace(",", ".") if isinstance(value, str) else str(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(_("must be a number, not “%(value)s”.") % {"value": value})
    return number


def _to_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            _("must be a date written YYYY-MM-DD, not “%(value)s”.") % {"value": value}
        ) from None


TRUE_WORDS = {"true", "yes", "x", "1", "có", "co"}
FALSE_WORDS = {"false", "no", "0", "không", "khong"}


def _to_bool(value):
    if isinstance(value, bool):
        return value
    word = nfc(str(value)).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_("must be yes or no, not “%(value)s”.") % {"value": value})


def _to_list(value):
    """A list, or text with one item per line or separated by commas."""
    items = value if isinstance(value, list | tuple) else str(value).replace("\n", ",").split(",")
    return sorted({to_text(item) for item in items if not is_blank(item)})
