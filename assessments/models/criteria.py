"""Versioned criteria sets: CriteriaSet → Criterion → Indicator, with rating bands (DESIGN.md).

The rules that a whole tree must satisfy (totals, minimums, bands) live in `assessments.rules`, so
that the admin form, the file importer and these models check exactly the same thing.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import ItemBase, TagBase
from wagtail.models import Orderable

from learning_units.models import TargetGroup

POINTS = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(0)]}

# A set is written in Vietnamese; each of these text fields has an English twin `<name>_en`
# (issue #19), shown on English pages (`assessments.criteria_texts`). The twins are the only
# fields a frozen set still accepts changes to: they do not touch scoring
# (`services.criteria.criteria_set_translate`).
TRANSLATED_FIELDS = {
    "criteriaset": ("title", "description"),
    "criterion": ("title", "description"),
    "indicator": ("title", "guidance"),
    "ratingband": ("label",),
}
TRANSLATION_LANGUAGE = "en"


class SubjectKind(models.TextChoices):
    """Who a title is for; the collective values are those of `LearningUnit.Kind`."""

    CITIZEN = "citizen", _("Learning citizen")
    FAMILY = "family", _("Learning family")
    CLAN = "clan", _("Learning clan")
    COMMUNITY = "community", _("Learning community")
    ORGANISATION = "organisation", _("Learning unit")


class CriteriaSet(ClusterableModel):
    """One version of a criteria set, as issued by a decision or circular.

    A set is frozen (`frozen_at` is set) by `services.criteria.criteria_set_freeze` when the first
    assessment uses it; from then on it never changes, and changes go into a new version.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9-]*$",
                _("Use capital letters, digits and hyphens, e.g. CONG-DAN-N1."),
            )
        ],
        help_text=_("Shared by every version of the same set, e.g. CONG-DAN-N1."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    legal_basis_number = models.CharField(
        _("legal basis"),
        max_length=120,
        help_text=_("Number of the decision or circular, e.g. 324/QĐ-KHVN."),
    )
    legal_basis_date = models.DateField(_("legal basis date"), null=True, blank=True)
    subject_kind = models.CharField(_("subject kind"), max_length=20, choices=SubjectKind.choices)
    target_group = models.PositiveSmallIntegerField(
        _("target group"),
        choices=TargetGroup.choices,
        null=True,
        blank=True,
        help_text=_("Citizens' sets only: each target group has its own wording."),
    )
    valid_from_year = models.PositiveSmallIntegerField(_("in force from year"))
    valid_to_year = models.PositiveSmallIntegerField(
        _("in force until year"), null=True, blank=True, help_text=_("Empty: still in force.")
    )
    total_points = models.DecimalField(_("total points"), default=100, **POINTS)
    pass_mark = models.DecimalField(
        _("pass mark"), **POINTS, help_text=_("Fewest points for the title to be recognised.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    # When the English text last changed: part of the keys of what is kept of a frozen set
    # (`selectors.frozen_tree`, `indicator_texts`), which translations may still change.
    translated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteria_set_code_version"),
            models.CheckConstraint(
                condition=Q(subject_kind=SubjectKind.CITIZEN, target_group__isnull=False)
                | (~Q(subject_kind=SubjectKind.CITIZEN) & Q(target_group__isnull=True)),
                name="criteria_set_target_group_for_citizens_only",
            ),
            models.CheckConstraint(
                condition=Q(valid_to_year__isnull=True)
                | Q(valid_to_year__gte=models.F("valid_from_year")),
                name="criteria_set_years_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.code} v{self.version} – {self.title}"

    def clean(self):
        errors = {}
        if self.subject_kind == SubjectKind.CITIZEN and self.target_group is None:
            errors["target_group"] = _("A criteria set for citizens needs a target group.")
        if self.subject_kind != SubjectKind.CITIZEN and self.target_group is not None:
            errors["target_group"] = _(
                "Only citizens' criteria sets have a target group; leave it empty for families, "
                "clans, communities and units."
            )
        years = (self.valid_from_year, self.valid_to_year)
        if None not in years and years[1] < years[0]:  # a missing year is its field's error
            errors["valid_to_year"] = _("The last year in force cannot be before the first.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_frozen(self):
        return self.frozen_at is not None

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def is_in_force(self, year):
        return self.valid_from_year <= year and (
            self.valid_to_year is None or year <= self.valid_to_year
        )

    def years_display(self):
        return f"{self.valid_from_year}–{self.valid_to_year or ''}"

    years_display.short_description = _("years in force")


class Criterion(ClusterableModel, Orderable):
    criteria_set = ParentalKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("set")
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. 1, 2, 3"))
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    max_points = models.DecimalField(
        _("points"), **POINTS, help_text=_("Its indicators must add up to this.")
    )
    min_points = models.DecimalField(
        _("minimum points"),
        null=True,
        blank=True,
        **POINTS,
        help_text=_("Optional: fewer points on this criterion means not recognised."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.code}. {self.title}"


class CompetencyTag(TagBase):
    """Competencies an indicator trains, kept apart from image and document tags.

    Courses will be linked to indicators through these tags.
    """

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")


class IndicatorCompetency(ItemBase):
    tag = models.ForeignKey(CompetencyTag, on_delete=models.CASCADE, related_name="items")
    content_object = ParentalKey(
        "Indicator", on_delete=models.CASCADE, related_name="competency_items"
    )


class Indicator(ClusterableModel, Orderable):
    criterion = ParentalKey(
        Criterion, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("criterion")
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. 1.1, 1.2"))
    title = models.CharField(_("indicator"), max_length=255)
    title_en = models.CharField(_("indicator in English"), max_length=255, blank=True)
    guidance = models.TextField(
        _("guidance in plain words"),
        help_text=_("What it means and what counts, as a citizen would say it."),
    )
    guidance_en = models.TextField(_("guidance in English"), blank=True)
    max_points = models.DecimalField(_("points"), **POINTS)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    is_digital_skill = models.BooleanField(
        _("digital skills"),
        default=False,
        help_text=_("Counted in the reports on digital skills."),
    )
    is_members_result = models.BooleanField(
        _("members' results"),
        default=False,
        help_text=_(
            "In a learning unit's assessment, the points are computed from the share of its "
            "members recognised as learning citizens that year, not entered."
        ),
    )
    competency_tags = ClusterTaggableManager(
        through=IndicatorCompetency,
        blank=True,
        verbose_name=_("competencies"),
        help_text=_("Used to link courses to this indicator."),
    )
    guidance_pages = ParentalManyToManyField(
        "wagtailcore.Page",
        blank=True,
        related_name="assessment_indicators",
        limit_choices_to={"depth__gt": 1},  # any page but the tree's invisible root
        verbose_name=_("guidance and training pages"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.code}. {self.title}"


class RatingBand(models.Model):
    """A named band from `min_points` up to the next band (e.g. Khá: 70 to under 85)."""

    criteria_set = ParentalKey(CriteriaSet, on_delete=models.CASCADE, related_name="rating_bands")
    label = models.CharField(_("label"), max_length=60, help_text=_("e.g. Tốt, Khá, Trung bình"))
    label_en = models.CharField(_("label in English"), max_length=60, blank=True)
    min_points = models.DecimalField(_("from points"), **POINTS)

    class Meta:
        verbose_name = _("rating band")
        verbose_name_plural = _("rating bands")
        ordering = ["-min_points"]

    def __str__(self):
        return f"{self.label} ≥ {self.min_points}"
