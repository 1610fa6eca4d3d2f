"""Smoke flow run inside a fresh `wagtail start` site (see scripts/plugin-smoke.sh).

Run with ``manage.py shell < plugin_smoke_flow.py`` and CDHT_CRITERIA_DIR set to the project's
fixtures/criteria folder. Uses only what a host site has: the installed apps, their URLs (over
HTTP with the test client), their services and management commands. Prints one line per step
and ends with "PLUGIN SMOKE OK"; any failure raises (non-zero exit).
"""

import datetime
import os
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import Page, Site

from assessments.demo import campaign_ensure_demo
from assessments.models import Assessment, AssessmentStatus, Recognition, RecognitionListingPage
from assessments.services.recognition import recognition_issue
from assessments.services.review import assessment_verify
from learning_units.models import Area, AreaLevel, Citizen, OfficerRole
from learning_units.officer_groups import officer_group_permissions

PASSWORD = "hoc-tap-suot-doi-2025"
# plugin-smoke.sh sets CDHT_BASE_TEMPLATE to a host template that adds this marker.
LAYOUT_MARKER = 'name="cdht-smoke-layout"'
NAME = "Nguyễn Thị Hoa"


def step(message):
    print(f"plugin smoke: {message}", flush=True)


def expect(response, status, what, layout=False):
    if response.status_code != status:
        body = response.content.decode(errors="replace")[:3000]
        raise SystemExit(f"{what}: HTTP {response.status_code}, expected {status}\n{body}")
    if layout and LAYOUT_MARKER not in response.content.decode():
        raise SystemExit(f"{what}: not rendered inside CDHT_BASE_TEMPLATE")
    return response


# 1. Area tree (central → province → commune → residential area) and two officers.
central = Area.objects.create(level=AreaLevel.CENTRAL, code="VN", name="Việt Nam")
province = Area.objects.create(
    level=AreaLevel.PROVINCE, code="P01", name="Tỉnh Thử", division_type="tỉnh", parent=central
)
commune = Area.objects.create(
    level=AreaLevel.COMMUNE, code="C0001", name="Xã Thử", division_type="xã", parent=province
)
hamlet = Area.objects.create(
    level=AreaLevel.RESIDENTIAL, code="R0001", name="Thôn Một", division_type="thôn", parent=commune
)
User = get_user_model()
branch_officer = User.objects.create_user("branch", password=PASSWORD)
commune_officer = User.objects.create_user("commune", password=PASSWORD)
OfficerRole.objects.create(user=branch_officer, area=hamlet, role="branch")
OfficerRole.objects.create(user=commune_officer, area=commune, role="commune")
step("areas and officers created")

# 2. Criteria set from the project's fixtures, and this year's campaign.
# The three citizen sets (one per target group): the campaign needs one for each group.
call_command(
    "load_criteria", *sorted(Path(os.environ["CDHT_CRITERIA_DIR"]).glob("cong-dan-nhom-*.json"))
)
campaign = campaign_ensure_demo()
step(f"criteria loaded, campaign {campaign.year} open")

# 3. A citizen registers and logs in over HTTP.
client = Client()
expect(client.get("/accounts/register/"), 200, "register page", layout=True)
birth_year = 1990
citizen_id = f"001{2 * ((birth_year - 1900) // 100) + 1}{birth_year % 100:02d}000123"
expect(
    client.post(
        "/accounts/register/",
        {
            "citizen_id": citizen_id,
            "full_name": NAME,
            "gender": "female",
            "birth_year": str(birth_year),
            "ethnicity": "Kinh",
            "religion": "Không",
            "province": str(province.pk),
            "commune": str(commune.pk),
            "residential_area": str(hamlet.pk),
            "target_group": "1",
            "occupation": "Nông dân",
            "phone": "0912 345 678",
            "email": "hoa@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent": "on",
        },
    ),
    302,
    "register",
)
citizen = Citizen.objects.get(citizen_id=citizen_id)
client.logout()
expect(client.get("/accounts/login/"), 200, "login page", layout=True)
expect(
    client.post("/accounts/login/", {"username": citizen_id, "password": PASSWORD}), 302, "log in"
)
step("citizen registered and logged in")

