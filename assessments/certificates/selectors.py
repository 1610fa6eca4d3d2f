"""Who may get which certificate, decision, batch or dossier. Outside rows are Http404.

A citizen reaches only recognitions of their own assessments or of units they head; an officer
only those of their subtree (`learning_units.jurisdiction`), decisions by the
issuing area; the public only by verification code.
"""

import re

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from learning_units import jurisdiction
from learning_units.jurisdiction import is_officer
from learning_units.models import Area, AreaLevel

from ..models import Assessment, Campaign, CertificateBatch, Recognition, RecognitionDecision
from .documents import certificate_queryset

# `secrets.token_urlsafe(12)`: 16 characters of the URL-safe base64 alphabet (96 random bits).
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16}$")


def is_well_formed_code(code):
    return bool(CODE_PATTERN.match(code or ""))


def recognition_by_code(code):
    """The recognition a verification code names, or None (also for a malformed code)."""
    if not is_well_formed_code(code):
        return None
    return (
        Recognition.objects.select_related(
            "assessment__citizen",
            "assessment__learning_unit",
            "assessment__campaign",
            "issuing_area",
            "decision",
        )
        .filter(verification_code=code)
        .first()
    )


def own_recognitions(user):
    """Recognitions of the user's own assessments and of the units the user heads."""
    if not user.is_authenticated:
        return Recognition.objects.none()
    return certificate_queryset().filter(
        Q(assessment__citizen__user=user) | Q(assessment__learning_unit__head__user=user)
    )


def own_recognition(user, pk):
    """A citizen's own, unrevoked recognition; anyone else's is a 404."""
    return get_object_or_404(own_recognitions(user).filter(revoked=False), pk=pk)


def own_certificate_of(user, assessment):
    """The unrevoked certificate of one of the user's own assessments, or None."""
    return own_recognitions(user).filter(assessment=assessment, revoked=False).first()


def own_certificates(user):
    return own_recognitions(user).filter(revoked=False).order_by("-year", "pk")


def officer_recognition(user, pk):
    if not is_officer(user):
        raise Http404
    return get_object_or_404(
        jurisdiction.scope(certificate_queryset(), user, "assessment__area__path"), pk=pk
    )


def officer_decisions(user):
    """Decisions issued by an area of the user's subtree, with their number of recognitions."""
    if not is_officer(user):
        return RecognitionDecision.objects.none()
    return (
        jurisdiction.scope(RecognitionDecision.objects.all(), user, "issuing_area__path")
        .select_related("issuing_area")
        .annotate(
            recognised=Count("recognitions", filter=Q(recognitions__revoked=False)),
        )
        .order_by("-decided_on", "-pk")
    )


def officer_decision(user, pk):
    return get_object_or_404(officer_decisions(user), pk=pk)


def decision_certificates(decision):
    """The unrevoked recognitions of a decision, in certificate-number order."""
    return certificate_queryset().filter(decision=decision, revoked=False).order_by("sequence")


def officer_batch(user, pk):
    if not is_officer(user):
        raise Http404
    return get_object_or_404(
        jurisdiction.scope(
            CertificateBatch.objects.select_related("decision__issuing_area"),
            user,
            "decision__issuing_area__path",
        ),
        pk=pk,
    )


def latest_batches(decisions):
    """{decision id: its latest batch} for a page of decisions, in one query."""
    batches = {}
    for batch in CertificateBatch.objects.filter(decision__in=decisions).order_by("created_at"):
        batches[batch.decision_id] = batch
    return batches


def dossier_campaigns():
    return Campaign.objects.order_by("-year", "subject_kind", "pk")


def dossier_areas(user):
    """Areas an officer may compile a dossier for: those of the subtree above branch level."""
    return (
        jurisdiction.scope(Area.objects.all(), user, "path")
        .filter(level__lte=AreaLevel.COMMUNE, is_active=True)
        .order_by("path")
    )


def officer_dossier_area(user, pk):
    area = get_object_or_404(Area, pk=pk)
    if not is_officer(user) or not jurisdiction.covers(user, area):
        raise Http404
    return area


def dossier_rows(*, campaign, area):
    """The recognised subjects of a campaign in an area, as plain tuples (10,000 rows: no
    model instances), ordered by residential area then name."""
    return (
        Recognition.objects.filter(
            jurisdiction.under("assessment__area__path", area.path), assessment__campaign=campaign
        )
        .order_by(
            "assessment__area__path",
            "assessment__citizen__search_name",
            "assessment__learning_unit__search_name",
            "pk",
        )
        .values_list(
            "certificate_number",
            "assessment__citizen__full_name",
            "assessment__learning_unit__name",
            "assessment__area__name",
            "assessment__target_group",
            "assessment__verified_total",
            "assessment__band",
            "decision__number",
            "revoked",
        )
    )


def dossier_summary(*, campaign, area):
    """Per residential area: assessed, recognised, revoked — one grouped query."""
    return (
        Assessment.objects.filter(jurisdiction.under("area__path", area.path), campaign=campaign)
        .values("area__name", "area__path")
        .annotate(
            assessed=Count("pk"),
            recognised=Count("recognition", filter=Q(recognition__revoked=False)),
            revoked=Count("recognition", filter=Q(recognition__revoked=True)),
        )
        .order_by("area__path")
    )
