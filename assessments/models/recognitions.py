"""A recognition: one decision (quyết định) and the titles it grants, one per assessment.

Split from `assessments.py` (issue #22 put the public listing's copied columns here; who keeps
them is `listing.py`). The certificate number's sequence stays beside the assessment, in
`assessments.py`, with the other counters the services lock.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learning_units.models import Area

from ..certificates.codes import new_verification_code
from .listing import RecognitionQuerySet, with_listing_columns


class RecognitionDecision(models.Model):
    """One decision (quyết định) recognising many assessments at once.

    A signed decision names everyone it recognises, so recipients may be added to it (same
    number, date and signer) from several queue selections until it is closed
    (`services.recognition`).
    """

    number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=120)
    issuing_area = models.ForeignKey(
        Area,
        verbose_name=_("issuing area"),
        on_delete=models.PROTECT,
        related_name="recognition_decisions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_area", "number"], name="decision_number_per_area"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_closed(self):
        return self.closed_at is not None


class Recognition(models.Model):
    assessment = models.OneToOneField(
        "Assessment",
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="recognition",
    )
    decision = models.ForeignKey(
        RecognitionDecision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    issuing_area = models.ForeignKey(
        Area, verbose_name=_("issuing area"), on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveIntegerField(_("sequence number"))
    certificate_number = models.CharField(_("certificate number"), max_length=60, unique=True)
    verification_code = models.CharField(
        max_length=40, unique=True, default=new_verification_code, editable=False
    )
    # Its bit in the Bitstring Status List of Open Badges 3.0 credentials
    # (assessments.certificates.status_list): the primary key, copied once it is known, so two
    # decisions recognising at the same time never share one; stable for the credential's life.
    status_index = models.PositiveBigIntegerField(null=True, unique=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Copies of where, in which tab and under which name the public listing shows it, read by
    # the listing's indexes in its order (issue #22; who keeps them: `listing.py`).
    province = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, editable=False, related_name="+", db_index=False
    )
    commune = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, editable=False, related_name="+", db_index=False
    )
    subject_kind = models.CharField(max_length=20, editable=False, blank=True)
    listed_name = models.CharField(max_length=200, editable=False, blank=True)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_area", "year", "sequence"], name="certificate_sequence_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["issuing_area", "year"], name="recognition_area_year"),
            # Every page of a province's or a commune's listing, in its order: citizens are one
            # subject kind, collectives the kinds after it (`selectors.public`).
            models.Index(
                fields=["province", "year", "subject_kind", "listed_name", "id"],
                condition=Q(revoked=False),
                name="recognition_province_listing",
            ),
            models.Index(
                fields=["commune", "year", "subject_kind", "listed_name", "id"],
                condition=Q(revoked=False),
                name="recognition_commune_listing",
            ),
        ]

    def __str__(self):
        return self.certificate_number

    def save(self, *args, **kwargs):
        if self._state.adding and self.assessment_id and not self.subject_kind:
            with_listing_columns([self])
        super().save(*args, **kwargs)
