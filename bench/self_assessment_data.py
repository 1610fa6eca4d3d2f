"""Data shared by the self-assessment benchmarks: a village, the sample citizens' set, an open
campaign for this year, and one citizen with a started assessment."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Campaign, CampaignCriteriaSet
from assessments.services.criteria import criteria_set_load
from assessments.services.self_assessment import assessment_start
from learning_units.models import Area, AreaLevel, Citizen, CourseCompletion

SAMPLE = "assessments/criteria_sets/cong-dan-nhom-1.json"


def build(base_dir):
    import json

    today = timezone.localdate()
    central = Area.objects.create(code="VN", name="Việt Nam", level=AreaLevel.CENTRAL)
    province = Area.objects.create(code="B1", name="Tỉnh", level=AreaLevel.PROVINCE, parent=central)
    commune = Area.objects.create(code="B2", name="Xã", level=AreaLevel.COMMUNE, parent=province)
    village = Area.objects.create(
        code="B3", name="Thôn", level=AreaLevel.RESIDENTIAL, parent=commune
    )
    raw = json.loads((base_dir / SAMPLE).read_text(encoding="utf-8"))
    criteria_set = criteria_set_load(raw=raw).criteria_set
    campaign = Campaign.objects.create(
        year=today.year,
        scope=central,
        subject_kind="citizen",
        opens_on=datetime.date(today.year, 1, 1),
        closes_on=datetime.date(today.year, 12, 31),
        status="open",
    )
    CampaignCriteriaSet.objects.create(campaign=campaign, target_group=1, criteria_set=criteria_set)
    user = get_user_model().objects.create_user("bench-citizen", password="bench-password-1")
    citizen = Citizen.objects.create(
        user=user,
        citizen_id="001190000123",
        full_name="Nguyễn Thị Hoa",
        gender="female",
        birth_year=1990,
        area=village,
        target_group=1,
    )
    CourseCompletion.objects.create(
        citizen=citizen,
        course_title="Kỹ năng số",
        provider="site",
        completed_on=today,
        source="site",
    )
    return user, assessment_start(citizen=citizen, actor=user)
