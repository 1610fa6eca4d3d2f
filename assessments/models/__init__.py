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
from .certificates import CertificateBatch
from .criteria import (
    CompetencyTag,
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorCompetency,
    RatingBand,
    SubjectKind,
)
from .notices import Notice, SubmissionDigest

__all__ = [
    "Assessment",
    "AssessmentStatus",
    "CertificateBatch",
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
    "Notice",
    "SubmissionDigest",
    "RecognitionListingPage",
]

# The page type lives beside the views it renders; imported here so that Django registers it.
from ..pages import RecognitionListingPage  # noqa: E402