# 4. Self-assessment: start, fill every step (full points, a link where proof is required),
# submit.
expect(client.get(reverse("assessments:mine")), 200, "my assessments", layout=True)
expect(client.post(reverse("assessments:start")), 302, "start")
assessment = Assessment.objects.get(citizen=citizen)
criteria = list(assessment.criteria_set.criteria.order_by("sort_order"))
for number, criterion in enumerate(criteria, start=1):
    url = reverse("assessments:step", args=[assessment.pk, number])
    page = expect(client.get(url), 200, f"step {number}", layout=True).content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    data = {"revision": revision, "action": "next"}
    for indicator in criterion.indicators.all():
        data[f"points_{indicator.pk}"] = str(indicator.max_points)
        if indicator.evidence_required:
            data[f"url_{indicator.pk}"] = "https://example.com/proof"
    expect(client.post(url, data), 302, f"step {number} post")
expect(client.get(reverse("assessments:submit", args=[assessment.pk])), 200, "submit page")
expect(client.post(reverse("assessments:submit", args=[assessment.pk])), 302, "submit")
assessment.refresh_from_db()
assert assessment.status == AssessmentStatus.SUBMITTED, assessment.status
step(f"assessment submitted ({assessment.self_total} points)")

# 5. The admin menus: the branch officer (in the officer groups the app sets up) sees the
# submitted assessment in the review queue of the Wagtail admin.
groups = officer_group_permissions()
branch_officer.groups.add(groups["branch"])
commune_officer.groups.add(groups["commune"])
officer_client = Client()
officer_client.force_login(branch_officer)
expect(officer_client.get(reverse("wagtailadmin_home")), 200, "admin dashboard")
queue = expect(
    officer_client.get(reverse("assessment_review:index"), {"status": "submitted"}),
    200,
    "review queue",
).content.decode()
assert NAME in queue, "the submitted assessment is not in the officer's review queue"
step("review queue in the Wagtail admin lists the assessment")

# 6. Officers verify and recognise through the services.
assessment_verify(assessment=assessment, officer=branch_officer)
assessment.refresh_from_db()
assert assessment.status == AssessmentStatus.VERIFIED, assessment.status
recognition_issue(
    assessments=[assessment],
    officer=commune_officer,
    number="1/QĐ-SMOKE",
    decided_on=timezone.localdate(),
    signer="Chủ tịch Hội",
    issuing_area=commune,
)
recognition = Recognition.objects.get(assessment=assessment)
step(f"verified and recognised: certificate {recognition.certificate_number}")

# 7. A recognition listing page under the host's home page shows the name.
home = Site.objects.get(is_default_site=True).root_page
listing = home.add_child(
    instance=RecognitionListingPage(title="Recognitions", slug="recognitions", area=commune)
)
listing.save_revision().publish()
listing = Page.objects.get(pk=listing.pk).specific
response = expect(Client().get(listing.url), 200, "listing page", layout=True)
assert NAME in response.content.decode(), "the recognised name is not on the listing page"
step(f"listing page {listing.url} shows {NAME}")

# 8. The public verification page, where the certificates feature provides one.
code = getattr(recognition, "verification_code", "")
try:
    verify_url = reverse("assessments:verify", args=[code]) if code else None
except NoReverseMatch:
    verify_url = None
if verify_url:
    response = expect(Client().get(verify_url), 200, "verification page")
    if LAYOUT_MARKER not in response.content.decode():
        step("note: the verification page does not use CDHT_BASE_TEMPLATE")
    assert NAME in response.content.decode() or recognition.certificate_number in (
        response.content.decode()
    ), "the verification page does not show the recognition"
    step(f"verification page {verify_url} shows the recognition")
else:
    step("no verification page in this version (skipped)")

print(f"PLUGIN SMOKE OK {datetime.datetime.now(datetime.UTC):%H:%M:%S}", flush=True)
