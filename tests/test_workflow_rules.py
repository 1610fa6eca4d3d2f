"""The workflow's rules on plain values: no database (and no django_db mark)."""

from types import SimpleNamespace

import pytest

from assessments import workflow
from assessments.models import AssessmentStatus
from assessments.workflow import Action
from learning_units.models import OfficerRole

DEFAULT_ROLES = (workflow.BRANCH, workflow.COMMUNE)


def test_the_workflows_values_are_the_models_choices():
    statuses = {
        value
        for (status, _action), t in workflow.TRANSITIONS.items()
        for value in (status, t.to_status)
    }
    assert statuses == set(AssessmentStatus.values)
    assert {workflow.BRANCH, workflow.COMMUNE, workflow.PROVINCE, workflow.CENTRAL} == set(
        OfficerRole.Role.values
    )


@pytest.mark.parametrize(
    ("status", "action", "to_status"),
    [
        ("draft", Action.SUBMIT, "submitted"),
        ("returned", Action.SUBMIT, "submitted"),
        ("returned", Action.EDIT, "draft"),
        ("draft", Action.EDIT, "draft"),
        ("submitted", Action.VERIFY, "verified"),
        ("submitted", Action.RETURN, "returned"),
        ("verified", Action.RETURN, "returned"),
        ("submitted", Action.REJECT, "rejected"),
        ("verified", Action.REJECT, "rejected"),
        ("verified", Action.RECOGNISE, "recognised"),
        ("recognised", Action.REVOKE, "recognised"),
    ],
)
def test_each_transition_leads_where_the_design_says(status, action, to_status):
    assert workflow.is_possible(action=action, status=status)
    assert workflow.TRANSITIONS[(status, action)].to_status == to_status


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", Action.VERIFY),
        ("submitted", Action.SUBMIT),
        ("submitted", Action.RECOGNISE),
        ("verified", Action.VERIFY),
        ("recognised", Action.RETURN),
        ("rejected", Action.RETURN),
        ("rejected", Action.EDIT),
        ("verified", Action.REVOKE),
    ],
)
def test_other_moves_are_not_possible(status, action):
    assert not workflow.is_possible(action=action, status=status)


def test_only_drafts_and_returned_assessments_are_edited_and_submitted():
    assert workflow.EDITABLE_STATUSES == ("draft", "returned")
    assert workflow.from_statuses(Action.SUBMIT) == ("draft", "returned")
    assert [s for s in AssessmentStatus.values if workflow.is_editable(s)] == ["draft", "returned"]
    assert [s for s in AssessmentStatus.values if workflow.can_submit(s)] == ["draft", "returned"]


def test_a_returned_assessment_is_a_draft_again_from_its_first_edit():
    assert workflow.status_after_edit("returned") == "draft"
    assert workflow.status_after_edit("draft") == "draft"


def test_each_action_has_one_destination():
    assert workflow.to_status(Action.SUBMIT) == "submitted"
    assert workflow.to_status(Action.RETURN) == "returned"
    assert workflow.to_status(Action.REVOKE) == "recognised"


def test_by_default_the_branch_verifies_and_the_commune_recognises():
    roles = workflow.review_roles(
        area_level=3, is_agency_branch=False, verifying_role="", recognising_role=""
    )
    assert roles == DEFAULT_ROLES


def test_an_agency_branch_board_verifies_and_recognises_its_own_staff():
    roles = workflow.review_roles(
        area_level=3, is_agency_branch=True, verifying_role="branch", recognising_role="commune"
    )
    assert roles == ("branch", "branch")


def test_an_assessment_filed_above_the_verifying_level_is_verified_by_the_recognising_level():
    roles = workflow.review_roles(
        area_level=2, is_agency_branch=False, verifying_role="branch", recognising_role="commune"
    )
    assert roles == ("commune", "commune")


def test_the_campaigns_roles_are_used():
    roles = workflow.review_roles(
        area_level=3, is_agency_branch=False, verifying_role="commune", recognising_role="province"
    )
    assert roles == ("commune", "province")


def test_review_roles_of_an_assessment_read_its_area_and_campaign():
    assessment = SimpleNamespace(
        area=SimpleNamespace(level=3, is_agency_branch=False),
        campaign=SimpleNamespace(verifying_role="branch", recognising_role="province"),
    )
    assert workflow.assessment_review_roles(assessment) == ("branch", "province")


@pytest.mark.parametrize(
    ("action", "status", "allowed"),
    [
        (Action.VERIFY, "submitted", {"branch"}),
        (Action.RETURN, "submitted", {"branch", "commune"}),
        (Action.REJECT, "submitted", {"branch", "commune"}),
        (Action.RETURN, "verified", {"commune"}),
        (Action.REJECT, "verified", {"commune"}),
        (Action.RECOGNISE, "verified", {"commune"}),
        (Action.REVOKE, "recognised", {"commune", "province", "central"}),
        (Action.VERIFY, "draft", set()),
    ],
)
def test_roles_allowed_per_action_and_status(action, status, allowed):
    assert workflow.roles_allowed(action=action, status=status, roles=DEFAULT_ROLES) == allowed


def refusal(**values):
    arguments = {
        "action": Action.VERIFY,
        "status": "submitted",
        "roles": DEFAULT_ROLES,
        "is_superuser": False,
        "holds_roles": True,
        "covering": {"branch"},
        **values,
    }
    found = workflow.review_refusal_reason(**arguments)
    return found and found.code


def test_a_branch_officer_over_the_area_may_verify():
    assert refusal() is None


def test_someone_without_an_officer_role_is_refused_first():
    assert refusal(holds_roles=False, covering=set(), status="draft") == "not_officer"


def test_an_officer_elsewhere_is_out_of_jurisdiction_before_the_status_is_looked_at():
    assert refusal(covering=set(), status="draft") == "out_of_jurisdiction"


def test_the_wrong_status_is_refused_before_the_role():
    assert refusal(status="verified", covering={"province"}) == "wrong_status"


def test_the_wrong_role_is_refused_with_the_roles_that_may():
    found = workflow.review_refusal_reason(
        action=Action.RECOGNISE,
        status="verified",
        roles=DEFAULT_ROLES,
        is_superuser=False,
        holds_roles=True,
        covering={"branch"},
    )
    assert found.code == "wrong_role"
    assert found.allowed == {"commune"}


def test_superusers_skip_roles_and_jurisdiction_but_never_the_workflow():
    assert refusal(is_superuser=True, holds_roles=False, covering=set()) is None
    assert refusal(is_superuser=True, holds_roles=False, status="draft") == "wrong_status"


def test_roles_are_listed_from_the_branch_up():
    assert workflow.roles_from_branch_up({"central", "branch", "province"}) == [
        "branch",
        "province",
        "central",
    ]


def test_the_roles_are_looked_up_only_once_the_status_allows_the_action():
    def roles():
        raise AssertionError("looked up")

    assert refusal(status="draft", roles=roles) == "wrong_status"
    assert refusal(roles=lambda: DEFAULT_ROLES) is None
