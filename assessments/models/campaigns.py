"""Yearly campaigns (đợt đánh giá): which criteria sets apply where, and when."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from learning_units.jurisdiction import path_is_under
from learning_units.models import Area, AreaLevel, OfficerRole, TargetGroup

from .criteria import CriteriaSet, SubjectKind

REVIEW_ROLE_CHOICES = [
    (OfficerRole.Role.BRANCH, OfficerRole.Role.BRANCH.label),
    (OfficerRole.Role.COMMUNE, OfficerRole.Role.COMMUNE.label),
    (OfficerRole.Role.PROVINCE, OfficerRole.Role.PROVINCE.label),
]

# Highest level first: a campaign is recognised at or above the level that verifies it.
ROLE_ORDER = [choice for choice, _label in reversed(REVIEW_ROLE_CHOICES)]


class Campaign(ClusterableModel):
    """A year's round for one subject kind over the whole country or one province.

    A province may run its own campaign; otherwise the national one applies
    (`selectors.campaign_for`). At most one campaign per scope, kind and year is open at a time,
    enforced by a partial unique index.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_(
            "Optional: by default the kind, year and area, e.g. “Learning citizen 2026 – Việt Nam”."
        ),
    )
    scope = models.ForeignKey(
        Area,
        verbose_name=_("area scope"),
        on_delete=models.PROTECT,
        related_name="assessment_campaigns",
        limit_choices_to={"level__in": [AreaLevel.CENTRAL, AreaLevel.PROVINCE]},
        help_text=_("The whole country, or one province."),
    )
    subject_kind = models.CharField(_("subject kind"), max_length=20, choices=SubjectKind.choices)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Which officers check and which recognise (DOMAIN.md: the branch checks, the commune
    # recognises). An agency branch's own board does both for its staff, whatever is set here.
    verifying_role = models.CharField(
        _("verified by"),
        max_length=20,
        choices=REVIEW_ROLE_CHOICES,
        default=OfficerRole.Role.BRANCH,
        blank=True,  # left empty in a form: the default (see clean)
        help_text=_("The officers who check the self-assessments and may change points."),
    )
    recognising_role = models.CharField(
        _("recognised by"),
        max_length=20,
        choices=REVIEW_ROLE_CHOICES,
        default=OfficerRole.Role.COMMUNE,
        blank=True,  # left empty in a form: the default (see clean)
        help_text=_("The officers who recognise the title under a decision."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "scope__path", "subject_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "subject_kind", "year"],
                condition=Q(status="open"),
                name="campaign_one_open_per_scope_kind_year",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="campaign_closes_after_opening",
            ),
        ]
        indexes = [
            models.Index(fields=["subject_kind", "year", "status"], name="campaign_kind_year"),
        ]

    def __str__(self):
        if self.title:
            return self.title
        return f"{self.get_subject_kind_display()} {self.year} – {self.scope}"

    def clean(self):
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("A campaign cannot close before it opens.")
        if self.scope_id and self.scope.level not in (AreaLevel.CENTRAL, AreaLevel.PROVINCE):
            errors["scope"] = _("Choose the whole country or a province.")
        self.verifying_role = self.verifying_role or OfficerRole.Role.BRANCH
        self.recognising_role = self.recognising_role or OfficerRole.Role.COMMUNE
        if ROLE_ORDER.index(self.recognising_role) > ROLE_ORDER.index(self.verifying_role):
            errors["recognising_role"] = _(
                "Recognition is decided at the level that verifies or above it."
            )
        other = self.other_open_campaign() if self.status == self.Status.OPEN else None
        if other is not None:
            errors["status"] = _(
                "Another campaign for this area, kind and year is already open: “%(campaign)s”. "
                "Close it first."
            ) % {"campaign": other}
        if errors:
            raise ValidationError(errors)

    def other_open_campaign(self):
        if not self.scope_id:
            return None
        return (
            Campaign.objects.filter(
                scope_id=self.scope_id,
                subject_kind=self.subject_kind,
                year=self.year,
                status=self.Status.OPEN,
            )
            .exclude(pk=self.pk)
            .first()
        )

    def closes_on_for(self, area):
        """The closing date in the area's province: its own deadline, else the campaign's."""
        for deadline in self.province_deadlines.all():
            if path_is_under(area.path, deadline.province.path):
                return deadline.closes_on
        return self.closes_on

    def is_accepting(self, area, today=None):
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.opens_on <= today <= self.closes_on_for(
            area
        )


class CampaignCriteriaSet(models.Model):
    """The set a campaign uses for one target group (citizens) or for everyone (collectives)."""

    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="assigned_sets")
    target_group = models.PositiveSmallIntegerField(
        _("target group"),
        choices=TargetGroup.choices,
        null=True,
        blank=True,
        help_text=_("Citizens only; leave empty for families, clans, communities and units."),
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="campaign_uses",
        limit_choices_to={"status": CriteriaSet.Status.PUBLISHED},
    )

    class Meta:
        verbose_name = _("criteria set of a campaign")
        verbose_name_plural = _("criteria sets of a campaign")
        ordering = ["target_group"]

    def __str__(self):
        return str(self.criteria_set)


class ProvinceDeadline(models.Model):
    """A province's own closing date within a national campaign."""

    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="province_deadlines")
    province = models.ForeignKey(
        Area,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AreaLevel.PROVINCE},
    )
    closes_on = models.DateField(_("closes on"))

    class Meta:
        verbose_name = _("province deadline")
        verbose_name_plural = _("province deadlines")
        ordering = ["province__name"]

    def __str__(self):
        return f"{self.province}: {self.closes_on}"
