"""Yearly assessments of a citizen or a learning unit, their answers, evidence and history.

Workflow (DESIGN.md): draft → submitted → verified → recognised, with returned (back to the
citizen with comments, then draft again) and rejected. Every transition is a service in
`assessments.services` that writes a ReviewEvent; scores are computed on the server.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learning_units import jurisdiction
from learning_units.models import Area, Citizen, CourseCompletion, LearningUnit, TargetGroup

from ..storage import private_storage
from .campaigns import Campaign
from .criteria import POINTS, CriteriaSet, Indicator
from .listing import PLACE_FIELDS
from .recognitions import Recognition


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    RECOGNISED = "recognised", _("Recognised")
    RETURNED = "returned", _("Returned for changes")
    REJECTED = "rejected", _("Rejected")


def with_provinces(objs):
    """Fills each assessment's `province` from its area (one query for them all); for writers
    that insert rows past the ORM (`generate_load_data`'s COPY)."""
    provinces = jurisdiction.provinces_of(obj.area_id for obj in objs)
    for obj in objs:
        obj.province_id = provinces.get(obj.area_id)
    return objs


class AssessmentQuerySet(models.QuerySet):
    """Writes of the area write its province too (`Assessment.province`)."""

    def update(self, **kwargs):
        area = kwargs.get("area", kwargs.get("area_id"))
        if isinstance(area, int):
            area = Area.objects.get(pk=area)
        if isinstance(area, Area):  # an expression is `bulk_update`'s, which adds the province
            kwargs["province_id"] = jurisdiction.province_of(area)
            recognised = list(
                Recognition.objects.filter(assessment__in=self).values_list("pk", flat=True)
            )
        rows = super().update(**kwargs)
        if isinstance(area, Area) and recognised:  # where their listing shows them
            Recognition.objects.filter(pk__in=recognised).listing_columns_refresh(PLACE_FIELDS)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        return super().bulk_create(with_provinces(list(objs)), *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        moves_area = {"area", "area_id"}.intersection(fields)
        if moves_area:
            objs, fields = with_provinces(list(objs)), [*fields, "province"]
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if moves_area and rows:  # where their listing shows them
            moved = Recognition.objects.filter(assessment__in=[obj.pk for obj in objs])
            moved.listing_columns_refresh(PLACE_FIELDS)
        return rows


class Assessment(models.Model):
    """One subject's assessment in one campaign: exactly one of citizen / learning unit."""

    Status = AssessmentStatus
    # Not in Wagtail's reference index, as `Citizen` (a campaign's or a set's "usage" would list
    # a million assessments; each transition would re-read its references): PROTECT on those
    # foreign keys is what keeps a used campaign or set from being deleted.
    wagtail_reference_index_ignore = True

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="assessments"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    citizen = models.ForeignKey(
        Citizen,
        verbose_name=_("citizen"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    learning_unit = models.ForeignKey(
        LearningUnit,
        verbose_name=_("learning unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    # Where and who at the time of the assessment: a citizen who moves commune mid-year is
    # counted where they were assessed (reports), and reviewed by that area's officers.
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="assessments"
    )
    # The province `area` lies in (`jurisdiction.province_of`), kept with it by `save`, the
    # queryset's bulk writes and area moves (`signal_handlers.provinces_on_areas_moved`): a
    # province officer's queue is one equality, read in order from `assessment_province_queue`
    # (issue #22). Null for an area of the central level.
    province = models.ForeignKey(
        Area,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    target_group = models.PositiveSmallIntegerField(
        _("target group"), choices=TargetGroup.choices, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default="draft"
    )
    self_total = models.DecimalField(_("self-assessed total"), null=True, blank=True, **POINTS)
    verified_total = models.DecimalField(_("verified total"), null=True, blank=True, **POINTS)
    band = models.CharField(_("rating"), max_length=60, blank=True)
    passed = models.BooleanField(_("meets the criteria"), null=True, blank=True)
    has_evidence = models.BooleanField(_("has evidence"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The officer who filled or submitted it on the subject's behalf, if any."),
    )
    revision = models.PositiveIntegerField(
        default=0, help_text="Incremented on every save of answers: stale autosaves are refused."
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    recognised_at = models.DateTimeField(_("recognised at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(citizen__isnull=False) & Q(learning_unit__isnull=True))
                | (Q(citizen__isnull=True) & Q(learning_unit__isnull=False)),
                name="assessment_one_subject",
            ),
            models.UniqueConstraint(
                fields=["campaign", "citizen"],
                condition=Q(citizen__isnull=False),
                name="assessment_one_per_citizen_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["campaign", "learning_unit"],
                condition=Q(learning_unit__isnull=False),
                name="assessment_one_per_unit_per_campaign",
            ),
        ]
        indexes = [
            models.Index(fields=["area", "status"], name="assessment_area_status"),
            models.Index(fields=["year", "status"], name="assessment_year_status"),
            # The queue of a status and its "All" tab across every province (a superuser, a
            # central officer), in the queue's order (submitted_at, then id): page 1 read from
            # the index, where (status, submitted_at) left a sort of every submitted row
            # (128 ms at 1M assessments, issue #22).
            models.Index(fields=["status", "submitted_at", "id"], name="assessment_queue"),
            models.Index(fields=["submitted_at", "id"], name="assessment_all"),
            models.Index(
                fields=["province", "status", "submitted_at", "id"],
                name="assessment_province_queue",
            ),
            # The "All" tab of a province's queue (no status), in the same order.
            models.Index(fields=["province", "submitted_at", "id"], name="assessment_province_all"),
        ]

    def __str__(self):
        return f"{self.subject} · {self.year}"

    def save(self, *args, update_fields=None, **kwargs):
        """Saves the province of the area with it (looked up only when the area changed)."""
        writes_area = update_fields is None or {"area", "area_id"}.intersection(update_fields)
        moved = writes_area and self.area_id != getattr(self, "_province_of_area", None)
        if moved:
            self.province_id = jurisdiction.province_of(self.area) if self.area_id else None
            if update_fields is not None:
                update_fields = {*update_fields, "province"}
        recognised = moved and not self._state.adding  # its recognition's listing place
        super().save(*args, update_fields=update_fields, **kwargs)
        self._province_of_area = self.area_id
        if recognised:
            Recognition.objects.filter(assessment=self).listing_columns_refresh(PLACE_FIELDS)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._province_of_area = instance.__dict__.get("area_id")
        return instance

    @property
    def subject(self):
        return self.citizen if self.citizen_id else self.learning_unit

    @property
    def is_editable_by_subject(self):
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class IndicatorAnswer(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="answers"
    )
    self_points = models.DecimalField(_("points claimed"), null=True, blank=True, **POINTS)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    verified_points = models.DecimalField(_("verified points"), null=True, blank=True, **POINTS)
    officer_comment = models.TextField(_("officer's comment"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="answer_one_per_indicator"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code}: {self.self_points}"


def evidence_upload_to(instance, filename):
    # A random folder: names never reveal or collide with another citizen's files.
    return f"evidence/{instance.answer.assessment.year}/{secrets.token_hex(16)}/{filename}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        URL = "url", _("Link")
        COURSE = "course", _("Completed course")

    answer = models.ForeignKey(
        IndicatorAnswer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=evidence_upload_to, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    course_completion = models.ForeignKey(
        CourseCompletion,
        verbose_name=_("completed course"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file=""))
                | (Q(kind="url") & ~Q(url=""))
                | (Q(kind="course") & Q(course_completion__isnull=False)),
                name="evidence_matches_kind",
            ),
        ]

    def __str__(self):
        return self.original_name or self.url or str(self.course_completion)


class ReviewEvent(models.Model):
    """Who moved an assessment from which state to which, when, with what comment."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(
        _("from"), max_length=20, choices=AssessmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=AssessmentStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    on_behalf = models.BooleanField(_("on the subject's behalf"), default=False)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action}: {self.from_status} → {self.to_status}"


class CertificateSequence(models.Model):
    """Last certificate number used per issuing area and year; incremented under a row lock so
    numbers have no gaps and no duplicates, whoever recognises at the same time."""

    issuing_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuing_area", "year"], name="certificate_seq_unique"),
        ]

    def __str__(self):
        return f"{self.issuing_area} {self.year}: {self.last_number}"
