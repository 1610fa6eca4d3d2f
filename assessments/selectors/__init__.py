"""Reads of the assessments app, each scoped to who asks (docs/architecture.md):

- `criteria`: criteria trees, versions and the campaign that applies;
- `own`: a citizen's or a unit head's own assessments (and an officer's, by jurisdiction),
  the step page's reads, notices;
- `review`: the officers' queue, its counts and search, the review screen, decision areas;
- `public`: the public recognition listings.

Callers use `from assessments import selectors` and the names below.
"""

from .criteria import (
    FROZEN_TREE_PREFETCH,
    campaign_for,
    criteria_set_for,
    criteria_set_tree,
    criteria_set_versions,
    current_campaign_for,
    frozen_tree,
    guidance_pages_for,
)
from .own import (
    FULL_RELATED,
    STEP_RELATED,
    answers_for_step,
    answers_with_evidence,
    assessment_for_user,
    assessment_history,
    assessments_for_user,
    citizens_for_user,
    course_completions_for,
    evidence_for_user,
    learning_units_for_user,
    notices_for,
    unread_notice_count,
)
from .public import (
    PUBLIC_FIELDS,
    listing_residential_areas,
    public_citizen_recognitions,
    public_collective_recognitions,
    public_recognition_counts,
    public_recognition_search,
    recognition_years,
)
from .review import (
    MATCHED_IDS,
    assessment_for_review,
    assessment_queue,
    assessment_search,
    assessment_status_counts,
    assessments_in_jurisdiction,
    decision_area_choices,
    decision_areas_for,
    evidence_for_officer,
    new_submissions_for,
    next_in_queue,
    recognitions_for_officer,
)

__all__ = [
    "FROZEN_TREE_PREFETCH",
    "FULL_RELATED",
    "MATCHED_IDS",
    "PUBLIC_FIELDS",
    "STEP_RELATED",
    "answers_for_step",
    "answers_with_evidence",
    "assessment_for_review",
    "assessment_for_user",
    "assessment_history",
    "assessment_queue",
    "assessment_search",
    "assessment_status_counts",
    "assessments_for_user",
    "assessments_in_jurisdiction",
    "campaign_for",
    "citizens_for_user",
    "course_completions_for",
    "criteria_set_for",
    "criteria_set_tree",
    "criteria_set_versions",
    "current_campaign_for",
    "decision_area_choices",
    "decision_areas_for",
    "evidence_for_officer",
    "evidence_for_user",
    "frozen_tree",
    "guidance_pages_for",
    "learning_units_for_user",
    "listing_residential_areas",
    "new_submissions_for",
    "next_in_queue",
    "notices_for",
    "public_citizen_recognitions",
    "public_collective_recognitions",
    "public_recognition_search",
    "public_recognition_counts",
    "recognition_years",
    "recognitions_for_officer",
    "unread_notice_count",
]
