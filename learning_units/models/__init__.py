"""The people and places every assessment hangs on (DESIGN.md, DOMAIN.md).

areas: the administrative areas and officer roles; people: citizens and learning units;
lms: course completions and what learning management systems send.
"""

from .areas import Area, AreaLevel, OfficerRole
from .lms import CourseCompletion, LearnerMapping, LmsSource, PendingCompletion
from .people import Citizen, CitizenQuerySet, Gender, LearningUnit, TargetGroup

__all__ = [
    "Area",
    "AreaLevel",
    "Citizen",
    "CitizenQuerySet",
    "CourseCompletion",
    "Gender",
    "LearnerMapping",
    "LearningUnit",
    "LmsSource",
    "OfficerRole",
    "PendingCompletion",
    "TargetGroup",
]
