"""The review workflow's services: who may do what from which state, and what each leaves."""

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    CertificateSequence,
    Notice,
    Recognition,
    RecognitionDecision,
    ReviewEvent,
)
from assessments.services.recognition import recognition_issue, recognition_revoke
from assessments.services.review import (
    ReviewRefused,
    assessment_reject,
    assessment_return,
    assessment_verify,
)
from tests.factories.review import YEAR, make_assessment, review_world

pytestmark = pytest.mark.django_db

S = AssessmentStatus
ROLES = ["citizen", "branch", "other_branch", "commune", "province"]
ACTIONS = ["verify", "return", "reject", "recognise", "revoke"]
FROM = {
    "verify": {S.SUBMITTED},
    "return": {S.SUBMITTED, S.VERIFIED},
    "reject": {S.SUBMITTED, S.VERIFIED},
    "recognise": {S.VERIFIED},
    "revoke": {S.RECOGNISED},
}


def expected_outcome(status, action, role):
    """The rule written out independently of the code: None (allowed) or a refusal code."""
    if role == "citizen":
        return "not_officer"
    if role == "other_branch":
        return "out_of_jurisdiction"
    if status not in FROM[action]:
        return "wrong_status"
    allowed = {
        "verify": {"branch"},
        "return": {"branch", "commune"} if status == S.SUBMITTED else {"commune"},
        "reject": {"branch", "commune"} if status == S.SUBMITTED else {"commune"},
        "recognise": {"commune"},
        "revoke": {"commune", "province"},
    }[action]
    return None if role in allowed else "wrong_role"


def act(world, action, assessment, user):
    """Run one action with valid input; the refusal code, or None when it was done."""
    try:
        if action == "verify":
            assessment_verify(assessment=assessment, officer=user)
        elif action == "return":
            assessment_return(assessments=[assessment], officer=user, comment="Bổ sung")
        elif action == "reject":
            assessment_reject(assessments=[assessment], officer=user, reason="Sai")
        elif action == "recognise":
            recognition_issue(
                assessments=[assessment],
                officer=user,
                number=f"{assessment.pk}/QĐ-KH",
                decided_on=timezone.localdate(),
                signer="Chủ tịch",
                issuing_area=world.commune,
            )
        else:
            recognition = Recognition.objects.filter(assessment=assessment).first()
            if recognition is None:  # refused before it is read; any recognition will do
                recognition = Recognition(assessment=assessment)
            recognition_revoke(recognition=recognition, officer=user, reason="Gian lận")
    except ReviewRefused as refusal:
        return refusal.code
    return None


@pytest.fixture
def world(db):
    return review_world()


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_transition_matrix(world, status, action, role):
    assessment = make_assessment(world, status=status)
    before = set(Assessment.objects.values_list("pk", "status", "updated_at"))
    events_before = ReviewEvent.objects.count()

    outcome = act(world, action, assessment, world.officers[role])

    assert outcome == expected_outcome(status, action, role)
    if outcome is not None:
        assert set(Assessment.objects.values_list("pk", "status", "updated_at")) == before
        assert ReviewEvent.objects.count() == events_before
        return
    assessment.refresh_from_db()
    new_status = {
        "verify": S.VERIFIED,
        "return": S.RETURNED,
        "reject": S.REJECTED,
        "recognise": S.RECOGNISED,
        "revoke": S.RECOGNISED,
    }[action]
    assert assessment.status == new_status
    event = ReviewEvent.objects.latest("pk")
    assert (event.action, event.from_status, event.to_status) == (action, status, new_status)
    assert event.actor == world.officers[role]


def test_superuser_follows_the_workflow_but_not_the_roles(world):
    admin = world.officers["citizen"]
    admin.is_superuser = True
    admin.save()
    submitted = make_assessment(world)
    draft = make_assessment(world, status=S.DRAFT)

    assert act(world, "verify", submitted, admin) is None
    assert act(world, "verify", draft, admin) == "wrong_status"


