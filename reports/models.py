"""Targets, population figures and pre-aggregated figures for the reports (DOMAIN.md, "Targets")."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learning_units.models import Area, AreaLevel


class Indicator(models.TextChoices):
    """What a target is set on; the first four are the national targets of DOMAIN.md."""

    ADULTS_IN_COLLECTIVES = (
        "adults_in_collectives",
        _("Adults in learning families / clans / communities"),
    )
    CADRES_IN_UNITS = "cadres_in_units", _("Cadres and civil servants in learning units")
    DIGITAL_BASIC = "digital_basic", _("Basic digital skills")
    DIGITAL_PROFICIENT = "digital_proficient", _("Proficient digital skills")
    RECOGNITION_RATE = "recognition_rate", _("Recognition rate")


class Target(models.Model):
    """A target share (%) for a year: national when `area` is empty, else a province's own."""

    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("e.g. 2025 or 2030"))
    value = models.DecimalField(
        _("target (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("province"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_targets",
        limit_choices_to={"level": AreaLevel.PROVINCE},
        help_text=_("Empty: the national target. A province may set its own, often higher."),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(area__isnull=True),
                name="report_target_one_national",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "area"],
                condition=Q(area__isnull=False),
                name="report_target_one_per_province",
            ),
        ]

    def __str__(self):
        return f"{self.get_indicator_display()} {self.year}: {self.value}%"


class AreaPopulation(models.Model):
    """Adults living in an area in a year, where known (statistics office, commune census).

    The denominator of "adults in learning collectives"; without it the reports fall back to
    the citizens registered on the platform.
    """

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    adults = models.PositiveIntegerField(_("adults"))

    class Meta:
        verbose_name = _("area population")
        verbose_name_plural = _("area populations")
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="area_population_per_year"),
        ]

    def __str__(self):
        return f"{self.area} {self.year}: {self.adults}"


class ReportSnapshot(models.Model):
    """The country report, pre-aggregated by a background job (`tasks.refresh_report_snapshots`).

    Live, the national report would scan every assessment and citizen of the country; it reads
    the snapshot of its filters instead, built by the same code as any live report
    (`selectors.area_report`) and shown with its age (`refreshed_at`).
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    target_group = models.PositiveSmallIntegerField(null=True, blank=True)
    subject_kind = models.CharField(max_length=20)
    data = models.JSONField()
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "subject_kind", "target_group"],
                name="report_snapshot_per_filters",
            ),
        ]

    def __str__(self):
        return f"{self.area_id} {self.year} {self.subject_kind} {self.target_group}"


class AssessmentSummary(models.Model):
    """The assessments of one commune and year, counted by every key a report filters or groups
    by (DOMAIN.md, "Targets"; docs/architecture.md, "report figures").

    Kept in the same transaction as each transition (`services.summaries_refresh`, connected to
    `assessments.signals.assessments_moved`), so a province or country report reads a few
    thousand of these rows instead of every assessment. `area` is the commune an assessment was
    recorded in (or the area itself when recorded above a commune), `province` its province.
    A citizen's listing opt-out is a key too, counted again when it changes (`signal_handlers`),
    so a public listing's totals are read here as well (`summaries.listing_counts`). Every
    status is counted, drafts included: the officers' queue reads its counts per status here
    (`summaries.queue_status_counts`).
    Scores and digital-skills answers are kept for submitted, verified and recognised
    assessments only: a draft's autosaves never touch a summary.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, related_name="+")
    year = models.PositiveSmallIntegerField()
    subject_kind = models.CharField(max_length=20)
    target_group = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20)
    revoked = models.BooleanField(default=False)
    band = models.CharField(max_length=60, blank=True)
    # The citizen's choice to be left out of the public listings (their totals are read here).
    listing_opt_out = models.BooleanField(default=False)
    assessments = models.PositiveIntegerField(default=0)
    score_sum = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    scored = models.PositiveIntegerField(default=0)
    digital_answers = models.PositiveIntegerField(default=0)
    digital_basic = models.PositiveIntegerField(default=0)
    digital_proficient = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["province", "year"], name="assessment_summary_province"),
            models.Index(fields=["area", "year"], name="assessment_summary_area"),
            models.Index(fields=["year", "subject_kind"], name="assessment_summary_year"),
        ]

    def __str__(self):
        return f"{self.area_id} {self.year} {self.subject_kind} {self.status}: {self.assessments}"


class CitizenSummary(models.Model):
    """The citizens of one commune by target group: registered now (`year` empty), and per
    year the members of a recognised family, clan or community and the cadres working in a
    recognised learning unit (DOMAIN.md, "Targets"; docs/architecture.md, "report figures").

    Counted again for the communes a write touches, in its transaction (`services.
    citizen_summaries_refresh`: a citizen saved or deleted, an import's batch, a change of
    members, a unit's title recognised or revoked), so a province or country report reads a
    few thousand rows instead of every citizen.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    province = models.ForeignKey(Area, on_delete=models.CASCADE, null=True, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    target_group = models.PositiveSmallIntegerField()
    registered = models.PositiveIntegerField(default=0)
    in_collectives = models.PositiveIntegerField(default=0)
    cadres_in_units = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["province", "year"], name="citizen_summary_province"),
            models.Index(fields=["area"], name="citizen_summary_area"),
        ]

    def __str__(self):
        return f"{self.area_id} {self.year} {self.target_group}: {self.registered}"
