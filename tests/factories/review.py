"""Builders for the review and recognition tests: a commune with branches, officers of every
level, a small criteria set (5 indicators of 20 points, pass mark 50) and assessments in any
status, one at a time or by the thousand (bulk_create)."""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    CertificateSequence,
    IndicatorAnswer,
    Recognition,
    RecognitionDecision,
)
from assessments.signals import announce_moved
from learning_units.models import Citizen
from learning_units.text import search_key
from tests.factories.assessments import (
    CampaignCriteriaSetFactory,
    CampaignFactory,
    CriteriaSetFactory,
    CriterionFactory,
    IndicatorFactory,
    RatingBandFactory,
    this_year,
)
from tests.factories.people import (
    CitizenFactory,
    CommuneFactory,
    LearningUnitFactory,
    OfficerRoleFactory,
    ResidentialAreaFactory,
    UserFactory,
    make_citizen_id,
)

YEAR = this_year()  # read once, when the tests are collected (under CDHT_TEST_TODAY if set)
_decisions = itertools.count(1)


@dataclass
class World:
    commune: object
    branch_area: object
    other_branch_area: object
    agency: object
    criteria_set: object
    indicators: list
    campaign: object
    officers: dict = field(default_factory=dict)


def review_world(**campaign_values):
    """Officers: branch (branch_area), other_branch (other_branch_area), agency_board (the agency
    branch), commune, province, and a citizen account without a role."""
    commune = CommuneFactory()
    branch_area = ResidentialAreaFactory(parent=commune, name="Thôn Phương Điếm")
    other_branch_area = ResidentialAreaFactory(parent=commune, name="Thôn Quán Đào")
    agency = ResidentialAreaFactory(
        parent=commune, name="Chi hội Trường THCS", is_agency_branch=True
    )
    criteria_set = CriteriaSetFactory(pass_mark=50)
    indicators = []
    for code, count in (("1", 3), ("2", 2)):
        criterion = CriterionFactory(criteria_set=criteria_set, code=code, max_points=20 * count)
        indicators += [
            IndicatorFactory(criterion=criterion, code=f"{code}.{n}", max_points=20)
            for n in range(1, count + 1)
        ]
    for label, minimum in (("Tốt", 85), ("Khá", 70), ("Trung bình", 50)):
        RatingBandFactory(criteria_set=criteria_set, label=label, min_points=minimum)
    campaign = CampaignFactory(year=YEAR, **campaign_values)
    CampaignCriteriaSetFactory(campaign=campaign, target_group=1, criteria_set=criteria_set)
    world = World(
        commune, branch_area, other_branch_area, agency, criteria_set, indicators, campaign
    )
    world.officers = {
        "branch": OfficerRoleFactory(area=branch_area).user,
        "other_branch": OfficerRoleFactory(area=other_branch_area).user,
        "agency_board": OfficerRoleFactory(area=agency).user,
        "commune": OfficerRoleFactory(area=commune).user,
        "province": OfficerRoleFactory(area=commune.parent).user,
        "citizen": UserFactory(),
    }
    return world


def _points_fields(points, status):
    total = sum(points, Decimal(0))
    passed = total >= 50
    band = "Tốt" if total >= 85 else "Khá" if total >= 70 else "Trung bình" if passed else ""
    reviewed = status in (AssessmentStatus.VERIFIED, AssessmentStatus.RECOGNISED)
    return {
        "self_total": total,
        "verified_total": total if reviewed else None,
        "band": band,
        "passed": passed,
    }


