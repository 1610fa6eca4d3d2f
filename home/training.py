"""Training materials: listing filters, quiz scoring and recording a studied material.

Studying a material on this site becomes a `learning_units.CourseCompletion` with provider
"this site", so it can be attached as evidence exactly like a course from Moodle or Open edX.
Quiz answers are judged here, on the server: the page's radio buttons only carry the choice.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from learning_units.models import CourseCompletion, TargetGroup
from learning_units.text import search_key

from .models.training import MAX_QUERY_LENGTH

COMPETENCY_TAGS_LENGTH = CourseCompletion._meta.get_field("competency_tags").max_length


# Listing --------------------------------------------------------------------------------------


def _int_or_none(value):
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@dataclass(frozen=True)
class TrainingFilters:
    """What a visitor asked the listing for; anything unreadable is simply ignored."""

    query: str = ""
    target_group: int | None = None
    competency: str = ""
    indicator: int | None = None

    @classmethod
    def from_query(cls, data):
        group = _int_or_none(data.get("group"))
        return cls(
            query=data.get("q", "").strip()[:MAX_QUERY_LENGTH],
            target_group=group if group in TargetGroup.values else None,
            competency=data.get("competency", "").strip()[:100],
            indicator=_int_or_none(data.get("indicator")),
        )

    @property
    def active(self):
        return bool(self.query or self.target_group or self.competency or self.indicator)


def materials_filtered(materials, filters):
    """Narrow a listing's materials; search matches every word, with or without accents.

    The words are compared with `TrainingMaterialPage.search_text`, an unaccented copy of the
    title, summary and body, so "hoc tap" finds "học tập" on SQLite and PostgreSQL alike.
    """
    if filters.target_group:
        materials = materials.filter(
            Q(target_groups="") | Q(target_groups__contains=f",{filters.target_group},")
        )
    if filters.indicator:
        materials = materials.filter(indicators=filters.indicator)
    if filters.competency:
        materials = materials.filter(
            indicators__competency_items__tag__slug=filters.competency
        ).distinct()
    for word in search_key(filters.query).split():
        materials = materials.filter(search_text__contains=word)
    return materials.order_by("-depth", "title", "pk")


# Quiz -----------------------------------------------------------------------------------------


@dataclass
class QuizQuestion:
    """One quiz block of a material as the page shows it: what was ticked, whether it was right."""

    block_id: str
    number: int
    question: str
    choices: list
    explanation: str
    correct: int
    chosen: int | None = None
    checked: bool = False

    @property
    def answered_right(self):
        return self.chosen == self.correct

    @property
    def wrong(self):
        return self.checked and not self.answered_right

    @property
    def input_name(self):
        return f"quiz-{self.block_id}"


def quiz_questions(page, answers=None, *, checked=False):
    """The material's quiz questions with the visitor's answers ({input name: value})."""
    answers = answers or {}
    questions = []
    for number, block in enumerate(page.quiz_blocks(), start=1):
        question = QuizQuestion(
            block_id=block.id,
            number=number,
            question=block.value["question"],
            choices=list(enumerate(block.value["choices"], start=1)),
            explanation=block.value["explanation"],
            correct=block.value["correct_choice"],
            checked=checked,
        )
        question.chosen = _int_or_none(answers.get(question.input_name))
        questions.append(question)
    return questions


@dataclass
class QuizResult:
    questions: list = field(default_factory=list)

    @property
    def wrong(self):
        return [question for question in self.questions if not question.answered_right]

    @property
    def passed(self):
        return not self.wrong


def quiz_check(*, page, answers):
    """Every question must be answered with its right choice; unanswered counts as wrong."""
    return QuizResult(quiz_questions(page, answers, checked=True))


# Completion -----------------------------------------------------------------------------------


def completion_external_id(*, page, citizen):
    """One completion per citizen and material, whichever language version was studied."""
    return f"material:{page.translation_key}:citizen:{citizen.pk}"


def completion_for(*, page, citizen):
    """The citizen's completion of the material (None: not studied yet, or no citizen)."""
    if citizen is None:
        return None
    return CourseCompletion.objects.filter(
        provider=CourseCompletion.Provider.SITE,
        external_id=completion_external_id(page=page, citizen=citizen),
    ).first()


def _competency_tags(page):
    names = sorted(
        {
            item.tag.name
            for indicator in page.indicators.prefetch_related("competency_items__tag")
            for item in indicator.competency_items.all()
        }
    )
    tags = ", ".join(names)
    return (
        tags
        if len(tags) <= COMPETENCY_TAGS_LENGTH
        else tags[:COMPETENCY_TAGS_LENGTH].rsplit(",", 1)[0]
    )


def training_material_complete(*, page, citizen, answers, url):
    """Record that `citizen` studied `page`; returns (completion, created).

    Idempotent and safe under double clicks: the completion's external id is unique per
    provider (a database constraint), so a second request finds the first one's row.
    Raises ValidationError (code "quiz_wrong", with `.result`) when a quiz answer is not right.
    """
    result = quiz_check(page=page, answers=answers)
    existing = completion_for(page=page, citizen=citizen)
    if existing is not None:
        return existing, False
    if not result.passed:
        error = ValidationError(
            _("%(count)s of %(total)s answers are not right yet. Read again and try once more.")
            % {"count": len(result.wrong), "total": len(result.questions)},
            code="quiz_wrong",
        )
        error.result = result
        raise error
    values = {
        "citizen": citizen,
        "course_title": page.title,
        "course_id": str(page.pk),
        "course_url": url,
        "completed_on": timezone.localdate(),
        "hours": page.estimated_hours,
        "competency_tags": _competency_tags(page),
        "source": CourseCompletion.Source.SITE,
    }
    external_id = completion_external_id(page=page, citizen=citizen)
    # get_or_create falls back to a read when a concurrent request's insert won the race.
    return CourseCompletion.objects.get_or_create(
        provider=CourseCompletion.Provider.SITE, external_id=external_id, defaults=values
    )


def material_progress(*, page, citizen, completion, answers=None, checked=False):
    """What the material page shows the visitor: quiz, and whether they have studied it.

    The caller passes the citizen (`learning_units.selectors.own_citizen`) and their completion
    (`completion_for`), so that one request reads each once however many steps need them.
    """
    return {
        "citizen": citizen,
        "completion": completion,
        "quiz": quiz_questions(page, answers, checked=checked),
    }
