"""The officer admin ("Learning citizens"): jurisdiction on every view, masking, search,
exports, query counts and the one-time password flow."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning_units.models import Area, AreaLevel, Citizen, OfficerRole
from learning_units.officer_groups import officer_group_permissions
from learning_units.text import search_key
from tests.factories import (
    CitizenFactory,
    CommuneFactory,
    LearningUnitFactory,
    OfficerRoleFactory,
    ResidentialAreaFactory,
    UserFactory,
    make_citizen_id,
)

CITIZENS = "learning_units_citizens"
UNITS = "learning_units_units"
AREAS = "learning_units_areas"
ROLES = "learning_units_roles"
CHOOSER = "learning_units_citizen_chooser"


def make_officer(area, role=None, *, in_group=True):
    """A user holding a role over `area`: the role puts them in its group
    (learning_units.officer_groups); `in_group=False` takes them out again, as an
    administrator may."""
    officer_role = OfficerRoleFactory(area=area, **({"role": role} if role else {}))
    if not in_group:
        officer_role.user.groups.clear()
    return officer_role.user


@pytest.fixture
def world(db):
    """Two communes of one province, each with a residential area, a citizen and a unit."""
    commune_a = CommuneFactory(name="Xã Gia Lộc")
    commune_b = CommuneFactory(name="Xã Thanh Hà", parent=commune_a.parent)
    hamlet_a = ResidentialAreaFactory(parent=commune_a, name="Thôn Phương Điếm")
    hamlet_b = ResidentialAreaFactory(parent=commune_b, name="Thôn Hà Tây")
    citizen_a = CitizenFactory(
        area=hamlet_a,
        full_name="Nguyễn Văn An",
        gender="male",
        birth_year=1985,
        citizen_id="031085004521",
    )
    citizen_b = CitizenFactory(area=hamlet_b, full_name="Trần Thị Bình", gender="female")
    unit_a = LearningUnitFactory(area=hamlet_a, name="Gia đình ông An", head=citizen_a)
    unit_a.members.add(citizen_a)
    unit_b = LearningUnitFactory(area=hamlet_b, name="Gia đình bà Bình", head=citizen_b)
    officer_a = make_officer(commune_a)
    officer_b = make_officer(commune_b)
    return {
        "commune_a": commune_a,
        "commune_b": commune_b,
        "hamlet_a": hamlet_a,
        "hamlet_b": hamlet_b,
        "citizen_a": citizen_a,
        "citizen_b": citizen_b,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "role_b": OfficerRole.objects.get(user=officer_b),
    }


@pytest.fixture
def officer_client(client, world):
    client.force_login(world["officer_a"])
    return client


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def url(namespace, view, *args):
    return reverse(f"{namespace}:{view}", args=args)


def assert_refused(response):
    """Wagtail answers PermissionDenied with a redirect to the dashboard and a message."""
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def citizen_form_data(area, **overrides):
    data = {
        "citizen_id": make_citizen_id(1990, "female", "030"),
        "full_name": "Lê Thị Cúc",
        "gender": "female",
        "birth_year": "1990",
        "area": str(area.pk),
        "target_group": "1",
        "ethnicity": "Kinh",
        "religion": "Không",
    }
    data.update(overrides)
    return data


# --- listings, search, masking -------------------------------------------------------------


def test_citizen_list_shows_only_the_officers_commune(officer_client, world):
    response = officer_client.get(url(CITIZENS, "index"))
    assert response.status_code == 200
    assert "Nguyễn Văn An" in response.content.decode()
    assert "Trần Thị Bình" not in response.content.decode()


def test_citizen_list_masks_the_citizen_id(officer_client, world):
    content = officer_client.get(url(CITIZENS, "index")).content.decode()
    assert "0310******21" in content
    assert "031085004521" not in content


def test_citizen_inspect_shows_the_full_id_to_the_areas_officer(officer_client, world):
    response = officer_client.get(url(CITIZENS, "inspect", world["citizen_a"].pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "031085004521" in content
    assert "Xã Gia Lộc" in content


def test_search_without_accents_finds_the_accented_name(officer_client, world):
    content = officer_client.get(url(CITIZENS, "index"), {"q": "Nguyen Van An"}).content.decode()
    assert "Nguyễn Văn An" in content


def test_search_results_view_is_accent_insensitive_and_scoped(client, world):
    CitizenFactory(area=world["hamlet_b"], full_name="Nguyễn Văn Ánh")
    client.force_login(world["officer_a"])
    content = client.get(url(CITIZENS, "index_results"), {"q": "nguyen van"}).content.decode()
    assert "Nguyễn Văn An" in content
    assert "Nguyễn Văn Ánh" not in content


def test_search_by_leading_id_digits_finds_the_citizen(officer_client, world):
    content = officer_client.get(url(CITIZENS, "index"), {"q": "0310 85"}).content.decode()
    assert "Nguyễn Văn An" in content


def test_citizen_list_filters_by_birth_year_range_and_gender(officer_client, world):
    CitizenFactory(
        area=world["hamlet_a"], full_name="Phạm Thị Dung", gender="female", birth_year=2001
    )
    content = officer_client.get(
        url(CITIZENS, "index"), {"birth_year_min": "2000", "gender": "female"}
    ).content.decode()
    assert "Phạm Thị Dung" in content
    assert "Nguyễn Văn An" not in content


def test_area_filter_offers_only_areas_of_the_jurisdiction(officer_client, world):
    response = officer_client.get(url(CITIZENS, "index"), {"area": world["hamlet_b"].pk})
    content = response.content.decode()
    assert "Thôn Hà Tây" not in content
    assert "Trần Thị Bình" not in content


def test_area_search_is_accent_insensitive(superuser_client, world):
    content = superuser_client.get(url(AREAS, "index"), {"q": "phuong diem"}).content.decode()
    assert "Thôn Phương Điếm" in content
    assert "Thôn Hà Tây" not in content


# --- exports -------------------------------------------------------------------------------


def test_csv_export_holds_the_jurisdiction_only_with_masked_ids(officer_client, world):
    response = officer_client.get(url(CITIZENS, "index"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in rows[1:]] == ["Nguyễn Văn An"]
    assert rows[1][1] == "0310******21"
    assert "031085004521" not in text
    assert "Nam" in rows[1] or "Male" in rows[1]  # a human label, not "male"


def test_xlsx_export_respects_the_search_and_masks_ids(officer_client, world):
    CitizenFactory(area=world["hamlet_a"], full_name="Lê Văn Cường")
    response = officer_client.get(url(CITIZENS, "index"), {"export": "xlsx", "q": "cuong"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Lê Văn Cường"]
    assert "*" in rows[1][1]


def test_superuser_export_holds_every_commune(superuser_client, world):
    response = superuser_client.get(url(CITIZENS, "index"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Nguyễn Văn An" in text and "Trần Thị Bình" in text


# --- jurisdiction on every object view -------------------------------------------------------

OBJECT_VIEWS = [
    (CITIZENS, "inspect", "citizen_b"),
    (CITIZENS, "edit", "citizen_b"),
    (CITIZENS, "delete", "citizen_b"),
    (CITIZENS, "history", "citizen_b"),
    (CITIZENS, "usage", "citizen_b"),
    (CITIZENS, "one_time_password", "citizen_b"),
    (UNITS, "inspect", "unit_b"),
    (UNITS, "edit", "unit_b"),
    (UNITS, "delete", "unit_b"),
    (UNITS, "history", "unit_b"),
    (UNITS, "copy", "unit_b"),
    (AREAS, "inspect", "hamlet_b"),
    (AREAS, "edit", "hamlet_b"),
    (AREAS, "delete", "hamlet_b"),
    (AREAS, "copy", "hamlet_b"),
    (AREAS, "history", "hamlet_b"),
    (AREAS, "usage", "hamlet_b"),
    (UNITS, "usage", "unit_b"),
    (ROLES, "copy", "role_b"),
    (ROLES, "inspect", "role_b"),
    (ROLES, "edit", "role_b"),
    (ROLES, "delete", "role_b"),
    (ROLES, "history", "role_b"),
]


@pytest.mark.parametrize(("namespace", "view", "row"), OBJECT_VIEWS)
def test_a_row_of_another_commune_is_not_found(officer_client, world, namespace, view, row):
    response = officer_client.get(url(namespace, view, world[row].pk))
    assert response.status_code == 404


@pytest.mark.parametrize(("namespace", "view", "row"), OBJECT_VIEWS)
def test_superuser_reaches_rows_of_every_commune(superuser_client, world, namespace, view, row):
    response = superuser_client.get(url(namespace, view, world[row].pk))
    assert response.status_code == 200


def test_posting_a_delete_of_another_communes_citizen_is_not_found(officer_client, world):
    response = officer_client.post(url(CITIZENS, "delete", world["citizen_b"].pk))
    assert response.status_code == 404
    assert Citizen.objects.filter(pk=world["citizen_b"].pk).exists()


def test_officer_deletes_a_citizen_of_their_commune(officer_client, world):
    citizen = CitizenFactory(area=world["hamlet_a"])
    response = officer_client.post(url(CITIZENS, "delete", citizen.pk))
    assert response.status_code == 302
    assert not Citizen.objects.filter(pk=citizen.pk).exists()


def test_deleting_an_area_that_citizens_live_in_explains_instead_of_crashing(officer_client, world):
    response = officer_client.post(url(AREAS, "delete", world["hamlet_a"].pk), follow=True)
    assert response.status_code == 200
    assert Area.objects.filter(pk=world["hamlet_a"].pk).exists()


# --- forms limited to the jurisdiction --------------------------------------------------------


def test_officer_cannot_create_a_citizen_in_another_commune(officer_client, world):
    data = citizen_form_data(world["hamlet_b"])
    response = officer_client.post(url(CITIZENS, "add"), data)
    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    assert not Citizen.objects.filter(citizen_id=data["citizen_id"]).exists()


def test_officer_creates_a_citizen_and_lands_on_the_record(officer_client, world):
    data = citizen_form_data(world["hamlet_a"], citizen_id="")
    data["citizen_id"] = make_citizen_id(1990, "female", "030")
    response = officer_client.post(url(CITIZENS, "add"), data)
    citizen = Citizen.objects.get(citizen_id=data["citizen_id"])
    assert response.status_code == 302
    assert response["Location"] == url(CITIZENS, "inspect", citizen.pk)


def test_citizen_form_reports_a_gender_that_disagrees_with_the_id(officer_client, world):
    data = citizen_form_data(world["hamlet_a"], gender="male")
    response = officer_client.post(url(CITIZENS, "add"), data)
    assert response.status_code == 200
    assert "citizen_id" in response.context["form"].errors


def test_officer_cannot_move_a_citizen_to_another_commune(officer_client, world):
    citizen = world["citizen_a"]
    data = citizen_form_data(
        world["hamlet_b"],
        citizen_id=citizen.citizen_id,
        full_name=citizen.full_name,
        gender=citizen.gender,
        birth_year=str(citizen.birth_year),
    )
    response = officer_client.post(url(CITIZENS, "edit", citizen.pk), data)
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.area == world["hamlet_a"]


def test_officer_cannot_add_an_area_under_another_commune(officer_client, world):
    data = {"parent": world["commune_b"].pk, "code": "X-T09", "name": "Thôn Mới", "is_active": "on"}
    response = officer_client.post(url(AREAS, "add"), data)
    assert response.status_code == 200
    assert not Area.objects.filter(code="X-T09").exists()


def test_officer_adds_a_residential_area_under_their_commune(officer_client, world):
    data = {
        "parent": world["commune_a"].pk,
        "code": "A-T09",
        "name": "Thôn Mới",
        "division_type": "thôn",
        "is_active": "on",
    }
    response = officer_client.post(url(AREAS, "add"), data)
    assert response.status_code == 302
    area = Area.objects.get(code="A-T09")
    assert area.level == AreaLevel.RESIDENTIAL
    assert area.path.startswith(world["commune_a"].path)


def test_official_commune_is_read_only_for_its_officer(officer_client, world):
    assert officer_client.get(url(AREAS, "inspect", world["commune_a"].pk)).status_code == 200
    assert_refused(officer_client.get(url(AREAS, "edit", world["commune_a"].pk)))


def test_officer_cannot_grant_a_role_over_another_commune(officer_client, world):
    user = CitizenFactory(area=world["hamlet_a"], user=UserFactory()).user
    data = {"user": user.pk, "area": world["hamlet_b"].pk, "role": "branch"}
    response = officer_client.post(url(ROLES, "add"), data)
    assert response.status_code == 200
    assert not OfficerRole.objects.filter(user=user).exists()


def test_officer_cannot_grant_a_role_above_their_own(officer_client, world):
    user = CitizenFactory(area=world["hamlet_a"], user=UserFactory()).user
    province = world["commune_a"].parent
    data = {"user": user.pk, "area": province.pk, "role": "province"}
    response = officer_client.post(url(ROLES, "add"), data)
    assert response.status_code == 200
    assert not OfficerRole.objects.filter(user=user).exists()


def test_officer_grants_a_branch_role_in_their_commune(officer_client, world):
    user = CitizenFactory(area=world["hamlet_a"], user=UserFactory()).user
    data = {"user": user.pk, "area": world["hamlet_a"].pk, "role": "branch"}
    response = officer_client.post(url(ROLES, "add"), data)
    assert response.status_code == 302
    assert OfficerRole.objects.filter(user=user, area=world["hamlet_a"], role="branch").exists()


def test_officer_cannot_edit_their_own_role(officer_client, world):
    role = OfficerRole.objects.get(user=world["officer_a"])
    assert_refused(officer_client.get(url(ROLES, "edit", role.pk)))


def test_learning_unit_members_outside_the_jurisdiction_are_refused(officer_client, world):
    unit = world["unit_a"]
    data = {
        "kind": unit.kind,
        "name": unit.name,
        "code": "",
        "area": world["hamlet_a"].pk,
        "head": world["citizen_a"].pk,
        "members": [world["citizen_a"].pk, world["citizen_b"].pk],
    }
    response = officer_client.post(url(UNITS, "edit", unit.pk), data)
    assert response.status_code == 200
    assert list(unit.members.all()) == [world["citizen_a"]]


def test_learning_unit_members_are_saved_from_the_chooser_ids(officer_client, world):
    neighbour = CitizenFactory(area=world["hamlet_a"])
    unit = world["unit_a"]
    data = {
        "kind": unit.kind,
        "name": unit.name,
        "code": "",
        "area": world["hamlet_a"].pk,
        "head": world["citizen_a"].pk,
        "members": [world["citizen_a"].pk, neighbour.pk],
    }
    response = officer_client.post(url(UNITS, "edit", unit.pk), data)
    assert response.status_code == 302
    assert set(unit.members.all()) == {world["citizen_a"], neighbour}


def test_learning_unit_edit_form_renders_the_member_chooser(officer_client, world):
    response = officer_client.get(url(UNITS, "edit", world["unit_a"].pk))
    content = response.content.decode()
    assert "data-citizen-members" in content
    assert "citizen_multiple_chooser.js" in content


def test_citizen_chooser_lists_and_chooses_only_the_jurisdiction(officer_client, world):
    response = officer_client.get(url(CHOOSER, "choose_results"), {"q": "binh"})
    assert "Trần Thị Bình" not in response.content.decode()
    response = officer_client.get(url(CHOOSER, "choose_results"), {"q": "nguyen van an"})
    assert "Nguyễn Văn An" in response.content.decode()
    assert officer_client.get(url(CHOOSER, "chosen", world["citizen_b"].pk)).status_code == 404
    chosen = officer_client.get(
        url(CHOOSER, "chosen_multiple"), {"id": [world["citizen_a"].pk, world["citizen_b"].pk]}
    )
    assert "Trần Thị Bình" not in chosen.content.decode()


# --- access to the menu ---------------------------------------------------------------------


def test_group_member_without_an_officer_role_is_refused(client, world):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Cán bộ xã"))
    client.force_login(user)
    assert_refused(client.get(url(CITIZENS, "index")))


def test_officer_taken_out_of_their_group_is_refused_the_admin(client, world):
    client.force_login(make_officer(world["commune_a"], in_group=False))
    response = client.get(url(CITIZENS, "index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_branch_officer_sees_only_their_residential_area(client, world):
    other_hamlet = ResidentialAreaFactory(parent=world["commune_a"])
    CitizenFactory(area=other_hamlet, full_name="Đỗ Văn Đức")
    client.force_login(make_officer(world["hamlet_a"]))
    content = client.get(url(CITIZENS, "index")).content.decode()
    assert "Nguyễn Văn An" in content
    assert "Đỗ Văn Đức" not in content


def test_menu_shows_learning_citizens_to_an_officer(officer_client, world):
    content = officer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert url(CITIZENS, "index") in content


def test_officer_group_permissions_is_idempotent(db):
    first = officer_group_permissions()
    second = officer_group_permissions()
    assert first == second
    assert second["commune"].permissions.filter(codename="add_citizen").exists()
    assert not second["branch"].permissions.filter(codename="delete_citizen").exists()


# --- query count ------------------------------------------------------------------------------


def add_citizens(area, count):
    citizens = []
    for number in range(count):
        name = f"Nguyễn Văn Thử {number:04d}"
        citizens.append(
            Citizen(
                citizen_id=make_citizen_id(1990, "male", "030"),
                full_name=name,
                search_name=search_key(name),
                gender="male",
                birth_year=1990,
                area=area,
                target_group=1,
            )
        )
    Citizen.objects.bulk_create(citizens)


def count_index_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(CITIZENS, "index")).status_code == 200
    return len(queries)


def test_citizen_list_query_count_is_the_same_for_10_and_1000_citizens(officer_client, world):
    add_citizens(world["hamlet_a"], 9)
    count_index_queries(officer_client)  # warm caches (content types, site) as in real use
    with_10 = count_index_queries(officer_client)
    add_citizens(world["hamlet_a"], 990)
    with_1000 = count_index_queries(officer_client)
    assert with_1000 == with_10


# --- registering on a citizen's behalf: the one-time password ---------------------------------


def issue_password(client, citizen):
    response = client.post(url(CITIZENS, "one_time_password", citizen.pk))
    assert response.status_code == 200
    return response, response.context["password"]


def test_one_time_password_creates_a_login_shown_once_and_stored_hashed(officer_client, world):
    citizen = world["citizen_a"]
    response, password = issue_password(officer_client, citizen)
    citizen.refresh_from_db()
    assert password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert citizen.user.username == citizen.citizen_id
    assert citizen.user.password != password
    assert citizen.user.check_password(password)
    assert citizen.must_change_password is True
    assert password not in officer_client.get(url(CITIZENS, "inspect", citizen.pk)).content.decode()


def test_one_time_password_reset_replaces_the_previous_one(officer_client, world):
    citizen = world["citizen_a"]
    _first_response, first = issue_password(officer_client, citizen)
    _second_response, second = issue_password(officer_client, citizen)
    citizen.refresh_from_db()
    assert first != second
    assert not citizen.user.check_password(first)
    assert citizen.user.check_password(second)


def test_one_time_password_page_changes_nothing_on_get(officer_client, world):
    response = officer_client.get(url(CITIZENS, "one_time_password", world["citizen_a"].pk))
    assert response.status_code == 200
    world["citizen_a"].refresh_from_db()
    assert world["citizen_a"].user is None


def test_one_time_password_for_another_communes_citizen_is_not_found(officer_client, world):
    response = officer_client.post(url(CITIZENS, "one_time_password", world["citizen_b"].pk))
    assert response.status_code == 404
    world["citizen_b"].refresh_from_db()
    assert world["citizen_b"].user is None


def test_one_time_password_never_resets_an_officers_account(officer_client, world):
    citizen = world["citizen_a"]
    citizen.user = world["officer_b"]
    citizen.save()
    response = officer_client.post(url(CITIZENS, "one_time_password", citizen.pk))
    assert response.status_code == 302
    world["officer_b"].refresh_from_db()
    assert world["officer_b"].check_password("correct-horse-battery")


def test_one_time_password_is_logged_in_the_citizens_history(officer_client, world):
    issue_password(officer_client, world["citizen_a"])
    content = officer_client.get(url(CITIZENS, "history", world["citizen_a"].pk)).content.decode()
    assert "Login created or reset with a one-time password" in content or "mật khẩu" in content


def test_citizen_form_accepts_spaces_in_the_id_and_explains_one_problem_once(officer_client, world):
    spaced = citizen_form_data(world["hamlet_a"], citizen_id="030 190 123 456")
    assert officer_client.post(url(CITIZENS, "add"), spaced).status_code == 302
    assert Citizen.objects.filter(citizen_id="030190123456").exists()
    too_long = citizen_form_data(world["hamlet_a"], citizen_id="030 190 123 456 789")
    errors = officer_client.post(url(CITIZENS, "add"), too_long).context["form"].errors
    assert len(errors["citizen_id"]) == 1


def test_superuser_filters_citizens_by_province_then_by_area(superuser_client, world):
    other_province_commune = CommuneFactory()
    CitizenFactory(area=other_province_commune, full_name="Hồ Văn Xa")
    province = world["commune_a"].parent
    listing = superuser_client.get(url(CITIZENS, "index"), {"province": province.pk})
    content = listing.content.decode()
    assert "Hồ Văn Xa" not in content and "Nguyễn Văn An" in content
    assert "area" in listing.context["filters"].form.fields
    assert "area" not in superuser_client.get(url(CITIZENS, "index")).context["filters"].form.fields
    content = superuser_client.get(
        url(CITIZENS, "index"), {"province": province.pk, "area": world["hamlet_b"].pk}
    ).content.decode()
    assert "Trần Thị Bình" in content and "Nguyễn Văn An" not in content


def test_migrate_makes_the_officer_groups_and_a_role_puts_its_officer_in_them(db):
    """A host site has no demo loader: `migrate` (post_migrate) creates the groups, and giving
    a user a role (as the admin's officer-role form does) lets them into the admin."""
    from django.core.management import call_command

    from learning_units.officer_groups import OFFICER_GROUP_NAMES

    Group.objects.filter(name__in=OFFICER_GROUP_NAMES.values()).delete()
    call_command("migrate", verbosity=0)  # nothing to apply: post_migrate runs all the same
    assert set(
        Group.objects.filter(name__in=OFFICER_GROUP_NAMES.values()).values_list("name", flat=True)
    ) == set(OFFICER_GROUP_NAMES.values())

    commune = CommuneFactory()
    user = get_user_model().objects.create_user("new_officer", password="x")
    assert not user.has_perm("wagtailadmin.access_admin")
    role = OfficerRole.objects.create(user=user, area=commune, role=OfficerRole.Role.COMMUNE)
    user = get_user_model().objects.get(pk=user.pk)  # permissions are cached per instance
    assert user.has_perm("wagtailadmin.access_admin")
    assert list(user.groups.values_list("name", flat=True)) == ["Cán bộ xã"]

    role.delete()
    user = get_user_model().objects.get(pk=user.pk)
    assert not user.has_perm("wagtailadmin.access_admin")
    assert not user.groups.exists()


def test_deleting_an_officer_with_roles_deletes_cleanly(db):
    commune = CommuneFactory()
    user = get_user_model().objects.create_user("leaving_officer", password="x")
    OfficerRole.objects.create(user=user, area=commune, role=OfficerRole.Role.COMMUNE)
    user.delete()
    assert not OfficerRole.objects.filter(user_id=user.pk).exists()
