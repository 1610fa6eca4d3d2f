from .assessments import (
    Assessment,
    AssessmentStatus,
    CertificateSequence,
    Evidence,
    IndicatorAnswer,
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
from .exports import QueueExport
from .notices import Notice, SubmissionDigest
from .recognitions import Recognition, RecognitionDecision

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
    "QueueExport",
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

# A page type is a model (Wagtail); last, because its routes read the app's selectors.
from .pages import RecognitionListingPage  # noqa: E402
