"""Every URL the project defines × every role: who may open it and who may not.

The table below names, for each URL of the project (public site, citizen pages, officers'
admin screens, exports, evidence files, APIs), who is let in. The test requests each URL as
each role, with objects that belong to citizen A in village X, and compares. A URL the project
adds without an entry here fails `test_every_project_url_has_an_entry`: decide who may see it.

Wagtail's own admin screens (pages, images, users…) are Wagtail's responsibility and are left
out; every admin screen of our apps, and every URL outside /admin/, is in.
"""

import copy
import datetime
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.certificates import keys
from assessments.models import Assessment, AssessmentStatus, CertificateBatch, QueueExport
from assessments.services.evidence import evidence_add_file
from learning_units.models import (
    CourseCompletion,
    LearnerMapping,
    LmsSource,
    OfficerRole,
    PendingCompletion,
)
from learning_units.officer_groups import officer_group_permissions
from reports.models import AreaPopulation, Target
from tests.factories import (
    CitizenFactory,
    CommuneFactory,
    LearningUnitFactory,
    OfficerRoleFactory,
    ProvinceFactory,
    UserFactory,
)
from tests.factories.assessments import CampaignFactory
from tests.factories.review import make_assessment, review_world

ROLES = [
    "anonymous",
    "citizen_a",
    "citizen_b",
    "branch_x",
    "branch_y",
    "commune",
    "province_other",
    "editor",
    "superuser",
]
OFFICERS = {"branch_x", "branch_y", "commune", "province_other"}
ALL = set(ROLES)
# Who is let in, by kind of URL.
PUBLIC = ALL
LOGGED_IN = ALL - {"anonymous"}
OWNER_A = {"citizen_a", "branch_x", "commune", "superuser"}  # A's own, and A's officers
JURISDICTION_X = {"branch_x", "commune", "superuser"}  # admin objects of village X
MANAGERS_X = {"commune", "superuser"}  # what branch officers may not change
MANAGERS = {"commune", "province_other", "superuser"}  # may create areas and roles (their own)
PROVINCE_LEVEL = {"province_other", "superuser"}  # LMS connections are set up by provinces
ANY_OFFICER = OFFICERS | {"superuser"}
ADMIN_USERS = OFFICERS | {"editor", "superuser"}
SUPERUSER = {"superuser"}
NOBODY = set()

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def ours(path, name):
    """Project-defined: everything outside /admin/, and admin screens of our apps."""
    if not path.startswith("admin/"):
        return True
    return bool(name) and not name.startswith(("wagtail", "simple_translation"))


def project_urls():
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                yield prefix + str(pattern.pattern), namespace + (pattern.name or "")

    return {name or path for path, name in walk(get_resolver().url_patterns) if ours(path, name)}


# name → (method, who is let in, how to build the URL from the world `w`)
def viewset(namespace, obj, *, index=ANY_OFFICER, view=JURISDICTION_X, change=JURISDICTION_X,
            add=ANY_OFFICER, delete=MANAGERS_X, extra=None):  # fmt: skip
    """The standard screens of one of our admin viewsets."""
    entries = {
        f"{namespace}:index": ("get", index, lambda w: reverse(f"{namespace}:index")),
        f"{namespace}:index_results": (
            "get",
            index,
            lambda w: reverse(f"{namespace}:index_results"),
        ),
        f"{namespace}:add": ("get", add, lambda w: reverse(f"{namespace}:add")),
    }
    for action, allowed in (
        ("edit", change),
        ("delete", delete),
        ("history", change),  # Wagtail asks for the change permission on these
        ("history_results", change),
        ("usage", change),
        ("inspect", view),
        ("copy", add & view),
    ):
        entries[f"{namespace}:{action}"] = (
            "get",
            allowed,
            lambda w, action=action: reverse(f"{namespace}:{action}", args=[obj(w).pk]),
        )
    entries.update(extra or {})
    return entries


