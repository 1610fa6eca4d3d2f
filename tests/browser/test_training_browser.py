"""A citizen studies Gia Lộc's training material on a phone: quiz, mark as studied, my courses,
then attaches the course as proof in her self-assessment with one tap."""

import pytest

from assessments.models import Assessment, Evidence, Indicator
from learning_units.models import CourseCompletion
from tests.browser.conftest import page_in_viewport
from tests.browser.test_site_browser import serious_violations

pytestmark = pytest.mark.browser

INDEX = "/hai-phong/gia-loc/tai-lieu-hoc-tap/"
MATERIAL = INDEX + "lap-ke-hoach-hoc-tap/"


@pytest.fixture
def phone(browser):
    """Like `phone_page` (390×844, vi-VN), but lets axe-core's injected script past the CSP."""
    context, page = page_in_viewport(browser, 390, 844, bypass_csp=True)
    yield page
    context.close()


def choose(page, number, choice):
    page.locator(".quiz").nth(number - 1).locator(".choice").nth(choice - 1).click()


def test_citizen_answers_the_quiz_and_finds_the_course(live_demo, phone, output_dir):
    page = phone
    page.goto(live_demo.url + INDEX + "?q=hoc+tap")
    cards = page.locator(".training-cards .link-card__title")
    assert cards.all_inner_texts() == ["Lập kế hoạch học tập của bản thân"]  # accents not needed
    page.goto(live_demo.url + INDEX)
    assert cards.count() == 3  # the commune's two and the national one
    assert serious_violations(page) == []
    page.screenshot(path=output_dir / "1-index.png", full_page=True)

    cards.get_by_text("Lập kế hoạch học tập của bản thân").click()
    page.wait_for_url(live_demo.url + MATERIAL)
    page.locator("#studied a.button").click()  # log in to have it recorded
    page.wait_for_url("**/accounts/login/?next=**")
    page.fill("#id_username", "citizen")
    page.fill("#id_password", "cdht-demo-citizen")
    page.locator("form button.button--primary").click()
    page.wait_for_url(live_demo.url + MATERIAL)
    assert serious_violations(page) == []

    choose(page, 1, 1)
    choose(page, 2, 2)  # wrong
    with page.expect_navigation():
        page.locator("#studied-form button").click()
    assert page.locator(".message--error").is_visible()
    assert page.locator(".quiz--wrong").count() == 1
    assert page.locator(".quiz").nth(1).locator("input").nth(1).is_checked()  # kept
    assert not CourseCompletion.objects.exists()
    page.locator(".quiz--wrong").scroll_into_view_if_needed()
    page.screenshot(path=output_dir / "2-wrong-answer.png")

    choose(page, 2, 3)
    with page.expect_navigation():
        page.locator("#studied-form button").click()
    assert page.locator(".message--success").is_visible()
    assert page.locator(".studied__done").is_visible()
    page.screenshot(path=output_dir / "3-studied.png")
    completion = CourseCompletion.objects.get()
    assert completion.provider == CourseCompletion.Provider.SITE
    assert completion.citizen.user.username == "citizen"

    page.locator("#studied").get_by_role("link").click()
    page.wait_for_url("**/accounts/courses/")
    assert page.get_by_text("Lập kế hoạch học tập của bản thân").is_visible()
    page.screenshot(path=output_dir / "4-my-courses.png", full_page=True)

    # The course is offered as proof on the indicator the material supports (1.2).
    page.goto(live_demo.url + "/assessments/")
    page.locator("form[action='/assessments/start/'] button").click()
    page.wait_for_url("**/step/1/")
    assessment = Assessment.objects.get(citizen=completion.citizen)
    indicator = Indicator.objects.get(criterion__criteria_set=assessment.criteria_set, code="1.2")
    attach = page.locator(f"button[name='course_{indicator.pk}'][value='{completion.pk}']")
    attach.scroll_into_view_if_needed()
    page.screenshot(path=output_dir / "5-suggested-in-self-assessment.png")
    with page.expect_navigation():
        attach.click()
    evidence = Evidence.objects.get(course_completion=completion)
    assert evidence.answer.indicator.code == "1.2"
    section = page.locator(f"#indicator-{indicator.pk}")
    assert "Lập kế hoạch học tập của bản thân" in section.locator(".sa-evidence").inner_text()
    section.scroll_into_view_if_needed()
    page.screenshot(path=output_dir / "6-attached.png")
