from .assessments import (
    Assessment,
    AssessmentStatus,
    CertificateSequence,
    Evidence,
    IndicatorAnswer,
    Recognition,
    RecognitionDecision,
    ReviewEvent,
)
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
    "Assessment",
    "AssessmentStatus",
    "CertificateSequence",
    "Evidence",
    "IndicatorAnswer",
    "Recognition",
    "RecognitionDecision",
    "ReviewEvent",
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
