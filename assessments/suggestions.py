"""Courses a citizen completed that fit an indicator: suggested as evidence, one click to attach.

A completion fits an indicator when one of its competency tags is one of the indicator's
(`CourseCompletion.competency_tags` is free text from an LMS, "kỹ năng số, tự học"; tags are
compared by `tag_key`, so the slug "ky-nang-so", "Ky nang so" and the name match alike),
or — for a material studied on this site — when the material names the indicator
(`home.TrainingMaterialPage.indicators`, reached through the reverse relation so that this app
does not import the site's page types and works without them).

It lives in `assessments` rather than `learning_units` because it reads indicators:
`assessments` depends on `learning_units`, never the other way round.

The matching runs in Python over four plain queries (the citizen's completions, the indicators'
tags, the materials' links, what is attached already): one query with an EXISTS per indicator
cost the step page 20 ms to compile (bench/bench_self_assessment.py).
"""

import re

from django.core.exceptions import FieldDoesNotExist

from learning_units.models import CourseCompletion
from learning_units.text import search_key

from .models import Evidence, Indicator, IndicatorCompetency


def tag_key(text):
    """A slug-like key: "Kỹ năng số", "ky-nang-so" and "Ky_nang  so" all give "kynangso".

    LMS tags arrive as names or as slugs, with or without accents; `search_key` drops accents,
    "đ" and case the way the site's search does, then spaces, hyphens and underscores go.
    """
    return re.sub(r"[\s_-]+", "", search_key(text))


def _tag_keys(text):
    return {tag_key(tag) for tag in (text or "").split(",") if tag.strip()}


def _material_pages(indicator_ids):
    """{indicator id: {page ids as text}} of the materials that name them ({} without pages)."""
    try:
        field = Indicator._meta.get_field("training_materials").field
    except FieldDoesNotExist:  # the site has no training material pages
        return {}
    indicator, material = field.m2m_reverse_field_name(), field.m2m_field_name()
    rows = field.remote_field.through.objects.filter(
        **{f"{indicator}__in": indicator_ids}
    ).values_list(indicator, material)
    pages = {}
    for indicator_id, page_id in rows:
        pages.setdefault(indicator_id, set()).add(str(page_id))
    return pages


def suggested_completions(
    *, citizen, indicator_ids, assessment=None, completions=None, tags=None, attached=None
):
    """{indicator id: [completion, …]} for the citizen's completions that fit.

    With `assessment`, completions already attached to that indicator's answer are left out;
    What the caller has already loaded saves reading it again: `completions` (the citizen's),
    `tags` ({indicator id: tag names}) and `attached` ({(indicator id, completion id)}).
    Indicators without a suggestion are absent from the result. At most four queries.
    """
    indicator_ids = list(dict.fromkeys(indicator_ids))
    if citizen is None or not indicator_ids:
        return {}
    if completions is None:
        completions = CourseCompletion.objects.filter(citizen=citizen).order_by(
            "-completed_on", "pk"
        )
    completions = list(completions)
    if not completions:
        return {}
    if tags is None:
        tags = {}
        for indicator_id, name in IndicatorCompetency.objects.filter(
            content_object_id__in=indicator_ids
        ).values_list("content_object_id", "tag__name"):
            tags.setdefault(indicator_id, []).append(name)
    tags = {pk: {tag_key(name) for name in names} for pk, names in tags.items()}
    pages = _material_pages(indicator_ids)
    if attached is None:
        attached = set()
        if assessment is not None:
            attached = set(
                Evidence.objects.filter(
                    answer__assessment=assessment,
                    answer__indicator_id__in=indicator_ids,
                    course_completion__isnull=False,
                ).values_list("answer__indicator_id", "course_completion_id")
            )
    suggestions = {}
    for completion in completions:
        keys = _tag_keys(completion.competency_tags)
        from_site = completion.provider == CourseCompletion.Provider.SITE
        for indicator_id in indicator_ids:
            fits = bool(keys & tags.get(indicator_id, set())) or (
                from_site and completion.course_id in pages.get(indicator_id, ())
            )
            if fits and (indicator_id, completion.pk) not in attached:
                suggestions.setdefault(indicator_id, []).append(completion)
    return suggestions