def make_assessment(
    world,
    *,
    status=AssessmentStatus.SUBMITTED,
    area=None,
    points=(16, 16, 16, 16, 16),
    citizen=None,
    learning_unit=None,
    full_name=None,
    evidence=False,
):
    """One assessment with an answer per indicator; recognised ones get a decision."""
    if learning_unit is None and citizen is None:
        values = {"area": area or world.branch_area}
        if full_name:
            values["full_name"] = full_name
        citizen = CitizenFactory(**values)
    points = [Decimal(value) for value in points]
    reviewed = status in (AssessmentStatus.VERIFIED, AssessmentStatus.RECOGNISED)
    now = datetime.datetime.now(datetime.UTC)
    assessment = Assessment.objects.create(
        campaign=world.campaign,
        criteria_set=world.criteria_set,
        citizen=citizen,
        learning_unit=learning_unit,
        area=(citizen or learning_unit).area,
        year=world.campaign.year,
        target_group=1 if citizen else None,
        status=status,
        has_evidence=evidence,
        submitted_at=now if status != AssessmentStatus.DRAFT else None,
        **_points_fields(points, status),
    )
    IndicatorAnswer.objects.bulk_create(
        IndicatorAnswer(
            assessment=assessment,
            indicator=indicator,
            self_points=value,
            verified_points=value if reviewed else None,
        )
        for indicator, value in zip(world.indicators, points, strict=True)
    )
    if status == AssessmentStatus.RECOGNISED:
        recognise_directly([assessment], world.commune)
    announce_moved([assessment])  # as the services do: the kept summaries count it
    return assessment


def make_unit_assessment(world, *, status=AssessmentStatus.SUBMITTED, kind="family", name=None):
    unit = LearningUnitFactory(
        kind=kind, area=world.branch_area, **({"name": name} if name else {})
    )
    return make_assessment(world, status=status, learning_unit=unit)


def recognise_directly(assessments, issuing_area, *, year=YEAR):
    """Recognitions written straight to the tables (set-up only; the service is tested apart)."""
    decision = RecognitionDecision.objects.create(
        number=f"{next(_decisions)}/QĐ-TEST",
        decided_on=min(timezone.localdate(), datetime.date(year, 12, 31)),
        signer="Chủ tịch Hội",
        issuing_area=issuing_area,
    )
    sequence, _created = CertificateSequence.objects.get_or_create(
        issuing_area=issuing_area, year=year
    )
    recognitions = []
    for assessment in assessments:
        sequence.last_number += 1
        recognitions.append(
            Recognition(
                assessment=assessment,
                decision=decision,
                year=year,
                issuing_area=issuing_area,
                sequence=sequence.last_number,
                certificate_number=f"{issuing_area.code}/{year}/{sequence.last_number:05d}",
            )
        )
    sequence.save()
    Recognition.objects.bulk_create(recognitions, batch_size=1000)
    return decision


def bulk_assessments(world, count, *, status=AssessmentStatus.SUBMITTED, area=None, names=None):
    """`count` citizens and their assessments in a few queries (no answers: list pages only)."""
    area = area or world.branch_area
    names = names or ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]
    citizens = []
    for n in range(count):
        name = f"{names[n % len(names)]} {n}"
        citizens.append(
            Citizen(
                citizen_id=make_citizen_id(1990, "female"),
                full_name=name,
                search_name=search_key(name),
                gender="female",
                birth_year=1990,
                area=area,
                target_group=1,
            )
        )
    citizens = Citizen.objects.bulk_create(citizens, batch_size=2000)
    now = datetime.datetime.now(datetime.UTC)
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                campaign=world.campaign,
                criteria_set=world.criteria_set,
                citizen=citizen,
                area=area,
                year=world.campaign.year,
                target_group=1,
                status=status,
                submitted_at=now,
                has_evidence=n % 2 == 0,
                **_points_fields([Decimal(16)] * 5, status),
            )
            for n, citizen in enumerate(citizens)
        ],
        batch_size=2000,
    )
    if status == AssessmentStatus.RECOGNISED:
        recognise_directly(assessments, world.commune)
    announce_moved(assessments[:1])  # one commune and year: the kept summaries count them all
    return assessments


def review_world_in_admin(**campaign_values):
    """review_world whose officers may open the Wagtail admin (where the review happens)."""
    from django.contrib.auth.models import Permission

    world = review_world(**campaign_values)
    access = Permission.objects.get(codename="access_admin")
    for user in world.officers.values():
        user.user_permissions.add(access)
    return world
