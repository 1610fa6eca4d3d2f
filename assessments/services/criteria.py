"""Criteria sets: checking and loading them from files, new versions, freezing on first use."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from ..interchange import InterchangeError, criteria_set_to_data, parse_criteria_set
from ..models import CriteriaSet, Criterion, Indicator, RatingBand
from ..rules import criteria_set_problems


class CriteriaSetFrozen(Exception):
    """Raised when something would change a set that assessments already use."""


@dataclass
class LoadResult:
    criteria_set: CriteriaSet
    outcome: str  # created, updated, unchanged
    warnings: list[str] = field(default_factory=list)


def criteria_set_check(*, raw):
    """Checked plain data of a raw set, or InterchangeError listing every problem.

    Shape and types first (row by row), then the rules of a whole set (totals, bands).
    """
    data = parse_criteria_set(raw)
    messages = [str(problem) for problem in criteria_set_problems(data)]
    try:
        CriteriaSet(**_scalars(data)).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        messages += [
            f"{CriteriaSet._meta.get_field(name).verbose_name}: {message}"
            for name, field_messages in error.message_dict.items()
            for message in field_messages
        ]
    if messages:
        raise InterchangeError([f"{data['code']} v{data['version']}: {m}" for m in messages])
    return data


def _scalars(data):
    return {name: value for name, value in data.items() if name not in ("criteria", "rating_bands")}


def criteria_set_load_outcome(*, data):
    """What loading checked data would do: (existing set or None, created/updated/unchanged).

    Raises CriteriaSetFrozen when it would change a frozen set. Used for the import preview.
    """
    existing = CriteriaSet.objects.filter(code=data["code"], version=data["version"]).first()
    if existing is None:
        return None, "created"
    if criteria_set_to_data(existing) == data:
        return existing, "unchanged"
    if existing.is_frozen:
        raise CriteriaSetFrozen(
            _(
                "%(set)s is used by assessments and can no longer be changed. Give the file "
                "a new version number, or make a new version in the admin."
            )
            % {"set": existing}
        )
    return existing, "updated"


@transaction.atomic
def criteria_set_load(*, raw):
    """Create or update a set from raw data (a JSON object or an xlsx workbook's contents).

    Idempotent: the same code and version with the same contents changes nothing; different
    contents replace the set's tree unless the set is frozen (CriteriaSetFrozen).
    """
    data = criteria_set_check(raw=raw)
    # Lock the row (PostgreSQL) so that a set cannot be frozen between the check and the save.
    list(CriteriaSet.objects.select_for_update().filter(code=data["code"], version=data["version"]))
    existing, outcome = criteria_set_load_outcome(data=data)
    if outcome == "unchanged":
        return LoadResult(existing, outcome)
    pages, warnings = _guidance_pages(data)
    criteria_set = CriteriaSet()
    if existing is not None:
        existing.criteria.all().delete()
        existing.rating_bands.all().delete()
        criteria_set = CriteriaSet.objects.get(pk=existing.pk)  # without the old tree's cache
    criteria_set = _save_tree(criteria_set, data, pages)
    return LoadResult(criteria_set, outcome, warnings)


def _guidance_pages(data):
    paths = {
        path
        for criterion in data["criteria"]
        for indicator in criterion["indicators"]
        for path in indicator["guidance_pages"]
    }
    pages = {page.url_path: page for page in Page.objects.filter(url_path__in=paths)}
    warnings = [
        _("No page at %(path)s: its link was left out.") % {"path": path}
        for path in sorted(paths - set(pages))
    ]
    return pages, warnings


def _save_tree(criteria_set, data, pages):
    for name, value in _scalars(data).items():
        setattr(criteria_set, name, value)
    criteria_set.full_clean()
    criteria_set.save()
    RatingBand.objects.bulk_create(
        RatingBand(criteria_set=criteria_set, **band) for band in data["rating_bands"]
    )
    for criterion_order, criterion_data in enumerate(data["criteria"]):
        values = {k: v for k, v in criterion_data.items() if k != "indicators"}
        criterion = Criterion.objects.create(
            criteria_set=criteria_set, sort_order=criterion_order, **values
        )
        for indicator_order, indicator_data in enumerate(criterion_data["indicators"]):
            values = {
                k: v
                for k, v in indicator_data.items()
                if k not in ("competency_tags", "guidance_pages")
            }
            indicator = Indicator(criterion=criterion, sort_order=indicator_order, **values)
            indicator.competency_tags.set(indicator_data["competency_tags"])
            indicator.guidance_pages.set(
                [pages[path] for path in indicator_data["guidance_pages"] if path in pages]
            )
            indicator.save()
    return criteria_set


@transaction.atomic
def criteria_set_new_version(*, criteria_set):
    """A draft copy of the whole tree under the next free version number of the same code."""
    data = criteria_set_to_data(criteria_set)
    latest = CriteriaSet.objects.filter(code=criteria_set.code).aggregate(Max("version"))
    data["version"] = latest["version__max"] + 1
    data["status"] = CriteriaSet.Status.DRAFT
    pages, _warnings = _guidance_pages(data)
    return _save_tree(CriteriaSet(), data, pages)


def criteria_set_freeze(*, criteria_set):
    """Mark a published set as used; the assessment service calls this with the first answer.

    A conditional update, so concurrent first uses set the timestamp once.
    """
    if not criteria_set.is_published:
        raise ValueError(f"{criteria_set} is a draft: only published sets are assessed.")
    now = timezone.now()
    CriteriaSet.objects.filter(pk=criteria_set.pk, frozen_at__isnull=True).update(frozen_at=now)
    criteria_set.refresh_from_db(fields=["frozen_at"])
