"""Demo data: the open demo campaign, assessments in every state, recognitions and a listing
page per commune.

Development only: `load_criteria --demo` opens the campaign (`campaign_ensure_demo`); `load_demo`
then calls `load_demo_recognitions`.
Every step goes through the services — start, answers, evidence, submit, verify, recognise — so
the demo shows what the real workflow leaves behind. Idempotent: a subject that already has an
assessment this year is left as it is, and pages are updated in place.
"""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from learning_units.models import Area, AreaLevel, Citizen, LearningUnit, TargetGroup

from . import selectors
from .models import (
    Assessment,
    Campaign,
    CampaignCriteriaSet,
    CriteriaSet,
    RecognitionDecision,
    RecognitionListingPage,
    SubjectKind,
)
from .scoring import indicators_in_order
from .services.evidence import evidence_add_url
from .services.recognition import recognition_issue
from .services.review import assessment_verify
from .services.self_assessment import assessment_save_answers, assessment_start, assessment_submit

DEMO_COMMUNES = {"10999": "cong-nhan-gia-loc", "10813": "cong-nhan-thanh-ha"}
# citizen ID → the state the demo leaves the citizen's assessment in. The demo citizen account
# (Nguyễn Thị Hoa, 031190001234) is left without one: she starts her own in the walkthrough.
DEMO_STATES = {
    "031085004521": "submitted",  # Nguyễn Văn An, Thôn Phương Điếm: waits for the branch
    "031178002233": "submitted",  # Trần Thị Bích Ngọc, Thôn Phương Điếm
    "030092003344": "verified",  # Lê Văn Đức, Thôn Quán Đào: waits for the commune
    "030301004455": "recognised",  # Phạm Thị Thu Hằng, Thôn Quán Đào
    "030080005566": "recognised",  # Hoàng Văn Đông: the school's board recognises its staff
    "030187006677": "submitted",  # Vũ Thị Lan, school branch
    "030075007788": "recognised",  # Đặng Văn Hùng, Xã Thanh Hà
    "030195008899": "submitted",  # Bùi Thị Mai, Xã Thanh Hà
}
DEMO_UNIT_STATES = {"Gia đình ông Nguyễn Văn An": "recognised"}
DEMO_EVIDENCE_URL = "https://hockhuyenhoc.vn/khoa-hoc/ky-nang-so-co-ban"


@transaction.atomic
def campaign_ensure_demo(*, year=None):
    """An open national campaign for citizens this year, using the latest published sets.

    Development data only (called by `load_criteria --demo`); reuses an open campaign if there is
    one, so running it again changes nothing.
    """
    today = timezone.localdate()
    year = year or today.year
    central = Area.objects.filter(level=AreaLevel.CENTRAL).first()
    if central is None:
        raise ValueError("There is no central area yet: run `manage.py load_areas` first.")
    campaign = Campaign.objects.filter(
        scope=central, subject_kind=SubjectKind.CITIZEN, year=year, status=Campaign.Status.OPEN
    ).first()
    if campaign is not None:
        return campaign
    campaign = Campaign(
        year=year,
        scope=central,
        subject_kind=SubjectKind.CITIZEN,
        opens_on=datetime.date(year, 1, 1),
        closes_on=datetime.date(year, 12, 31),
        status=Campaign.Status.OPEN,
    )
    campaign.full_clean()
    campaign.save()
    for group in TargetGroup:
        criteria_set = (
            CriteriaSet.objects.filter(
                subject_kind=SubjectKind.CITIZEN,
                target_group=group,
                status=CriteriaSet.Status.PUBLISHED,
            )
            .order_by("-version")
            .first()
        )
        CampaignCriteriaSet.objects.create(
            campaign=campaign, target_group=group, criteria_set=criteria_set
        )
    return campaign


@transaction.atomic
def load_demo_recognitions(*, parent_for):
    """Demo assessments, one decision per issuing area, and a recognition page per commune.

    `parent_for(commune)` is the page the commune's listing goes under: the site decides (the
    demo site puts it under the commune's own page); this app knows no page types but its own.
    """
    admin = get_user_model().objects.get(username="admin")
    year = timezone.localdate().year
    to_recognise = {}
    for citizen in Citizen.objects.filter(citizen_id__in=DEMO_STATES).select_related("area"):
        assessment = _demo_assessment(admin, DEMO_STATES[citizen.citizen_id], citizen=citizen)
        if assessment is not None:
            to_recognise.setdefault(_issuing_area(assessment), []).append(assessment)
    family_campaign = _ensure_family_campaign(year)
    for unit in LearningUnit.objects.filter(name__in=DEMO_UNIT_STATES).select_related("area"):
        assessment = _demo_assessment(admin, DEMO_UNIT_STATES[unit.name], learning_unit=unit)
        if assessment is not None:
            to_recognise.setdefault(_issuing_area(assessment), []).append(assessment)
    if family_campaign is not None:
        # The demo's families are done: the round closes, so the citizens' round stays the
        # one open campaign of the demo (what the criteria tests and the walkthrough expect).
        Campaign.objects.filter(pk=family_campaign.pk).update(status=Campaign.Status.CLOSED)
    for issuing_area, assessments in to_recognise.items():
        number = f"{RecognitionDecision.objects.filter(issuing_area=issuing_area).count() + 1:02d}"
        recognition_issue(
            assessments=assessments,
            officer=admin,
            number=f"{number}/QĐ-KH-DEMO",
            decided_on=timezone.localdate(),
            signer="Chủ tịch Hội Khuyến học (demo)",
            issuing_area=issuing_area,
        )
    return [_listing_page(parent_for, code, slug) for code, slug in DEMO_COMMUNES.items()]


