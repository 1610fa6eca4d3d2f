"""Courses a citizen completed that fit an indicator: suggested as evidence, one click to attach.

A completion fits an indicator when one of its competency tags is one of the indicator's
(`CourseCompletion.competency_tags` is free text from an LMS, "kỹ năng số, tự học"; tags are
compared lower-cased without spaces or hyphens, so the slug "ky-nang-so" style and the name
match alike), or — for a material studied on this site — when the material names the indicator
(`home.TrainingMaterialPage.indicators`, reached through the reverse relation so that this app
does not import the site's page types and works without them).

It lives in `assessments` rather than `learning_units` because it reads indicators:
`assessments` depends on `learning_units`, never the other way round.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat, Lower, Replace
from django.db.models.lookups import Contains

from learning_units.models import CourseCompletion

from .models import Evidence, Indicator, IndicatorCompetency


def _tag_key(expression):
    """ "Kỹ năng số, tự-học" → ",kỹnăngsố,tựhọc,": one token per tag between commas."""
    lowered = Lower(expression)
    for removed in (" ", "-"):
        lowered = Replace(lowered, Value(removed), Value(""))
    return Concat(Value(","), lowered, Value(","), output_field=CharField())


def _material_links(indicator_id):
    """Completions from this site whose material names the indicator (None without pages)."""
    try:
        relation = Indicator._meta.get_field("training_materials")
    except FieldDoesNotExist:  # the site has no training material pages
        return None
    through = relation.through
    page_column = relation.field.m2m_field_name()
    indicator_column = relation.field.m2m_reverse_field_name()
    links = (
        through.objects.filter(**{indicator_column: indicator_id})
        .annotate(page_key=Cast(page_column, CharField()))
        .filter(page_key=OuterRef("course_id"))
    )
    return Q(provider=CourseCompletion.Provider.SITE) & Exists(links)


def _fits(indicator_id, assessment):
    tags = (
        IndicatorCompetency.objects.filter(content_object_id=indicator_id)
        .annotate(needle=_tag_key(F("tag__name")))
        .filter(Contains(OuterRef("tag_key"), F("needle")))
    )
    condition = Q(Exists(tags))
    material = _material_links(indicator_id)
    if material is not None:
        condition |= material
    if assessment is not None:
        attached = Evidence.objects.filter(
            answer__assessment=assessment,
            answer__indicator_id=indicator_id,
            course_completion=OuterRef("pk"),
        )
        condition &= ~Exists(attached)
    return condition


def suggested_completions(*, citizen, indicator_ids, assessment=None):
    """{indicator id: [completion, …]} for the citizen's completions that fit, in one query.

    With `assessment`, completions already attached to that indicator's answer are left out.
    Indicators without a suggestion are absent from the result.
    """
    indicator_ids = list(dict.fromkeys(indicator_ids))
    if citizen is None or not indicator_ids:
        return {}
    flags = {f"fits_{pk}": _fits(pk, assessment) for pk in indicator_ids}
    completions = (
        CourseCompletion.objects.filter(citizen=citizen)
        .annotate(tag_key=_tag_key(F("competency_tags")), **flags)
        .filter(Q(*[Q(**{name: True}) for name in flags], _connector=Q.OR))
        .order_by("-completed_on", "pk")
    )
    suggestions = {}
    for completion in completions:
        for pk in indicator_ids:
            if getattr(completion, f"fits_{pk}"):
                suggestions.setdefault(pk, []).append(completion)
    return suggestions