MATRIX = {
    # --- Public site ---
    "healthz": ("get", PUBLIC, lambda w: "/healthz/"),
    "robots_txt": ("get", PUBLIC, lambda w: "/robots.txt"),
    "sitemap": ("get", PUBLIC, lambda w: "/sitemap.xml"),
    "service_worker": ("get", PUBLIC, lambda w: "/sw.js"),
    "manifest": ("get", PUBLIC, lambda w: "/manifest.webmanifest"),
    "search": ("get", PUBLIC, lambda w: "/search/?q=hoc"),
    "wagtail_serve": ("get", PUBLIC, lambda w: "/"),
    "set_language": ("post", PUBLIC, lambda w: "/i18n/setlang/"),
    "wagtaildocs_serve": ("get", NOBODY, lambda w: "/documents/999999/none.pdf"),
    "wagtaildocs_authenticate_with_password": (
        "get",
        NOBODY,
        lambda w: "/documents/authenticate_with_password/999999/",
    ),
    "wagtailcore_authenticate_with_password": (
        "get",
        NOBODY,
        lambda w: "/_util/authenticate_with_password/999999/999999/",
    ),
    "wagtailcore_login": ("get", PUBLIC, lambda w: "/_util/login/"),
    # --- Accounts ---
    "login": ("get", PUBLIC, lambda w: reverse("login")),
    "logout": ("post", PUBLIC, lambda w: reverse("logout")),
    "learning_units:register": ("get", PUBLIC, lambda w: reverse("learning_units:register")),
    "learning_units:courses": ("get", LOGGED_IN, lambda w: reverse("learning_units:courses")),
    "learning_units:area_children": (
        "get",
        PUBLIC,
        lambda w: reverse("learning_units:area_children", args=[w.commune.pk]),
    ),
    "learning_units:password_change": (
        "get",
        LOGGED_IN,
        lambda w: reverse("learning_units:password_change"),
    ),
    "learning_units:password_reset": (
        "get",
        PUBLIC,
        lambda w: reverse("learning_units:password_reset"),
    ),
    "learning_units:password_reset_done": (
        "get",
        PUBLIC,
        lambda w: reverse("learning_units:password_reset_done"),
    ),
    "learning_units:password_reset_confirm": (
        "get",
        PUBLIC,  # an invalid link: everybody gets the same "this link is no longer valid" page
        lambda w: reverse("learning_units:password_reset_confirm", args=["MQ", "bad-token"]),
    ),
    "learning_units:password_reset_complete": (
        "get",
        PUBLIC,
        lambda w: reverse("learning_units:password_reset_complete"),
    ),
    # --- The citizen's self-assessment ---
    "assessments:mine": ("get", LOGGED_IN, lambda w: reverse("assessments:mine")),
    # Without a citizen profile (and no unit or citizen named) there is nothing to start: 404.
    "assessments:start": (
        "post",
        {"citizen_a", "citizen_b"},
        lambda w: reverse("assessments:start"),
    ),
    "assessments:overview": (
        "get",
        OWNER_A,
        lambda w: reverse("assessments:overview", args=[w.assessment_a.pk]),
    ),
    "assessments:step": (
        "get",
        OWNER_A,
        lambda w: reverse("assessments:step", args=[w.draft_a.pk, 1]),
    ),
    "assessments:autosave": (
        "post",
        {"citizen_a", "branch_x", "commune", "superuser"},
        lambda w: reverse("assessments:autosave", args=[w.draft_a.pk, 1]),
    ),
    "assessments:all_parts": (
        "get",
        OWNER_A,
        lambda w: reverse("assessments:all_parts", args=[w.draft_a.pk]),
    ),
    "assessments:autosave_all": (
        "post",
        {"citizen_a", "branch_x", "commune", "superuser"},
        lambda w: reverse("assessments:autosave_all", args=[w.draft_a.pk]),
    ),
    "assessments:submit": (
        "get",
        OWNER_A,
        lambda w: reverse("assessments:submit", args=[w.draft_a.pk]),
    ),
    "assessments:evidence": (
        "get",
        OWNER_A,
        lambda w: reverse("assessments:evidence", args=[w.evidence_a.pk]),
    ),
    "assessments:notices_read": ("post", LOGGED_IN, lambda w: reverse("assessments:notices_read")),
    "assessments:on_behalf": ("get", ANY_OFFICER, lambda w: reverse("assessments:on_behalf")),
    "assessments:on_behalf_citizen": (
        "get",
        JURISDICTION_X,
        lambda w: reverse("assessments:on_behalf_citizen", args=[w.citizen_a.pk]),
    ),
    # --- LMS API (token-authenticated: no session user gets in) ---
    "learning_units_api:lms_completions": (
        "post",
        NOBODY,
        lambda w: reverse("learning_units_api:lms_completions"),
    ),
    # --- xAPI (HTTP Basic with a source's token: no session user gets in; /about is public) ---
    "xapi:statements": ("post", NOBODY, lambda w: reverse("xapi:statements")),
    "xapi:about": ("get", PUBLIC, lambda w: reverse("xapi:about")),
    # --- Officers' admin: people and areas ---
    **viewset(
        "learning_units_citizens",
        lambda w: w.citizen_a,
        delete=MANAGERS_X,
        extra={
            "learning_units_citizens:one_time_password": (
                "get",
                JURISDICTION_X,
                lambda w: reverse(
                    "learning_units_citizens:one_time_password", args=[w.citizen_a.pk]
                ),
            ),
        },
    ),
    **viewset("learning_units_units", lambda w: w.unit_x),
    **viewset(
        "learning_units_areas",
        lambda w: w.village_x,
        change=MANAGERS_X,
        add=MANAGERS,
        view=JURISDICTION_X,
    ),
    **viewset(
        "learning_units_roles",
        lambda w: w.role_x,
        change=MANAGERS_X,
        add=MANAGERS,
        view=JURISDICTION_X,
    ),
    # Completions come from the LMSs and the site: they are only looked at, by anybody.
    **viewset(
        "learning_units_completions",
        lambda w: w.completion_a,
        add=NOBODY,
        change=NOBODY,
        delete=NOBODY,
    ),
    **viewset(
        "learning_units_lms_sources",
        lambda w: w.lms_source,  # of the province above X: no province officer of it here
        index=PROVINCE_LEVEL,
        view=SUPERUSER,
        change=SUPERUSER,
        add=PROVINCE_LEVEL,
        delete=NOBODY,  # deactivated, never deleted: completions name their source
        extra={
            "learning_units_lms_sources:rotate_token": (
                "get",
                SUPERUSER,
                lambda w: reverse(
                    "learning_units_lms_sources:rotate_token", args=[w.lms_source.pk]
                ),
            ),
        },
    ),
    **viewset(
        "learning_units_learner_mappings",
        lambda w: w.mapping_a,
        index=PROVINCE_LEVEL,
        view=SUPERUSER,
        change=SUPERUSER,
        add=PROVINCE_LEVEL,
        delete=SUPERUSER,
    ),
    **viewset(
        "learning_units_pending_completions",
        lambda w: w.pending,  # reported to the province of X: no province officer of it here
        index=ANY_OFFICER,  # the list opens for every officer, with only their area's rows
        view=SUPERUSER,
        change=NOBODY,  # read-only: a pending completion changes only by a new report
        add=NOBODY,
        delete=NOBODY,
    ),
    "learning_units_citizen_chooser:choose": (
        "get",
        ANY_OFFICER,
        lambda w: reverse("learning_units_citizen_chooser:choose"),
    ),
    "learning_units_citizen_chooser:choose_results": (
        "get",
        ANY_OFFICER,
        lambda w: reverse("learning_units_citizen_chooser:choose_results"),
    ),
    "learning_units_citizen_chooser:chosen": (
        "get",
        JURISDICTION_X,
        lambda w: reverse("learning_units_citizen_chooser:chosen", args=[w.citizen_a.pk]),
    ),
    "learning_units_citizen_chooser:chosen_multiple": (
        "get",
        ANY_OFFICER,
        lambda w: reverse("learning_units_citizen_chooser:chosen_multiple") + f"?id={0}",
    ),
    "learning_units_citizen_chooser:create": (
        "get",
        NOBODY,  # no creation form: citizens are added in their own admin screen
        lambda w: reverse("learning_units_citizen_chooser:create"),
    ),
    # --- Imports and exports of personal data ---
    "learning_units_imports:index": (
        "get",
        ANY_OFFICER,
        lambda w: reverse("learning_units_imports:index"),
    ),
    "learning_units_imports:template": (
        "get",
        ANY_OFFICER,
        lambda w: reverse("learning_units_imports:template", args=["citizens"]),
    ),
    "learning_units_imports:export": (
        "get",
        ANY_OFFICER,  # each gets the rows of their own subtree (tested in test_imports)
        lambda w: reverse("learning_units_imports:export", args=["citizens", "csv"]),
    ),
    "learning_units_imports:preview": (
        "get",
        NOBODY,  # a token of nobody's upload
        lambda w: reverse("learning_units_imports:preview", args=[uuid.uuid4().hex]),
    ),
    "learning_units_imports:apply": (
        "post",
        NOBODY,
        lambda w: reverse("learning_units_imports:apply", args=[uuid.uuid4().hex]),
    ),
    "learning_units_imports:errors": (
        "get",
        NOBODY,
        lambda w: reverse("learning_units_imports:errors", args=[uuid.uuid4().hex]),
    ),
    "learning_units_imports:unknown_learners": (
        "get",
        NOBODY,  # an import's own: nobody else's token finds it
        lambda w: reverse("learning_units_imports:unknown_learners", args=[uuid.uuid4().hex]),
    ),
    # --- Criteria sets and campaigns ---
    **viewset(
        "criteria_sets",
        lambda w: w.criteria_set,
        index=SUPERUSER,
        view=SUPERUSER,
        change=SUPERUSER,
        add=SUPERUSER,
        delete=SUPERUSER,
        extra={
            name: ("get", SUPERUSER, build)
            for name, build in {
                "criteria_sets:new_version": lambda w: reverse(
                    "criteria_sets:new_version", args=[w.criteria_set.pk]
                ),
                "criteria_sets:compare": lambda w: reverse("criteria_sets:compare"),
                "criteria_sets:export": lambda w: reverse(
                    "criteria_sets:export", args=[w.criteria_set.pk]
                ),
                "criteria_sets:import": lambda w: reverse("criteria_sets:import"),
                "criteria_sets:translate": lambda w: reverse(
                    "criteria_sets:translate", args=[w.criteria_set.pk]
                ),
            }.items()
        },
    ),
    **viewset(
        "campaigns",
        lambda w: w.campaign,
        index=SUPERUSER,
        view=SUPERUSER,
        change=SUPERUSER,
        add=SUPERUSER,
        delete=SUPERUSER,
    ),
    # --- Review and recognition ---
    **viewset(
        "assessment_review",
        lambda w: w.assessment_a,
        add=NOBODY,
        change=NOBODY,
        delete=NOBODY,
        extra={
            "assessment_review:review": (
                "get",
                JURISDICTION_X,
                lambda w: reverse("assessment_review:review", args=[w.assessment_a.pk]),
            ),
            "assessment_review:evidence": (
                "get",
                JURISDICTION_X,
                lambda w: reverse("assessment_review:evidence", args=[w.evidence_a.pk]),
            ),
            "assessment_review:export_job": (
                "get",
                {"commune"},  # the officer who asked for the export, no one else
                lambda w: reverse("assessment_review:export_job", args=[w.queue_export.pk]),
            ),
            "assessment_review:export_download": (
                "get",
                NOBODY,  # still queued: nothing to download yet
                lambda w: reverse("assessment_review:export_download", args=[w.queue_export.pk]),
            ),
        },
    ),
    # --- Certificates, verification, Open Badges (issue 8) ---
    "assessments:certificate": (
        "get",
        {"citizen_a"},  # the citizen's own; officers download from the admin
        lambda w: reverse("assessments:certificate", args=[w.recognition_a.pk]),
    ),
    "assessments:my_badge": (
        "get",
        {"citizen_a"},  # the citizen's own badge picture, like the certificate
        lambda w: reverse("assessments:my_badge", args=[w.recognition_a.pk]),
    ),
    "assessments:badge_image": (
        "get",
        PUBLIC,
        lambda w: reverse("assessments:badge_image", args=[w.recognition_a.verification_code]),
    ),
    "assessments:verify": (
        "get",
        PUBLIC,
        lambda w: reverse("assessments:verify", args=[w.recognition_a.verification_code]),
    ),
    "assessments:badge_assertion": (
        "get",
        PUBLIC,
        lambda w: reverse("assessments:badge_assertion", args=[w.recognition_a.verification_code]),
    ),
    "assessments:badge_class": (
        "get",
        PUBLIC,
        lambda w: reverse("assessments:badge_class", args=[w.commune.pk, "citizen"]),
    ),
    "assessments:badge_issuer": (
        "get",
        PUBLIC,
        lambda w: reverse("assessments:badge_issuer", args=[w.commune.pk]),
    ),
    # --- Open Badges 3.0 (issue 21) ---
    "assessments:my_credential": (
        "get",
        {"citizen_a"},  # the citizen's own signed credential
        lambda w: reverse("assessments:my_credential", args=[w.recognition_a.pk, "jwt"]),
    ),
    "assessments:credential": (
        "get",
        PUBLIC,  # by the unguessable verification code, like the verification page
        lambda w: reverse(
            "assessments:credential", args=[w.recognition_a.verification_code, "jwt"]
        ),
    ),
    "assessments:status_list": (
        "get",
        PUBLIC,
        lambda w: reverse("assessments:status_list", args=[0]),
    ),
    "assessments:jwks": ("get", PUBLIC, lambda w: reverse("assessments:jwks")),
    "assessments:issuer_key": (
        "get",
        PUBLIC,  # one public key, what a credential's kid names
        lambda w: reverse("assessments:issuer_key", args=[keys.active_key().kid]),
    ),
    "assessments:verify_offline": ("get", PUBLIC, lambda w: reverse("assessments:verify_offline")),
    "assessments_certificates:decisions": (
        "get",
        ANY_OFFICER,
        lambda w: reverse("assessments_certificates:decisions"),
    ),
    "assessments_certificates:certificate": (
        "get",
        JURISDICTION_X,
        lambda w: reverse("assessments_certificates:certificate", args=[w.recognition_a.pk]),
    ),
    "assessments_certificates:decision_zip": (
        "get",
        MANAGERS_X,  # the commune's decision
        lambda w: reverse("assessments_certificates:decision_zip", args=[w.decision.pk]),
    ),
    "assessments_certificates:batch_start": (
        "post",
        MANAGERS_X,
        lambda w: reverse("assessments_certificates:batch_start", args=[w.decision.pk]),
    ),
    "assessments_certificates:decision_close": (
        "post",
        MANAGERS_X,  # the commune's decision: its officers (and superusers) close it
        lambda w: reverse("assessments_certificates:decision_close", args=[w.decision.pk]),
    ),
    "assessments_certificates:batch": (
        "get",
        MANAGERS_X,
        lambda w: reverse("assessments_certificates:batch", args=[w.batch.pk]),
    ),
    "assessments_certificates:batch_download": (
        "get",
        NOBODY,  # still running: nothing to download yet
        lambda w: reverse("assessments_certificates:batch_download", args=[w.batch.pk]),
    ),
    "assessments_certificates:dossier": (
        "get",
        ANY_OFFICER,
        lambda w: reverse("assessments_certificates:dossier"),
    ),
    "assessments_certificates:dossier_download": (
        "get",
        MANAGERS_X,
        lambda w: reverse(
            "assessments_certificates:dossier_download", args=[w.campaign.pk, w.commune.pk, "xlsx"]
        ),
    ),
    # --- Reports (issue 9) ---
    "reports:index": ("get", ANY_OFFICER, lambda w: reverse("reports:index")),
    **{
        f"reports:{name}": (
            "get",
            MANAGERS_X,  # the commune's report: its officers and those above, not a village's
            lambda w, name=name: reverse(f"reports:{name}", args=[w.commune.pk]),
        )
        for name in ("area", "xlsx", "pdf")
    },
    **viewset(
        "report_targets",
        lambda w: w.target,
        index=SUPERUSER,
        view=SUPERUSER,
        change=SUPERUSER,
        add=SUPERUSER,
        delete=SUPERUSER,
    ),
    **viewset(
        "area_populations",
        lambda w: w.population,
        index=SUPERUSER,
        view=SUPERUSER,
        change=SUPERUSER,
        add=SUPERUSER,
        delete=SUPERUSER,
    ),
    # --- Audit and data protection (issue 11) ---
    "audit:log": ("get", PROVINCE_LEVEL, lambda w: reverse("audit:log")),
    "learning_units:my_data": ("get", LOGGED_IN, lambda w: reverse("learning_units:my_data")),
    "learning_units:my_data_download": (
        "get",
        {"citizen_a", "citizen_b"},  # only a citizen profile has data to download
        lambda w: reverse("learning_units:my_data_download", args=["json"]),
    ),
    "learning_units_citizens:anonymise": (
        "get",
        MANAGERS_X,
        lambda w: reverse("learning_units_citizens:anonymise", args=[w.citizen_a.pk]),
    ),
}
# The viewsets without these screens.
for missing in (
    "learning_units_citizens:copy",
    "learning_units_completions:copy",
    "learning_units_lms_sources:inspect",
    "learning_units_lms_sources:copy",
    "learning_units_learner_mappings:inspect",
    "learning_units_learner_mappings:copy",
    "learning_units_pending_completions:copy",
    "campaigns:inspect",
    "campaigns:copy",
    "criteria_sets:copy",
    "assessment_review:inspect",
    "assessment_review:copy",
    "report_targets:inspect",
    "area_populations:inspect",
):
    MATRIX.pop(missing)


