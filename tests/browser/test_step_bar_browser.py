"""The totals bar of a step on a 390×844 phone: compact, and right after an error without typing."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import Indicator
from assessments.services.criteria import criteria_set_load
from tests.factories import CentralAreaFactory, CitizenFactory, ResidentialAreaFactory, UserFactory
from tests.factories.assessments import CampaignCriteriaSetFactory, CampaignFactory, sample_raw

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"  # the factories' password
BAR_MAX_PX = 100  # of the phone's 844: the answers keep the screen


@pytest.fixture
def citizen(transactional_db):
    today = timezone.localdate()
    central = CentralAreaFactory()
    criteria_set = criteria_set_load(raw=sample_raw("cong-dan-nhom-1")).criteria_set
    campaign = CampaignFactory(
        scope=central,
        year=today.year,
        opens_on=datetime.date(today.year, 1, 1),
        closes_on=datetime.date(today.year, 12, 31),
    )
    CampaignCriteriaSetFactory(campaign=campaign, criteria_set=criteria_set, target_group=1)
    return CitizenFactory(user=UserFactory(), area=ResidentialAreaFactory(), target_group=1)


def test_the_totals_bar_is_compact_and_right_after_an_error(
    live_server, citizen, phone_page, output_dir
):
    page = phone_page
    page.goto(f"{live_server.url}/assessments/")
    page.wait_for_url("**/accounts/login/?next=/assessments/")
    page.fill("#id_username", citizen.citizen_id)
    page.fill("#id_password", PASSWORD)
    page.locator("form button.button--primary").click()
    page.wait_for_url(f"{live_server.url}/assessments/")
    page.locator("form[action='/assessments/start/'] button").click()
    page.wait_for_url("**/step/1/")
    first, second = (Indicator.objects.get(code=code) for code in ("1.1", "1.2"))

    page.fill(f"#id_points_{first.pk}", "7,5")
    page.fill(f"#id_points_{second.pk}", str(second.max_points + 5))  # refused
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_selector(".form-errors")

    assert page.locator("[data-step-total]").inner_text() == "7,5"
    assert page.locator("[data-total]").inner_text() == "7,5"
    assert page.input_value(f"#id_points_{first.pk}") == "7,5"
    box = page.locator(".sa-bar").bounding_box()
    page.screenshot(path=output_dir / "step-error-bar.png")
    assert 44 <= box["height"] <= BAR_MAX_PX, box
    assert box["y"] + box["height"] <= 844 + 1  # stuck to the bottom of the screen
