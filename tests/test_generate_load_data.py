"""`generate_load_data`: rows spread by province population over several years, with answers,
units and recognitions; run again (another year, or the same) without colliding."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from assessments.models import (
    Assessment,
    AssessmentStatus,
    IndicatorAnswer,
    Recognition,
    RecognitionDecision,
)
from learning_units.models import Citizen, LearningUnit, TargetGroup
from tests.factories import CentralAreaFactory, CommuneFactory, ProvinceFactory
from tests.factories.review import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def provinces():
    central = CentralAreaFactory()
    big = ProvinceFactory(parent=central, code="79")  # Ho Chi Minh City, 14 million
    small = ProvinceFactory(parent=central, code="12")  # Lai Chau, half a million
    for province in (big, small):
        for _ in range(2):
            CommuneFactory(parent=province)
    return big, small


def generate(*args):
    call_command("generate_load_data", "--force", "--batch", "40", *args)


def test_rows_follow_province_populations_over_several_years(provinces):
    big, small = provinces
    generate("--citizens", "120", "--years", "2", "--year", str(YEAR))

    assert Citizen.objects.count() == 120
    in_big = Citizen.objects.filter(area__parent=big).count()
    assert in_big > 100  # 14,002 to 494 thousand: nearly all of them
    citizen_rows = Assessment.objects.filter(citizen__isnull=False)
    assert set(citizen_rows.values_list("year", flat=True)) == {YEAR - 1, YEAR}
    assert citizen_rows.filter(year=YEAR).count() == 120
    # The open year has every status; the closed one none still in review.
    assert set(citizen_rows.filter(year=YEAR).values_list("status", flat=True)) == set(
        AssessmentStatus.values
    )
    assert not citizen_rows.filter(year=YEAR - 1, status=AssessmentStatus.SUBMITTED).exists()
    # Five answers per assessment, one of them a digital skill.
    per_assessment = IndicatorAnswer.objects.values("assessment").annotate(n=Count("pk"))
    assert {row["n"] for row in per_assessment} == {5}
    assert per_assessment.count() == Assessment.objects.count()
    assert IndicatorAnswer.objects.filter(indicator__is_digital_skill=True).count() == (
        Assessment.objects.count()
    )
    # Families with members and cadres working in a learning organisation, assessed too.
    families = LearningUnit.objects.filter(kind=LearningUnit.Kind.FAMILY)
    assert families.exists() and all(f.members.count() == 4 for f in families)
    cadres = Citizen.objects.filter(target_group=TargetGroup.CADRES)
    assert cadres.exists() and not cadres.filter(workplace__isnull=True).exists()
    assert Assessment.objects.filter(learning_unit__kind="organisation").exists()
    assert Recognition.objects.filter(revoked=False).exists()
    call_command("check_report_summaries")  # rebuilt at the end: no difference
    # Rows copied past the ORM (COPY on PostgreSQL) carry their province (issue #22).
    for area_parent, province in Assessment.objects.values_list("area__parent", "province"):
        assert province == area_parent


def test_a_second_run_and_another_year_add_rows_without_colliding(provinces):
    generate("--citizens", "50", "--years", "1", "--year", str(YEAR - 1))
    generate("--citizens", "50", "--years", "1", "--year", str(YEAR))
    generate("--citizens", "50", "--years", "1", "--year", str(YEAR), "--seed", "2")

    assert Citizen.objects.count() == 150
    assert Assessment.objects.filter(citizen__isnull=False, year=YEAR).count() == 100
    numbers = list(RecognitionDecision.objects.values_list("issuing_area", "number"))
    assert len(numbers) == len(set(numbers))
    assert RecognitionDecision.objects.filter(number__startswith=f"LOAD-{YEAR}-").exists()
    certificates = Recognition.objects.values_list("certificate_number", flat=True)
    assert len(certificates) == len(set(certificates))
    call_command("check_report_summaries")


def test_refuses_without_debug_or_force(provinces):
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_load_data", "--citizens", "1")
