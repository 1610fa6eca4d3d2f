"""The assessment workflow as data: which action moves which status where, and who may.

DESIGN.md (Workflow): draft → submitted → verified → recognised, with returned (back to the
subject, then draft again on the first edit) and rejected. The services apply these rules with
row locks and conditional updates; this module only answers questions about plain values, so it
reads no database: statuses and roles are the string values of `AssessmentStatus` and
`OfficerRole.Role` (tests/test_workflow_rules.py checks that they agree), and the level each role
is held at is the jurisdiction module's `ROLE_LEVELS` (one definition for the project).
"""

from dataclasses import dataclass

from learning_units.jurisdiction import ROLE_LEVELS

# AssessmentStatus values.
DRAFT = "draft"
SUBMITTED = "submitted"
VERIFIED = "verified"
RECOGNISED = "recognised"
RETURNED = "returned"
REJECTED = "rejected"

# OfficerRole.Role values (their AreaLevel: learning_units.jurisdiction.ROLE_LEVELS).
BRANCH = "branch"
COMMUNE = "commune"
PROVINCE = "province"
CENTRAL = "central"


class Action:
    """What moves an assessment; the value is what its ReviewEvent records."""

    START = "start"
    EDIT = "edit"
    SUBMIT = "submit"
    VERIFY = "verify"
    RETURN = "return"
    REJECT = "reject"
    RECOGNISE = "recognise"
    REVOKE = "revoke"


# Who may take a transition. The subject is the citizen (or a unit's head), or an officer
# entering on their behalf (the views' selectors decide who that is); the reviewing roles are
# the campaign's (`review_roles`), resolved to officer roles by `roles_allowed`.
SUBJECT = "subject"
VERIFIER = "verifier"
RECOGNISER = "recogniser"
RECOGNISER_OR_ABOVE = "recogniser_or_above"


@dataclass(frozen=True)
class Transition:
    to_status: str
    who: frozenset


# (from status, action) → where it leads and who may take it. An action missing for a status
# is not possible from it. Revocation keeps the status: the recognition is marked instead.
TRANSITIONS = {
    (DRAFT, Action.EDIT): Transition(DRAFT, frozenset({SUBJECT})),
    (RETURNED, Action.EDIT): Transition(DRAFT, frozenset({SUBJECT})),
    (DRAFT, Action.SUBMIT): Transition(SUBMITTED, frozenset({SUBJECT})),
    (RETURNED, Action.SUBMIT): Transition(SUBMITTED, frozenset({SUBJECT})),
    (SUBMITTED, Action.VERIFY): Transition(VERIFIED, frozenset({VERIFIER})),
    (SUBMITTED, Action.RETURN): Transition(RETURNED, frozenset({VERIFIER, RECOGNISER})),
    (VERIFIED, Action.RETURN): Transition(RETURNED, frozenset({RECOGNISER})),
    (SUBMITTED, Action.REJECT): Transition(REJECTED, frozenset({VERIFIER, RECOGNISER})),
    (VERIFIED, Action.REJECT): Transition(REJECTED, frozenset({RECOGNISER})),
    (VERIFIED, Action.RECOGNISE): Transition(RECOGNISED, frozenset({RECOGNISER})),
    (RECOGNISED, Action.REVOKE): Transition(RECOGNISED, frozenset({RECOGNISER_OR_ABOVE})),
}
REVIEW_ACTIONS = (Action.VERIFY, Action.RETURN, Action.REJECT, Action.RECOGNISE, Action.REVOKE)


def from_statuses(action):
    """The statuses `action` is possible from, in the order of the table."""
    return tuple(status for status, name in TRANSITIONS if name == action)


def to_status(action):
    """Where `action` leads (the same from every status it starts from)."""
    (target,) = {t.to_status for (_status, name), t in TRANSITIONS.items() if name == action}
    return target


def is_possible(*, action, status):
    return (status, action) in TRANSITIONS


# --- The subject's own transitions ---

EDITABLE_STATUSES = from_statuses(Action.EDIT)


def is_editable(status):
    """Whether the subject may still change answers and evidence."""
    return is_possible(action=Action.EDIT, status=status)


def status_after_edit(status):
    """The status an edit leaves: a returned assessment is a draft again from its first edit."""
    return TRANSITIONS[(status, Action.EDIT)].to_status


def can_submit(status):
    return is_possible(action=Action.SUBMIT, status=status)


# --- The reviewing roles ---


def review_roles(*, area_level, is_agency_branch, verifying_role, recognising_role):
    """(role that verifies, role that recognises) an assessment filed at an area, by campaign.

    An agency branch's board (a branch officer of that branch) verifies and recognises its own
    staff. An assessment filed directly at a level above the verifying one (a citizen attached
    to the commune itself) is verified by the recognising level. Empty campaign roles are the
    defaults (branch verifies, commune recognises).
    """
    if is_agency_branch:
        return BRANCH, BRANCH
    verifying = verifying_role or BRANCH
    recognising = recognising_role or COMMUNE
    if ROLE_LEVELS[verifying] > area_level:
        verifying = recognising
    return verifying, recognising


def assessment_review_roles(assessment):
    """`review_roles` of an assessment whose area and campaign are loaded."""
    area, campaign = assessment.area, assessment.campaign
    return review_roles(
        area_level=area.level,
        is_agency_branch=area.is_agency_branch,
        verifying_role=campaign.verifying_role,
        recognising_role=campaign.recognising_role,
    )


def roles_allowed(*, action, status, roles):
    """The officer roles that may take `action` from `status`; empty when it is not possible.

    `roles` are the (verifying, recognising) roles of the assessment (`review_roles`).
    """
    transition = TRANSITIONS.get((status, action))
    if transition is None:
        return set()
    verifying, recognising = roles
    roles = set()
    if VERIFIER in transition.who:
        roles.add(verifying)
    if RECOGNISER in transition.who:
        roles.add(recognising)
    if RECOGNISER_OR_ABOVE in transition.who:
        # The level that recognised, or any level above it.
        roles |= {role for role, level in ROLE_LEVELS.items() if level <= ROLE_LEVELS[recognising]}
    return roles


def roles_from_branch_up(roles):
    """Roles from the branch up to the centre, the order messages list them in."""
    return sorted(roles, key=ROLE_LEVELS.get, reverse=True)


@dataclass(frozen=True)
class Refusal:
    """Why a review action is refused: not_officer, out_of_jurisdiction, wrong_status or
    wrong_role (with the roles that may)."""

    code: str
    allowed: frozenset = frozenset()


def review_refusal_reason(*, action, status, roles, is_superuser, holds_roles, covering):
    """None when the action may be taken, else the Refusal, checked in a fixed order.

    `roles` are the assessment's (verifying, recognising) roles, or a function returning them,
    called only once the status allows the action (a caller's lookup is not paid for refusals
    decided earlier). `holds_roles` says whether the user holds any officer role at all;
    `covering` is the set of roles the user holds over the assessment's area. Superusers skip
    the role and jurisdiction checks, never the workflow.
    """
    if not is_superuser and not holds_roles:
        return Refusal("not_officer")
    if not is_superuser and not covering:
        return Refusal("out_of_jurisdiction")
    if not is_possible(action=action, status=status):
        return Refusal("wrong_status")
    roles = roles() if callable(roles) else roles
    allowed = roles_allowed(action=action, status=status, roles=roles)
    if not is_superuser and not set(covering) & allowed:
        return Refusal("wrong_role", frozenset(allowed))
    return None
