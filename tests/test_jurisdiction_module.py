"""The one jurisdiction module (issue #17): its API, and that no other module matches on
`Area.path` by itself."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning_units import jurisdiction
from learning_units.models import Area, AreaLevel, Citizen, OfficerRole
from tests.factories import (
    CentralAreaFactory,
    CitizenFactory,
    CommuneFactory,
    OfficerRoleFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.factories.review import review_world_in_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Two provinces; the first with two communes, one of which has a branch."""
    central = CentralAreaFactory()
    province = ProvinceFactory(parent=central)
    other_province = ProvinceFactory(parent=central)
    commune = CommuneFactory(parent=province)
    other_commune = CommuneFactory(parent=province)
    far_commune = CommuneFactory(parent=other_province)
    branch = ResidentialAreaFactory(parent=commune)
    return {
        "central": central,
        "province": province,
        "other_province": other_province,
        "commune": commune,
        "other_commune": other_commune,
        "far_commune": far_commune,
        "branch": branch,
        "other_branch": ResidentialAreaFactory(parent=other_commune),
    }


def fresh(user):
    """The same account as a new request would load it (nothing cached on the object)."""
    return type(user).objects.get(pk=user.pk)


# --- paths ---------------------------------------------------------------------------------------


def test_paths_are_cut_and_compared_on_whole_segments():
    assert jurisdiction.path_level("VN/") == AreaLevel.CENTRAL
    assert jurisdiction.path_level("VN/31/10999/T01/") == AreaLevel.RESIDENTIAL
    assert jurisdiction.parent_path("VN/31/10999/T01/") == "VN/31/10999/"
    assert jurisdiction.parent_path("VN/") == ""
    assert jurisdiction.ancestor_paths("VN/31/10999/") == ["VN/", "VN/31/", "VN/31/10999/"]
    assert jurisdiction.path_is_under("VN/31/10999/", "VN/31/")
    assert jurisdiction.path_is_under("VN/31/", "VN/31/")
    assert not jurisdiction.path_is_under("VN/310/", "VN/31/")
    assert not jurisdiction.path_is_under("VN/", "VN/31/")
    assert jurisdiction.top_paths(["VN/31/1/", "VN/31/", "VN/40/", "VN/31/"]) == [
        "VN/31/",
        "VN/40/",
    ]


def test_role_levels_name_the_level_of_each_role():
    assert jurisdiction.ROLE_LEVELS == {
        OfficerRole.Role.CENTRAL: AreaLevel.CENTRAL,
        OfficerRole.Role.PROVINCE: AreaLevel.PROVINCE,
        OfficerRole.Role.COMMUNE: AreaLevel.COMMUNE,
        OfficerRole.Role.BRANCH: AreaLevel.RESIDENTIAL,
    }


def test_under_selects_a_chosen_areas_subtree_whoever_asks(tree):
    subtree = set(Area.objects.filter(jurisdiction.under("path", tree["commune"].path)))
    assert subtree == {tree["commune"], tree["branch"]}


# --- who covers what -----------------------------------------------------------------------------


def test_a_superuser_covers_everything(tree):
    admin = UserFactory(is_superuser=True, is_staff=True)

    assert jurisdiction.is_officer(admin)
    assert jurisdiction.top_level(admin) == AreaLevel.CENTRAL
    assert jurisdiction.spans_several_provinces(admin)
    assert jurisdiction.covers(admin, tree["far_commune"])
    assert jurisdiction.covers_path(admin, "anything/")
    assert jurisdiction.scope(Area.objects.all(), admin, "path").count() == Area.objects.count()


def test_an_officer_with_two_roles_covers_both_subtrees_and_nothing_else(tree):
    officer = UserFactory()
    OfficerRoleFactory(user=officer, area=tree["commune"])
    OfficerRoleFactory(user=officer, area=tree["far_commune"])

    assert jurisdiction.is_officer(officer)
    assert [held.role for held in jurisdiction.officer_roles(officer)] == ["commune", "commune"]
    assert jurisdiction.area_paths(officer) == sorted(
        [tree["commune"].path, tree["far_commune"].path]
    )
    assert jurisdiction.top_level(officer) == AreaLevel.COMMUNE
    assert jurisdiction.spans_several_provinces(officer)
    assert jurisdiction.covers(officer, tree["branch"])
    assert jurisdiction.covers(officer, tree["far_commune"])
    assert not jurisdiction.covers(officer, tree["other_commune"])
    assert not jurisdiction.covers(officer, tree["province"])
    assert set(jurisdiction.scope(Area.objects.all(), officer, "path")) == {
        tree["commune"],
        tree["branch"],
        tree["far_commune"],
    }


def test_a_role_inside_another_adds_nothing_to_the_filter(tree):
    officer = UserFactory()
    OfficerRoleFactory(user=officer, area=tree["province"])
    OfficerRoleFactory(user=officer, area=tree["commune"])

    assert str(jurisdiction.q(officer)).count("startswith") == 1
    assert jurisdiction.top_level(officer) == AreaLevel.PROVINCE
    assert not jurisdiction.spans_several_provinces(officer)