def test_changing_points_needs_a_comment(world):
    assessment = make_assessment(world)
    first = world.indicators[0]

    with pytest.raises(ReviewRefused) as refused:
        assessment_verify(
            assessment=assessment, officer=world.officers["branch"], points={first.pk: "10"}
        )

    assert refused.value.code == "comment_required"
    assert first.code in refused.value.message
    assessment.refresh_from_db()
    assert assessment.status == S.SUBMITTED


def test_verify_with_a_changed_score_recomputes_total_and_band(world):
    assessment = make_assessment(world, points=(18, 18, 18, 18, 16))  # 88: Tốt
    first = world.indicators[0]

    result = assessment_verify(
        assessment=assessment,
        officer=world.officers["branch"],
        points={first.pk: "10"},
        comments={first.pk: "Chưa có kế hoạch học tập"},
        comment="Đã kiểm tra",
    )

    assessment.refresh_from_db()
    assert result.total == Decimal(80)
    assert (assessment.status, assessment.verified_total, assessment.band) == (
        S.VERIFIED,
        Decimal(80),
        "Khá",
    )
    answer = assessment.answers.get(indicator=first)
    assert (answer.self_points, answer.verified_points) == (Decimal(18), Decimal(10))
    assert answer.officer_comment == "Chưa có kế hoạch học tập"
    assert ReviewEvent.objects.get(assessment=assessment, action="verify").comment == "Đã kiểm tra"


def test_points_outside_the_indicator_range_are_refused(world):
    assessment = make_assessment(world)
    first = world.indicators[0]

    with pytest.raises(ReviewRefused) as refused:
        assessment_verify(
            assessment=assessment,
            officer=world.officers["branch"],
            points={first.pk: "25"},
            comments={first.pk: "?"},
        )

    assert refused.value.code == "invalid_points"


def test_acting_on_a_stale_state_is_refused_with_a_clear_message(world):
    assessment = make_assessment(world)
    seen_by_commune = Assessment.objects.get(pk=assessment.pk)
    assessment_verify(assessment=assessment, officer=world.officers["branch"])

    with pytest.raises(ReviewRefused) as refused:
        assessment_return(
            assessments=[seen_by_commune], officer=world.officers["commune"], comment="Sửa lại"
        )

    assert refused.value.code == "stale"
    assert "Người khác vừa thay đổi" in refused.value.message
    assert Assessment.objects.get(pk=assessment.pk).status == S.VERIFIED


def recognise(world, assessments, number="12/QĐ-KH", officer="commune", **values):
    return recognition_issue(
        assessments=assessments,
        officer=world.officers[officer],
        number=number,
        decided_on=values.pop("decided_on", timezone.localdate()),
        signer=values.pop("signer", "Nguyễn Văn Chủ Tịch"),
        issuing_area=values.pop("issuing_area", world.commune),
    )


def test_bulk_recognition_is_all_or_nothing(world):
    verified = [make_assessment(world, status=S.VERIFIED) for _ in range(2)]
    submitted = make_assessment(world)

    with pytest.raises(ReviewRefused) as refused:
        recognise(world, [*verified, submitted])

    assert refused.value.code == "wrong_status"
    assert refused.value.message.startswith("Chưa có gì được thực hiện")
    assert not RecognitionDecision.objects.exists()
    assert not Recognition.objects.exists()
    assert set(Assessment.objects.values_list("status", flat=True)) == {S.VERIFIED, S.SUBMITTED}
    assert not CertificateSequence.objects.filter(last_number__gt=0).exists()


def test_bulk_action_refuses_when_others_changed_part_of_the_batch(world):
    batch = [make_assessment(world, status=S.VERIFIED) for _ in range(3)]
    Assessment.objects.filter(pk=batch[0].pk).update(status=S.RETURNED)  # someone else

    with pytest.raises(ReviewRefused) as refused:
        recognise(world, batch)

    assert refused.value.code == "stale"
    assert "1 trong 3" in refused.value.message
    assert not Recognition.objects.exists()


