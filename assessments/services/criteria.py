"""Criteria sets: checking and loading them from files, new versions, freezing on first use,
their English text.

The freeze rule: once assessments use a set (`criteria_set_freeze`), nothing of it changes but
its English text (`models.criteria.TRANSLATED_FIELDS`), which scores do not depend on; a file
that differs from a frozen set in more than that is refused (`criteria_set_load_outcome`).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from learning_units.page_cache import CRITERIA_TEXT_TAG, public_pages_changed

from .. import band_labels
from ..interchange import InterchangeError, criteria_set_to_data, parse_criteria_set
from ..models import CriteriaSet, Criterion, Indicator, RatingBand
from ..models.criteria import TRANSLATED_FIELDS, TRANSLATION_LANGUAGE
from ..rules import criteria_set_problems


class CriteriaSetFrozen(Exception):
    """Raised when something would change a set that assessments already use."""


@dataclass
class LoadResult:
    criteria_set: CriteriaSet
    outcome: str  # created, updated, translated (the English text only), unchanged
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
    stored = criteria_set_to_data(existing)
    if stored == data:
        return existing, "unchanged"
    if scoring_content(stored) == scoring_content(data):
        return existing, "translated"
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
    if outcome == "translated":
        _translate_from_data(existing, data)
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
    transaction.on_commit(band_labels.forget)
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


# English text ------------------------------------------------------------------------------


def translation_names(model):
    """The English twins of a model's text fields, e.g. ("title_en", "guidance_en")."""
    return tuple(
        f"{name}_{TRANSLATION_LANGUAGE}" for name in TRANSLATED_FIELDS[model._meta.model_name]
    )


def scoring_content(data):
    """Plain data without the English text: what a frozen set may never change."""

    def strip(row, model):
        return {key: value for key, value in row.items() if key not in translation_names(model)}

    return {
        **strip(data, CriteriaSet),
        "rating_bands": [strip(band, RatingBand) for band in data["rating_bands"]],
        "criteria": [
            {
                **strip(criterion, Criterion),
                "indicators": [strip(row, Indicator) for row in criterion["indicators"]],
            }
            for criterion in data["criteria"]
        ],
    }


@transaction.atomic
def criteria_set_translate(*, criteria_set, texts):
    """Store English text of a set, frozen or not: `texts` maps a set, band, criterion or
    indicator of this set to {English field: text}. Any other field is refused (ValueError):
    the scoring content of a frozen set never changes."""
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    owned = {
        CriteriaSet: {locked.pk},
        RatingBand: set(locked.rating_bands.values_list("pk", flat=True)),
        Criterion: set(locked.criteria.values_list("pk", flat=True)),
        Indicator: set(
            Indicator.objects.filter(criterion__criteria_set=locked).values_list("pk", flat=True)
        ),
    }
    changed = {}
    for instance, values in texts.items():
        model = type(instance)
        if instance.pk not in owned.get(model, ()):
            raise ValueError(f"{instance!r} is not part of {locked}.")
        if not set(values) <= set(translation_names(model)):
            raise ValueError(f"Only the English text may change: {sorted(values)}.")
        if values != {name: getattr(instance, name) for name in values}:
            for name, value in values.items():
                setattr(instance, name, value)
            changed.setdefault(model, []).append(instance)
    for model, instances in changed.items():
        model.objects.bulk_update(instances, translation_names(model))
    if changed:
        CriteriaSet.objects.filter(pk=locked.pk).update(translated_at=timezone.now())
        transaction.on_commit(band_labels.forget)
        public_pages_changed(tags=[CRITERIA_TEXT_TAG])  # cached public pages quote the text
        criteria_set.refresh_from_db(fields=[*translation_names(CriteriaSet), "translated_at"])
    return bool(changed)


def _translate_from_data(criteria_set, data):
    """The English text of checked data whose scoring content is the stored set's."""
    stored = CriteriaSet.objects.prefetch_related("rating_bands", "criteria__indicators").get(
        pk=criteria_set.pk
    )

    def texts_of(instance, row):
        return {name: row[name] for name in translation_names(type(instance))}

    texts = {stored: texts_of(stored, data)}
    bands = {band["label"]: band for band in data["rating_bands"]}
    for band in stored.rating_bands.all():
        texts[band] = texts_of(band, bands[band.label])
    rows = {row["code"]: row for row in data["criteria"]}
    for criterion in stored.criteria.all():
        row = rows[criterion.code]
        texts[criterion] = texts_of(criterion, row)
        indicator_rows = {indicator["code"]: indicator for indicator in row["indicators"]}
        for indicator in criterion.indicators.all():
            texts[indicator] = texts_of(indicator, indicator_rows[indicator.code])
    criteria_set_translate(criteria_set=stored, texts=texts)