def _issuing_area(assessment):
    if assessment.area.is_agency_branch:
        return assessment.area
    return (
        assessment.area.parent
        if assessment.area.level == AreaLevel.RESIDENTIAL
        else assessment.area
    )


def _demo_assessment(admin, state, *, citizen=None, learning_unit=None):
    """Take a new subject as far as `state`; returns it when it still needs recognising."""
    if Assessment.objects.filter(citizen=citizen, learning_unit=learning_unit).exists():
        return None
    subject = citizen or learning_unit
    actor = citizen.user if citizen and citizen.user else admin
    assessment = assessment_start(actor=actor, citizen=citizen, learning_unit=learning_unit)
    tree = selectors.criteria_set_tree(assessment.criteria_set_id)
    answers = {}
    for indicator in indicators_in_order(tree):
        # Four fifths of every indicator: passes the sample sets' marks in the “Khá” band.
        points = (indicator.max_points * Decimal("0.8")).quantize(Decimal("1"), ROUND_DOWN)
        answers[indicator.pk] = (points, f"{subject} – ví dụ minh hoạ")
    assessment_save_answers(assessment=assessment, actor=actor, answers=answers)
    for answer in selectors.answers_with_evidence(assessment):
        if answer.indicator.evidence_required:
            evidence_add_url(
                answer=answer, actor=actor, url=DEMO_EVIDENCE_URL, description="Khoá học (demo)"
            )
    assessment.refresh_from_db()
    assessment_submit(assessment=assessment, actor=actor)
    if state == "submitted":
        return None
    result = assessment_verify(assessment=assessment, officer=admin, comment="Demo")
    return assessment if state == "recognised" and result.passed else None


def _ensure_family_campaign(year):
    """The national campaign for learning families, open while the demo fills it."""
    family_set = (
        CriteriaSet.objects.filter(subject_kind="family", status=CriteriaSet.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )
    central = Area.objects.filter(level=AreaLevel.CENTRAL).first()
    if family_set is None or central is None:
        return None
    campaign, created = Campaign.objects.get_or_create(
        scope=central,
        subject_kind="family",
        year=year,
        defaults={
            "opens_on": datetime.date(year, 1, 1),
            "closes_on": datetime.date(year, 12, 31),
            "status": Campaign.Status.OPEN,
        },
    )
    if created:
        CampaignCriteriaSet.objects.create(campaign=campaign, criteria_set=family_set)
    if campaign.status != Campaign.Status.OPEN:
        return None  # closed by an earlier run: its families are done already
    return campaign


def _listing_page(parent_for, code, slug):
    commune = Area.objects.get(level=AreaLevel.COMMUNE, code=code)
    parent = parent_for(commune)
    page = RecognitionListingPage.objects.filter(area=commune, locale=parent.locale).first()
    if page is None:
        page = RecognitionListingPage(slug=slug, area=commune, title="", locale=parent.locale)
        page.title = f"Công dân học tập – {commune.name}"
        parent.add_child(instance=page)
    elif not page.is_child_of(parent):  # an older demo put the listings under the home page
        page.move(parent, pos="last-child")
        page = RecognitionListingPage.objects.get(pk=page.pk)
    page.area = commune
    page.title = f"Công dân học tập – {commune.name}"
    page.intro = (
        f"<p>Danh sách công dân, gia đình và đơn vị được Hội Khuyến học {commune.name} công nhận "
        "danh hiệu học tập, theo từng năm.</p>"
    )
    page.save_revision().publish()
    english = Locale.objects.filter(language_code="en").first()
    if english is not None and parent.get_translation_or_none(english) is not None:
        translation = page.get_translation_or_none(english) or page.copy_for_translation(english)
        translation = translation.specific
        translation.area = commune
        translation.title = f"Learning citizens – {commune.name}"
        translation.intro = (
            f"<p>Citizens, families and units recognised by the association for promoting "
            f"education of {commune.name}, year by year.</p>"
        )
        translation.save_revision().publish()
    return page
