from .campaigns import Campaign, CampaignCriteriaSet, ProvinceDeadline
from .criteria import (
    CompetencyTag,
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorCompetency,
    RatingBand,
    SubjectKind,
)

__all__ = [
    "Campaign",
    "CampaignCriteriaSet",
    "CompetencyTag",
    "CriteriaSet",
    "Criterion",
    "Indicator",
    "IndicatorCompetency",
    "ProvinceDeadline",
    "RatingBand",
    "SubjectKind",
]