def test_certificate_numbers_follow_each_other_without_gaps(world):
    first = [make_assessment(world, status=S.VERIFIED) for _ in range(3)]
    second = [make_assessment(world, status=S.VERIFIED) for _ in range(2)]

    recognise(world, first, number="1/QĐ")
    recognise(world, second, number="2/QĐ")

    numbers = list(Recognition.objects.order_by("sequence").values_list("sequence", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    code = world.commune.code
    assert Recognition.objects.get(sequence=4).certificate_number == f"{code}/{YEAR}/00004"
    assert CertificateSequence.objects.get(issuing_area=world.commune, year=YEAR).last_number == 5


def test_a_decision_number_with_another_date_or_signer_is_refused(world):
    recognise(world, [make_assessment(world, status=S.VERIFIED)], number="7/QĐ")
    other = make_assessment(world, status=S.VERIFIED)

    with pytest.raises(ReviewRefused) as refused:
        recognise(world, [other], number="7/QĐ", signer="Phó Chủ tịch")

    assert refused.value.code == "decision_mismatch"
    other.refresh_from_db()
    assert other.status == S.VERIFIED
    assert CertificateSequence.objects.get().last_number == 1


def test_double_click_on_recognise_recognises_once(world):
    batch = [make_assessment(world, status=S.VERIFIED) for _ in range(2)]
    again = [Assessment.objects.get(pk=a.pk) for a in batch]
    recognise(world, batch)

    with pytest.raises(ReviewRefused) as refused:
        recognise(world, again)

    assert refused.value.code == "stale"
    assert Recognition.objects.count() == 2


@pytest.mark.parametrize("missing", ["number", "signer", "decided_on"])
def test_recognising_without_a_decision_is_refused(world, missing):
    assessment = make_assessment(world, status=S.VERIFIED)
    values = {"number": "5/QĐ", "signer": "Chủ tịch", "decided_on": timezone.localdate()}
    values[missing] = "" if missing != "decided_on" else None

    with pytest.raises(ReviewRefused) as refused:
        recognise(world, [assessment], **values)

    assert refused.value.code == "decision_required"


def test_an_assessment_below_the_pass_mark_cannot_be_recognised(world):
    assessment = make_assessment(world, status=S.VERIFIED, points=(10, 10, 10, 10, 5))

    with pytest.raises(ReviewRefused) as refused:
        recognise(world, [assessment])

    assert refused.value.code == "not_passed"


def test_the_agency_board_recognises_its_own_staff(world):
    staff = make_assessment(world, status=S.VERIFIED, area=world.agency)

    with pytest.raises(ReviewRefused) as refused:
        recognise(world, [staff])
    assert refused.value.code == "wrong_role"

    recognise(world, [staff], officer="agency_board", issuing_area=world.agency)
    staff.refresh_from_db()
    assert staff.status == S.RECOGNISED
    assert staff.recognition.certificate_number.startswith(f"{world.agency.code}/{YEAR}/")


def test_campaign_settings_choose_who_verifies():
    world = review_world(verifying_role="commune", recognising_role="commune")
    assessment = make_assessment(world)

    assert act(world, "verify", assessment, world.officers["branch"]) == "wrong_role"
    assert act(world, "verify", assessment, world.officers["commune"]) is None


def test_revocation_keeps_the_history(world):
    assessment = make_assessment(world, status=S.RECOGNISED)
    recognition = assessment.recognition

    recognition_revoke(
        recognition=recognition, officer=world.officers["commune"], reason="Khai man"
    )

    recognition.refresh_from_db()
    assert recognition.revoked and recognition.revoked_reason == "Khai man"
    assert recognition.revoked_by == world.officers["commune"]
    event = ReviewEvent.objects.get(assessment=assessment, action="revoke")
    assert event.comment == "Khai man"
    with pytest.raises(ReviewRefused) as refused:
        recognition_revoke(
            recognition=recognition, officer=world.officers["commune"], reason="Lần nữa"
        )
    assert refused.value.code == "stale"


def test_revocation_needs_a_reason(world):
    assessment = make_assessment(world, status=S.RECOGNISED)

    with pytest.raises(ReviewRefused) as refused:
        recognition_revoke(
            recognition=assessment.recognition, officer=world.officers["commune"], reason=" "
        )

    assert refused.value.code == "comment_required"


def test_returning_needs_a_comment(world):
    assessment = make_assessment(world)

    with pytest.raises(ReviewRefused) as refused:
        assessment_return(assessments=[assessment], officer=world.officers["branch"], comment="")

    assert refused.value.code == "comment_required"


def citizen_with_account(world, status=S.SUBMITTED):
    assessment = make_assessment(world, status=status)
    citizen = assessment.citizen
    citizen.user = world.officers["citizen"]
    citizen.email = "hoa@example.com"
    citizen.save()
    return assessment


def test_mail_leaves_only_after_the_commit(world, django_capture_on_commit_callbacks):
    assessment = citizen_with_account(world)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assessment_return(
            assessments=[assessment], officer=world.officers["branch"], comment="Thiếu minh chứng"
        )
        assert mail.outbox == []

    assert callbacks  # the mail (and the queue counts' version) wait for the commit
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["hoa@example.com"]]
    assert "Thiếu minh chứng" in mail.outbox[0].body
    notice = Notice.objects.get(user=world.officers["citizen"])
    assert notice.kind == "returned" and notice.read_at is None


def test_a_refused_action_mails_nobody(world, django_capture_on_commit_callbacks):
    assessment = citizen_with_account(world, status=S.VERIFIED)
    submitted = make_assessment(world)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ReviewRefused),
    ):
        recognise(world, [assessment, submitted])

    assert callbacks == []
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_recognition_notifies_the_citizen(world, django_capture_on_commit_callbacks):
    recognised = citizen_with_account(world, status=S.VERIFIED)

    with django_capture_on_commit_callbacks(execute=True):
        recognise(world, [recognised], number="99/QĐ")

    certificate = Recognition.objects.get(assessment=recognised).certificate_number
    assert "99/QĐ" in mail.outbox[0].body and certificate in mail.outbox[0].body
    assert Notice.objects.get().kind == "recognised"


