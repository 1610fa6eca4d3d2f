"""factory_boy factories and plain-data builders for criteria sets and campaigns."""

import copy
import datetime
import json

import factory
from django.utils import timezone

from assessments.criteria_files import NATIONAL_SETS_DIR
from assessments.models import (
    Campaign,
    CampaignCriteriaSet,
    CriteriaSet,
    Criterion,
    Indicator,
    ProvinceDeadline,
    RatingBand,
    SubjectKind,
)
from tests.factories.people import CentralAreaFactory, ProvinceFactory

SAMPLE_DIR = NATIONAL_SETS_DIR


def this_year():
    """The campaigns' default year: today's, so the suite passes on any date."""
    return timezone.localdate().year


def sample_raw(name):
    """A raw set as shipped in assessments/criteria_sets (e.g. "don-vi-hoc-tap")."""
    return json.loads((SAMPLE_DIR / f"{name}.json").read_text(encoding="utf-8"))


def unit_raw(**overrides):
    """A small learning-unit-like set: criteria 30/30/40 of 10-point indicators, bands 85/70/50."""
    raw = {
        "code": "THU-NGHIEM",
        "version": 1,
        "title": "Bộ tiêu chí thử nghiệm",
        "legal_basis_number": "22/2020/TT-BGDĐT",
        "subject_kind": "organisation",
        "valid_from_year": 2023,
        "total_points": 100,
        "pass_mark": 50,
        "status": "published",
        "rating_bands": [
            {"label": "Tốt", "min_points": 85},
            {"label": "Khá", "min_points": 70},
            {"label": "Trung bình", "min_points": 50},
        ],
        "criteria": [
            _criterion("1", "Điều kiện", 3),
            _criterion("2", "Kết quả học tập", 3),
            _criterion("3", "Tác dụng", 4),
        ],
    }
    raw.update(copy.deepcopy(overrides))
    return raw


def _criterion(code, title, indicators):
    return {
        "code": code,
        "title": title,
        "max_points": 10 * indicators,
        "indicators": [
            {
                "code": f"{code}.{n}",
                "title": f"Chỉ báo {code}.{n}",
                "guidance": f"Giải thích dễ hiểu cho chỉ báo {code}.{n}.",
                "max_points": 10,
                "evidence_required": n == 1,
                "is_digital_skill": (code, n) == ("2", 2),
                "competency_tags": ["kỹ năng số"] if (code, n) == ("2", 2) else [],
            }
            for n in range(1, indicators + 1)
        ],
    }


class CriteriaSetFactory(factory.django.DjangoModelFactory):
    """A set without a tree; add criteria with CriterionFactory or use `unit_raw` + the loader."""

    class Meta:
        model = CriteriaSet

    code = factory.Sequence(lambda n: f"BO-{n}")
    version = 1
    title = factory.Sequence(lambda n: f"Bộ tiêu chí {n}")
    legal_basis_number = "324/QĐ-KHVN"
    subject_kind = SubjectKind.CITIZEN
    target_group = 1
    valid_from_year = 2023
    total_points = 100
    pass_mark = 50
    status = CriteriaSet.Status.PUBLISHED


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    code = factory.Sequence(str)
    title = factory.Sequence(lambda n: f"Tiêu chí {n}")
    max_points = 10
    sort_order = factory.Sequence(int)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    criterion = factory.SubFactory(CriterionFactory)
    code = factory.Sequence(lambda n: f"I{n}")
    title = factory.Sequence(lambda n: f"Chỉ báo {n}")
    guidance = "Giải thích dễ hiểu."
    max_points = 10
    sort_order = factory.Sequence(int)


class RatingBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatingBand

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    label = "Đạt"
    min_points = 50


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    year = factory.LazyFunction(this_year)
    scope = factory.SubFactory(CentralAreaFactory)
    subject_kind = SubjectKind.CITIZEN
    opens_on = factory.LazyAttribute(lambda campaign: datetime.date(campaign.year, 1, 1))
    closes_on = factory.LazyAttribute(lambda campaign: datetime.date(campaign.year, 12, 31))
    status = Campaign.Status.OPEN


class ProvinceCampaignFactory(CampaignFactory):
    scope = factory.SubFactory(ProvinceFactory)


class CampaignCriteriaSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignCriteriaSet

    campaign = factory.SubFactory(CampaignFactory)
    target_group = 1
    criteria_set = factory.SubFactory(CriteriaSetFactory)


class ProvinceDeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvinceDeadline

    campaign = factory.SubFactory(CampaignFactory)
    province = factory.SubFactory(ProvinceFactory)
    closes_on = factory.LazyAttribute(
        lambda deadline: datetime.date(deadline.campaign.year, 11, 30)
    )
