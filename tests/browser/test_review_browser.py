"""Review and recognition as the demo's people do it: the citizen's assessment is submitted, the
branch officer verifies it in the admin with one changed score and a comment, the commune officer
recognises it in bulk under one decision, the citizen reads the notice on her phone and finds her
name on the commune's recognition page for the year."""

import re

import pytest
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus, Indicator, RecognitionListingPage
from assessments.services.evidence import evidence_add_url
from assessments.services.self_assessment import (
    assessment_save_answers,
    assessment_start,
    assessment_submit,
)
from learning_units.models import Citizen

pytestmark = pytest.mark.browser

HOA = "031190001234"  # the demo citizen, left without an assessment by load_demo


def submitted_assessment_of_hoa():
    hoa = Citizen.objects.select_related("user").get(citizen_id=HOA)
    assessment = assessment_start(citizen=hoa, actor=hoa.user)
    indicators = Indicator.objects.filter(criterion__criteria_set=assessment.criteria_set)
    assessment_save_answers(
        assessment=assessment,
        actor=hoa.user,
        answers={indicator.pk: (str(indicator.max_points), "") for indicator in indicators},
    )
    for answer in assessment.answers.select_related("indicator"):
        if answer.indicator.evidence_required:
            answer.assessment = assessment
            evidence_add_url(
                answer=answer, actor=hoa.user, url="https://thuvien.example.vn/the-ban-doc"
            )
    assessment_submit(assessment=assessment, actor=hoa.user)
    return Assessment.objects.get(pk=assessment.pk)


def admin_login(page, base_url, username, password):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/admin/")


def test_branch_verifies_commune_recognises_citizen_sees_it(
    live_demo, desktop_page, phone_page, output_dir
):
    base = live_demo.url
    assessment = submitted_assessment_of_hoa()
    first = (
        Indicator.objects.filter(criterion__criteria_set=assessment.criteria_set)
        .order_by("criterion__sort_order", "sort_order")
        .first()
    )

    # The branch officer verifies, lowering one score with a comment.
    page = desktop_page
    admin_login(page, base, "branch_officer", "cdht-demo-branch")
    page.goto(f"{base}/admin/assessments/review/?status=submitted")
    page.screenshot(path=output_dir / "1-branch-queue.png", full_page=True)
    page.get_by_role("link", name="Nguyễn Thị Hoa").first.click()
    page.wait_for_url(re.compile(rf"/admin/assessments/review/{assessment.pk}/"))
    page.fill(f"#points-{first.pk}", str(first.max_points - 2))
    page.fill(f"#comment-{first.pk}", "Chưa có sổ ghi chép việc đọc sách hằng ngày")
    page.screenshot(path=output_dir / "2-branch-review.png", full_page=True)
    page.locator("button[name=action][value=verify]").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=output_dir / "3-branch-verified.png", full_page=True)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.VERIFIED
    assert assessment.verified_total == assessment.self_total - 2
    page.context.clear_cookies()

    # The commune officer recognises the verified assessments of the commune in bulk.
    admin_login(page, base, "commune_officer", "cdht-demo-commune")
    page.goto(f"{base}/admin/assessments/review/?status=verified")
    page.locator(f"input[data-object-id='{assessment.pk}']").check()
    page.screenshot(path=output_dir / "4-commune-queue-selected.png", full_page=True)
    page.locator("[data-bulk-action-footer]").get_by_role("link", name="Công nhận").click()
    page.wait_for_url(re.compile(r"/admin/bulk/assessments/assessment/recognise/"))
    page.fill("#id_number", "15/QĐ-KH")
    page.fill("#id_signer", "Nguyễn Văn Bình")
    page.screenshot(path=output_dir / "5-commune-decision.png", full_page=True)
    page.locator("form button[type=submit].button-primary").click()
    page.wait_for_url(re.compile(r"/admin/assessments/review/"))
    page.screenshot(path=output_dir / "6-commune-recognised.png", full_page=True)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RECOGNISED
    recognition = assessment.recognition
    assert recognition.decision.number == "15/QĐ-KH"

    # The citizen reads the notice on her phone, then finds her name on the commune's page.
    phone = phone_page
    phone.goto(f"{base}/accounts/login/?next=/assessments/")
    phone.fill("#id_username", HOA)
    phone.fill("#id_password", "cdht-demo-citizen")
    phone.locator("form button.button--primary").click()
    phone.wait_for_url(f"{base}/assessments/")
    notices = phone.locator(".notices__item")
    assert "15/QĐ-KH" in notices.first.inner_text()
    phone.screenshot(path=output_dir / "7-citizen-notice.png", full_page=True)

    listing = RecognitionListingPage.objects.get(area__code="10999", locale__language_code="vi")
    phone.goto(f"{base}{listing.url}{timezone.localdate().year}/?q=hoa")
    assert phone.get_by_text("Nguyễn Thị Hoa").first.is_visible()
    phone.screenshot(path=output_dir / "8-recognition-page.png", full_page=True)