def test_the_digest_lists_new_submissions_once(world, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    officer = world.officers["branch"]
    officer.email = "branch@example.com"
    officer.save()
    make_assessment(world, full_name="Mới Nộp")
    make_assessment(world, area=world.other_branch_area, full_name="Nơi Khác")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_submission_digest", stdout=io.StringIO())
        call_command("send_submission_digest", stdout=io.StringIO())  # nothing new

    to_branch = [message for message in mail.outbox if message.to == ["branch@example.com"]]
    assert len(to_branch) == 1
    assert "Mới Nộp" in to_branch[0].body and "Nơi Khác" not in to_branch[0].body


def test_notices_include_shows_the_citizens_notices(world, rf):
    from django.template.loader import render_to_string

    assessment = citizen_with_account(world)
    assessment_return(
        assessments=[assessment], officer=world.officers["branch"], comment="Thiếu minh chứng"
    )
    request = rf.get("/")
    request.user = world.officers["citizen"]

    html = render_to_string("assessments/public/_notices.html", request=request)

    assert "Thiếu minh chứng" in html and "notices__item--unread" in html


def test_a_citizen_marks_only_their_own_notices_read(world, client):
    from django.urls import reverse

    assessment = citizen_with_account(world)
    assessment_return(
        assessments=[assessment], officer=world.officers["branch"], comment="Thiếu minh chứng"
    )
    other = Notice.objects.create(
        user=world.officers["branch"], assessment=assessment, kind="returned", message="x"
    )
    client.force_login(world.officers["citizen"])
    url = reverse("assessments:notices_read")

    assert client.get(url).status_code == 405
    response = client.post(url, {"next": "https://evil.example/"})
    client.post(url)  # a second click changes nothing

    assert response.url == reverse("assessments:mine")
    assert not Notice.objects.filter(user=world.officers["citizen"], read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
    client.logout()
    assert client.post(url).status_code == 302  # to the login page, nothing changed
    other.refresh_from_db()
    assert other.read_at is None
