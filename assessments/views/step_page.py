"""One step page of a self-assessment as data: its part (or all parts), answers, evidence,
courses and suggestions, loaded in a fixed number of queries, and the context its template shows.
The views (`views.public`) bind it to a request.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from .. import selectors
from ..forms_public import StepForm, plain_points
from ..indicator_texts import indicator_texts
from ..scoring import parse_points
from ..services.editing import is_on_behalf
from ..suggestions import suggested_completions

ALL_PARTS = 0  # the "step" number of the page with every part (wide screens)


def part_url(pk, number):
    """The page of one part of an assessment, or of all its parts (ALL_PARTS)."""
    if number == ALL_PARTS:
        return reverse("assessments:all_parts", args=[pk])
    return reverse("assessments:step", args=[pk, number])


class Step:
    """Everything one step page shows — one part, or all parts (number ALL_PARTS) — loaded in
    a fixed number of queries, whatever the number of indicators."""

    def __init__(self, assessment, number):
        self.assessment = assessment
        self.tree = selectors.frozen_tree(assessment.criteria_set)
        self.criteria = sorted(self.tree.criteria.all(), key=lambda c: c.sort_order or 0)
        if not 0 <= number <= len(self.criteria):
            raise Http404
        self.number = number
        if number == ALL_PARTS:
            self.criterion = None
            self.indicators = [i for c in self.criteria for i in c.indicators.all()]
        else:
            self.criterion = self.criteria[number - 1]
            self.indicators = list(self.criterion.indicators.all())
        indicator_ids = [indicator.pk for indicator in self.indicators]
        self.answers = selectors.answers_for_step(assessment, self.tree, indicator_ids)
        self.courses = list(selectors.course_completions_for(assessment))
        self.suggestions = suggested_completions(
            citizen=assessment.citizen,
            indicator_ids=indicator_ids,
            completions=self.courses,
            tags={
                i.pk: [item.tag.name for item in i.competency_items.all()] for i in self.indicators
            },
            attached={
                (indicator.pk, evidence.course_completion_id)
                for indicator in self.indicators
                if indicator.pk in self.answers
                for evidence in self.answers[indicator.pk].evidence.all()
                if evidence.course_completion_id
            },
        )
        self.computed_ids = {
            indicator.pk
            for indicator in self.indicators
            if assessment.learning_unit_id and indicator.is_members_result
        }

    def form(self, data=None, files=None):
        return StepForm(
            data,
            files,
            indicators=self.indicators,
            answers=self.answers,
            courses=self.courses,
            computed_ids=self.computed_ids,
            initial={"revision": self.assessment.revision},
        )

    def totals(self):
        """Saved points per criterion, as (criterion, points, answered, count) rows."""
        rows = []
        for criterion in self.criteria:
            answers = [self.answers.get(i.pk) for i in criterion.indicators.all()]
            given = [a.self_points for a in answers if a and a.self_points is not None]
            rows.append((criterion, sum(given, Decimal(0)), len(given), len(answers)))
        return rows

    def typed_total(self, form):
        """The points of the shown indicators as typed (a form sent back with an error): the
        totals bar shows them, as the script would, not the last saved ones. A value the
        services refuse counts 0; a computed (disabled) field keeps its saved points."""
        total = Decimal(0)
        for indicator in self.indicators:
            answer = self.answers.get(indicator.pk)
            if indicator.pk in self.computed_ids:
                raw = answer.self_points if answer is not None else None
            else:
                raw = form.data.get(f"points_{indicator.pk}")
            try:
                total += parse_points(raw, indicator) or 0
            except ValidationError:
                continue
        return total

    def context(self, request, form):
        totals = self.totals()
        pages = selectors.guidance_pages_for([indicator.pk for indicator in self.indicators])
        saved_total = sum((row[1] for row in totals), Decimal(0))
        this_total = saved_total if self.number == ALL_PARTS else totals[self.number - 1][1]
        other_total = saved_total - this_total
        if form.is_bound:
            this_total = self.typed_total(form)
        # The indicators' titles are headings under the part's own heading on "all parts".
        level = 3 if self.number == ALL_PARTS else 2
        texts = indicator_texts(
            criteria_set=self.tree, level=level, for_unit=bool(self.assessment.learning_unit_id)
        )
        # Unbound, the proof fields render the same for every visit with the same courses: the
        # template keeps their HTML under this key (and the indicator and language).
        proof_key = (
            None
            if form.is_bound
            else "|".join(f"{course.pk}:{course}" for course in self.courses) or "-"
        )
        rows = [
            {
                "indicator": indicator,
                "text": texts[indicator.pk],
                "answer": answer,
                "evidence": list(answer.evidence.all()) if answer is not None else [],
                "computed": indicator.pk in self.computed_ids,
                "pages": pages.get(indicator.pk, []),
                "suggestions": self.suggestions.get(indicator.pk, []),
                "fields": {
                    name: form[f"{name}_{indicator.pk}"]
                    for name in ("points", "note", "file", "url", "course")
                    if f"{name}_{indicator.pk}" in form.fields
                },
            }
            for indicator in self.indicators
            for answer in [self.answers.get(indicator.pk)]
        ]
        parts = []
        if self.number == ALL_PARTS:
            by_indicator = {row["indicator"].pk: row for row in rows}
            parts = [
                (number, criterion, [by_indicator[i.pk] for i in criterion.indicators.all()])
                for number, criterion in enumerate(self.criteria, start=1)
            ]
        return {
            "assessment": self.assessment,
            "subject": self.assessment.subject,
            "on_behalf": is_on_behalf(assessment=self.assessment, actor=request.user),
            "criteria_set": self.tree,
            "criterion": self.criterion,
            "number": self.number,
            "count": len(self.criteria),
            "totals": totals,
            "rows": rows,
            "proof_key": proof_key,
            "level": level,
            "all_parts": self.number == ALL_PARTS,
            "parts": parts,
            "form": form,
            "other_total": plain_points(other_total),
            "saved_total": other_total + this_total,
            "this_total": this_total,
            "previous_number": self.number - 1 if self.number > 1 else None,
            "next_number": (
                self.number + 1 if ALL_PARTS < self.number < len(self.criteria) else None
            ),
        }
