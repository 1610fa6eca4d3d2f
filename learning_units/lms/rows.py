"""The rules of one completion, shared by the file import and the API.

Cleaners take a raw value (a spreadsheet cell or a JSON value) and return a Python value or
raise `CellError`. `CompletionPlan` decides what a valid completion does (new, updated or
unchanged, by provider and external ID) and writes all of them at once.
"""

import datetime
import functools
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from ..imports.cells import CellError, is_number, text
from ..imports.resources import header_key
from ..models import CourseCompletion

Provider = CourseCompletion.Provider
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.+Z-]*)?$")
# Day first, as Vietnam and Moodle's English "strftimedatetimeshort" (%d/%m/%y, %H:%M) write it.
DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:,?\s+\d{1,2}:\d{2}.*)?$")
MAX_HOURS = Decimal("99999.9")
PROVIDERS = {
    **{header_key(value): value for value in Provider.values},
    **{header_key(label): value for value, label in Provider.choices},
    "openedx": Provider.OPEN_EDX,
    "edx": Provider.OPEN_EDX,
    "trangnay": Provider.SITE,
    "khac": Provider.OTHER,
}
COMPARED = (
    "course_title",
    "course_id",
    "course_url",
    "completed_on",
    "hours",
    "grade",
    "certificate_url",
    "competency_tags",
)
url_validator = URLValidator(schemes=["http", "https"])


def completion_date(value, *, today):
    """A date not after today: a date cell, ISO 8601, or day/month/year (Moodle's format)."""
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    else:
        raw = text(value, max_length=40, required=True)
        result = parse_date(raw)
        if result is None:
            raise CellError(
                _("“%(value)s” is not a date: write it as 2025-06-30 or 30/06/2025.")
                % {"value": raw},
                "date",
            )
    if result > today:
        raise CellError(
            _("The completion date %(date)s is in the future.")
            % {"date": result.strftime("%d/%m/%Y")},
            "future_date",
        )
    return result


@functools.lru_cache(maxsize=4096)  # a file repeats the same few hundred dates
def parse_date(raw):
    try:
        if match := ISO_DATE.match(raw):
            return datetime.date(*(int(part) for part in match.groups()))
        if match := DAY_FIRST.match(raw):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None
    return None


def hours(value):
    """Hours of study: empty, or a number from 0 with one decimal."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter a number of hours."), "hours")
    raw = str(value).strip().replace(",", ".") if not is_number(value) else str(value)
    result = parse_hours(raw)
    if result is None:
        raise CellError(_("“%(value)s” is not a number of hours.") % {"value": value}, "hours")
    if result < 0:
        raise CellError(_("Hours cannot be negative."), "negative_hours")
    if result > MAX_HOURS:
        raise CellError(_("At most %(max)s hours.") % {"max": MAX_HOURS}, "hours")
    return result


@functools.lru_cache(maxsize=4096)
def parse_hours(raw):
    try:
        result = Decimal(raw)
    except InvalidOperation:
        return None
    if not result.is_finite():
        return None
    try:
        return result.quantize(Decimal("0.1"))
    except InvalidOperation:
        return result  # too large to round (1e30): `hours` refuses it as above the maximum


def url(value):
    result = text(value, max_length=200)
    if result and not is_web_address(result):
        raise CellError(
            _("“%(value)s” is not a web address (http:// or https://).") % {"value": result},
            "url",
        )
    return result


@functools.lru_cache(maxsize=4096)  # course URLs repeat on every row of a course
def is_web_address(value):
    try:
        url_validator(value)
    except ValidationError:
        return False
    return True


def provider(value):
    raw = text(value, max_length=40)
    if not raw:
        return Provider.OTHER
    key = provider_key(raw)
    if key not in PROVIDERS:
        raise CellError(
            _("The provider is one of %(choices)s; not “%(value)s”.")
            % {"choices": ", ".join(Provider.values), "value": raw},
            "provider",
        )
    return PROVIDERS[key]


@functools.lru_cache(maxsize=256)  # every row of a file names one of a few providers
def provider_key(raw):
    return header_key(raw)


class CompletionPlan:
    """Completions to write, matched to those already recorded by (provider, external ID)."""

    def __init__(self, *, source):
        self.source = source  # CourseCompletion.Source
        self.existing = {}
        self.loaded = set()
        self.new = []
        self.changed = []

    def load(self, keys):
        """Preload recorded completions for (provider, external ID) pairs, a few queries."""
        keys = set(keys) - self.loaded
        by_provider = {}
        for provider_value, external_id in keys:
            by_provider.setdefault(provider_value, []).append(external_id)
        for provider_value, ids in by_provider.items():
            for start in range(0, len(ids), 900):
                for completion in CourseCompletion.objects.filter(
                    provider=provider_value, external_id__in=ids[start : start + 900]
                ):
                    self.existing[(completion.provider, completion.external_id)] = completion
        self.loaded |= keys

    def add(self, values, citizen_pk):
        """ "new", "updated" or "unchanged"; `CellError` when the ID is another citizen's."""
        key = (values["provider"], values["external_id"])
        current = self.existing.get(key)
        if current is None:
            self.new.append(CourseCompletion(citizen_id=citizen_pk, source=self.source, **values))
            return "new"
        if current.citizen_id != citizen_pk:
            raise CellError(
                _(
                    "This external ID is already recorded for another citizen: an LMS "
                    "identifier names one learner's completion."
                ),
                "external_id_conflict",
            )
        changes = {name for name in COMPARED if getattr(current, name) != values[name]}
        if not changes:
            return "unchanged"
        for name in changes:
            setattr(current, name, values[name])
        self.changed.append(current)
        return "updated"

    def write(self, progress=None):
        total = len(self.new) + len(self.changed)
        for start in range(0, len(self.new), 5000):
            CourseCompletion.objects.bulk_create(self.new[start : start + 5000])
            if progress:
                progress("write", min(start + 5000, len(self.new)), total)
        for start in range(0, len(self.changed), 500):
            CourseCompletion.objects.bulk_update(self.changed[start : start + 500], COMPARED)
        if progress and self.changed:
            progress("write", total, total)
