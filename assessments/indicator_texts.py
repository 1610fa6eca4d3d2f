"""The fixed text of a criteria set's indicators (code, title, maximum, guidance), rendered once
per frozen set and language and kept in Django's cache.

A frozen set never changes but for its English text (`services.criteria`; a change makes a new
version), so its text rendered under (set, freezing time, time of its last English text,
language, heading level, subject) can never be stale; the step page and its "all parts" view
read it in one cache hit instead of rendering every indicator's text again. A set that is not
frozen is rendered every time and never kept. What does change — points, notes, proof,
guidance pages — is rendered per request.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

TEMPLATE = "assessments/public/includes/indicator_text.html"
# Never stale (the key names the frozen version); the timeout only lets unused entries go.
TIMEOUT = 7 * 24 * 60 * 60


def indicator_texts(*, criteria_set, level, for_unit):
    """{indicator id: HTML} for every indicator of `criteria_set` (a tree loaded with
    `selectors.frozen_tree`); the title is a heading of `level`. `for_unit`: the subject is a
    learning unit, whose members' results are worked out, not claimed (no "proof needed")."""

    def render():
        return {
            indicator.pk: render_to_string(
                TEMPLATE,
                {
                    "indicator": indicator,
                    "level": level,
                    "computed": for_unit and indicator.is_members_result,
                },
            )
            for criterion in criteria_set.criteria.all()
            for indicator in criterion.indicators.all()
        }

    if not criteria_set.is_frozen:
        return render()
    key = ":".join(
        str(part)
        for part in (
            "cdht:indicator-texts",
            criteria_set.pk,
            criteria_set.frozen_at.timestamp(),
            criteria_set.translated_at.timestamp() if criteria_set.translated_at else 0,
            get_language(),
            level,
            int(for_unit),
        )
    )
    return cache.get_or_set(key, render, TIMEOUT)