def test_roles_can_be_narrowed_to_some_of_them(tree):
    officer = UserFactory()
    OfficerRoleFactory(user=officer, area=tree["province"])
    OfficerRoleFactory(user=officer, area=tree["far_commune"])
    provincial = (OfficerRole.Role.PROVINCE,)

    assert jurisdiction.area_paths(officer, roles=provincial) == [tree["province"].path]
    assert not jurisdiction.covers(officer, tree["far_commune"], roles=provincial)
    assert jurisdiction.covering_roles(officer, tree["branch"].path) == {"province"}


def test_a_branch_officer_covers_their_branch_only(tree):
    officer = UserFactory()
    OfficerRoleFactory(user=officer, area=tree["branch"])
    inside = CitizenFactory(area=tree["branch"])
    CitizenFactory(area=tree["other_branch"])

    assert jurisdiction.top_level(officer) == AreaLevel.RESIDENTIAL
    assert not jurisdiction.spans_several_provinces(officer)
    assert jurisdiction.covers(officer, tree["branch"])
    assert not jurisdiction.covers(officer, tree["commune"])
    assert not jurisdiction.covers(officer, tree["other_branch"])
    assert list(jurisdiction.scope(Citizen.objects.all(), officer)) == [inside]


@pytest.mark.parametrize("make_user", [UserFactory, AnonymousUser], ids=["citizen", "visitor"])
def test_a_user_without_a_role_covers_nothing(tree, make_user):
    user = make_user()
    CitizenFactory(area=tree["branch"])

    assert jurisdiction.officer_roles(user) == ()
    assert not jurisdiction.is_officer(user)
    assert jurisdiction.top_level(user) is None
    assert not jurisdiction.spans_several_provinces(user)
    assert not jurisdiction.covers(user, tree["branch"])
    assert not jurisdiction.scope(Citizen.objects.all(), user).exists()


def test_the_roles_are_read_once_per_user_object(tree, django_assert_num_queries):
    officer = UserFactory()
    OfficerRoleFactory(user=officer, area=tree["commune"])
    OfficerRoleFactory(user=officer, area=tree["far_commune"])
    officer = fresh(officer)

    with django_assert_num_queries(1):
        jurisdiction.officer_roles(officer)
        jurisdiction.area_paths(officer)
        jurisdiction.is_officer(officer)
        jurisdiction.top_level(officer)
        jurisdiction.spans_several_provinces(officer)
        jurisdiction.q(officer, "area__path")
        jurisdiction.scope(Citizen.objects.all(), officer)  # built, not evaluated
        for _ in range(50):
            jurisdiction.covers(officer, tree["branch"])
            jurisdiction.covers_path(officer, tree["other_branch"].path)


ROLES_QUERY = re.compile(r'FROM "learning_units_officerrole".*"user_id" = (\d+)', re.S)


@pytest.mark.parametrize("url_name", ["wagtailadmin_home", "assessment_review:index"])
def test_an_admin_page_reads_the_officers_roles_once(client, url_name):
    world = review_world_in_admin()
    officer = world.officers["commune"]
    client.force_login(officer)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(url_name)).status_code == 200

    reads = [q["sql"] for q in queries if ROLES_QUERY.search(q["sql"] or "")]
    own = [sql for sql in reads if ROLES_QUERY.search(sql).group(1) == str(officer.pk)]
    assert len(own) == 1, own


# --- nothing else matches on Area.path ------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ["learning_units", "assessments", "reports", "audit", "home", "cdht_wagtail"]
OWNER = ROOT / "learning_units" / "jurisdiction.py"
# Prefix matching on a path: a lookup (also built as f"{field}__startswith") or str.startswith.
PATH_MATCH = re.compile(r"path__i?startswith|\}__i?startswith|path\.startswith\(")
# Wagtail's page tree has a materialised path too, and URLs have paths: such lines say so.
NOT_AN_AREA = "# not an area path"


def path_matches_outside_the_module():
    found = []
    for folder in SCANNED:
        for source in sorted((ROOT / folder).rglob("*.py")):
            relative = source.relative_to(ROOT).as_posix()
            if source == OWNER or "/migrations/" in relative or "/tests/" in relative:
                continue
            for number, line in enumerate(source.read_text().splitlines(), 1):
                if PATH_MATCH.search(line) and NOT_AN_AREA not in line:
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_module_but_jurisdiction_matches_on_area_paths():
    assert path_matches_outside_the_module() == []


def test_the_scan_sees_the_kinds_of_matching_it_forbids():
    for line in (
        "Citizen.objects.filter(area__path__startswith=area.path)",
        'Area.objects.filter(path__istartswith="VN/")',
        'queryset.filter(**{f"{self.path_field}__startswith": value.path})',
        'query |= Q(**{f"{field}__startswith": path})',
        "if assessment.area.path.startswith(issuing_area.path):",
    ):
        assert PATH_MATCH.search(line), line
    assert not PATH_MATCH.search('if request.path_info.startswith("/admin/"):')
