"""Smoke flow run inside a fresh `wagtail start` site (see scripts/plugin-smoke.sh).

Run with ``manage.py shell < plugin_smoke_flow.py`` after the README's steps (plugin-smoke.sh
has run `migrate`, `load_areas`, `load_criteria --national` and `import_data areas`). Does what a
host site's people do, the README's way: officers are users given an OfficerRole (as the admin's
"Officer roles" form does), everything else goes over HTTP with the test client — the citizen on
the site, the officers in the Wagtail admin (log-in form, review queue, verify, recognise under
a decision, reports). No internal function of the apps is called. Prints one line per step and
ends with "PLUGIN SMOKE OK"; any failure raises (non-zero exit).
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import Page, Site

from assessments.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    Recognition,
    RecognitionListingPage,
)
from learning_units.models import Area, AreaLevel, Citizen, OfficerRole

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


# 1. The official areas (`load_areas`) and the residential area imported by plugin-smoke.sh;
# three officers: a user with an OfficerRole each, as an administrator gives in the admin.
hamlet = Area.objects.get(level=AreaLevel.RESIDENTIAL, code__endswith="-SMOKE")
commune, province = hamlet.parent, hamlet.parent.parent
User = get_user_model()
branch_officer = User.objects.create_user("branch", password=PASSWORD)
commune_officer = User.objects.create_user("commune", password=PASSWORD)
province_officer = User.objects.create_user("province", password=PASSWORD)
OfficerRole.objects.create(user=branch_officer, area=hamlet, role="branch")
OfficerRole.objects.create(user=commune_officer, area=commune, role="commune")
OfficerRole.objects.create(user=province_officer, area=province, role="province")
step(f"officers of {hamlet.name}, {commune.name} and {province.name} created")

# 2. The national criteria sets and this year's campaign (`load_criteria --demo`, run by
# plugin-smoke.sh: the README's way to try the apps; a real host opens its campaign in the admin).
campaign = Campaign.objects.get(status=Campaign.Status.OPEN, year=timezone.localdate().year)
assert campaign.assigned_sets.count() == 3, "the national citizen sets are not all in the campaign"
step(f"national criteria sets loaded, campaign {campaign.year} open")

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
    assert "assessments/self_assessment" in page, "the step page's script is not loaded"
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


# 5. The branch officer logs into the Wagtail admin with the log-in form (their role put them
# in their group: no demo loader on a host), finds the assessment in the queue and verifies it.
def admin_login(user):
    officer = Client()
    response = officer.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD}
    )
    expect(response, 302, f"admin log-in of {user.username}")
    return officer


branch = admin_login(branch_officer)
expect(branch.get(reverse("wagtailadmin_home")), 200, "admin dashboard")
queue = expect(
    branch.get(reverse("assessment_review:index"), {"status": "submitted"}), 200, "review queue"
).content.decode()
assert NAME in queue, "the submitted assessment is not in the officer's review queue"
review_url = reverse("assessment_review:review", args=[assessment.pk])
expect(branch.get(review_url), 200, "review page")
expect(branch.post(review_url, {"action": "verify", "comment": ""}), 302, "verify")
assessment.refresh_from_db()
assert assessment.status == AssessmentStatus.VERIFIED, assessment.status
step("branch officer logged into the admin and verified the assessment from the queue")

# 6. The commune officer recognises it under a decision (the queue's bulk action).
commune_client = admin_login(commune_officer)
recognise = (
    reverse("wagtail_bulk_action", args=("assessments", "assessment", "recognise"))
    + f"?id={assessment.pk}"
)
expect(commune_client.get(recognise), 200, "recognise form")
expect(
    commune_client.post(
        recognise,
        {
            "number": "1/QĐ-SMOKE",
            "decided_on": timezone.localdate().isoformat(),
            "signer": "Chủ tịch Hội",
            "issuing_area": str(commune.pk),
        },
    ),
    302,
    "recognise",
)
recognition = Recognition.objects.get(assessment=assessment)
step(f"recognised in the admin: certificate {recognition.certificate_number}")

# The province officer reads the reports of their province.
province_client = admin_login(province_officer)
report = expect(province_client.get(reverse("reports:index")), 200, "reports").content.decode()
assert province.name in report, "the province report does not name the province"
step(f"province officer opened the report of {province.name}")

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