class World:
    pass


@pytest.fixture
def world(db):
    return build_world()


def build_world():
    """Village X and Y in one commune, another province; citizens A and B live in X."""
    review = review_world()
    groups = officer_group_permissions()
    w = World()
    w.commune = review.commune
    w.village_x, w.village_y = review.branch_area, review.other_branch_area
    w.criteria_set, w.campaign = review.criteria_set, review.campaign
    other_province = ProvinceFactory(name="Tỉnh khác")
    CommuneFactory(parent=other_province)
    users = {}
    for role, area, kind in (
        ("branch_x", w.village_x, OfficerRole.Role.BRANCH),
        ("branch_y", w.village_y, OfficerRole.Role.BRANCH),
        ("commune", w.commune, OfficerRole.Role.COMMUNE),
        ("province_other", other_province, OfficerRole.Role.PROVINCE),
    ):
        officer_role = OfficerRoleFactory(area=area, role=kind)
        officer_role.user.groups.add(groups[kind])
        users[role] = officer_role.user
        if role == "branch_x":
            w.role_x = officer_role
    users["editor"] = UserFactory()
    users["editor"].groups.add(Group.objects.get(name="Editors"))
    users["superuser"] = UserFactory(is_superuser=True, is_staff=True)
    w.citizen_a = CitizenFactory(user=UserFactory(), area=w.village_x, full_name="Công dân A")
    w.citizen_b = CitizenFactory(user=UserFactory(), area=w.village_x, full_name="Công dân B")
    users["citizen_a"], users["citizen_b"] = w.citizen_a.user, w.citizen_b.user
    w.users = users

    w.assessment_a = make_assessment(review, citizen=w.citizen_a, status=AssessmentStatus.DRAFT)
    answer = w.assessment_a.answers.first()
    answer.assessment = w.assessment_a
    w.evidence_a = evidence_add_file(
        answer=answer,
        actor=w.citizen_a.user,
        uploaded_file=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    )
    Assessment.objects.filter(pk=w.assessment_a.pk).update(status=AssessmentStatus.SUBMITTED)
    w.draft_a = w.assessment_a
    w.unit_x = LearningUnitFactory(area=w.village_x, head=w.citizen_a)
    w.completion_a = CourseCompletion.objects.create(
        citizen=w.citizen_a,
        course_title="Kỹ năng số",
        provider=CourseCompletion.Provider.SITE,
        completed_on=timezone.localdate() - datetime.timedelta(days=30),
        source=CourseCompletion.Source.SITE,
    )
    w.lms_source = LmsSource.objects.create(name="Moodle tỉnh", area=w.commune.parent)
    w.mapping_a = LearnerMapping.objects.create(
        source=w.lms_source, username="a", citizen=w.citizen_a
    )
    w.pending = PendingCompletion.objects.create(
        source=w.lms_source,
        matching=w.lms_source.matching,
        learner_key="chua-dang-ky@example.com",
        course_id="KNS-01",
        course_title="Kỹ năng số",
        completed_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    last_year = copy.copy(review)
    last_year.campaign = CampaignFactory(year=review.campaign.year - 1)
    recognised = make_assessment(last_year, citizen=w.citizen_a, status=AssessmentStatus.RECOGNISED)
    w.recognition_a = recognised.recognition
    w.decision = w.recognition_a.decision
    w.batch = CertificateBatch.objects.create(decision=w.decision, total=1)
    w.queue_export = QueueExport.objects.create(
        requested_by=users["commune"], file_format="csv", total=1
    )
    w.target = Target.objects.create(
        indicator=Target.objects.model._meta.get_field("indicator").choices[0][0],
        year=2030,
        value=70,
        area=w.commune.parent,
    )
    w.population = AreaPopulation.objects.create(area=w.commune, year=2026, adults=1000)
    return w


def outcome(response):
    """ "in" when the view let the user in, "out" when it refused (or sent them to log in)."""
    if response.status_code in (401, 403, 404, 405):
        return "out"
    if response.status_code in (301, 302):
        location = response["Location"]
        refused = "login" in location or location.rstrip("/").endswith("/admin")
        return "out" if refused else "in"
    return "in" if response.status_code < 500 else f"error {response.status_code}"


def test_every_project_url_has_an_entry():
    missing = sorted(project_urls() - set(MATRIX))
    assert not missing, f"URLs without an entry in the permission matrix: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role):
    wrong = []
    for name, (method, allowed, build) in sorted(MATRIX.items()):
        if role != "anonymous":  # again for every URL: the logout URL logs out
            client.force_login(world.users[role])
        url = build(world)
        response = getattr(client, method)(url)
        expected = "in" if role in allowed else "out"
        got = outcome(response)
        if got != expected:
            wrong.append(f"{name} {method.upper()} {url}: expected {expected}, got {got} "
                         f"({response.status_code} {response.get('Location', '')})")  # fmt: skip
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
