import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from learning_units.models import Area, AreaLevel, Citizen
from learning_units.selectors import citizens_for_officer
from tests.factories import (
    CitizenFactory,
    CommuneFactory,
    OfficerRoleFactory,
    ResidentialAreaFactory,
    UserFactory,
)


def test_load_areas_loads_34_provinces_and_3321_communes_idempotently(db, capsys):
    call_command("load_areas")
    call_command("load_areas")
    assert Area.objects.filter(level=AreaLevel.PROVINCE).count() == 34
    assert Area.objects.filter(level=AreaLevel.COMMUNE).count() == 3321
    assert "3321 unchanged" in capsys.readouterr().out


def test_load_areas_updates_a_renamed_commune_without_duplicating(db):
    call_command("load_areas")
    commune = Area.objects.get(level=AreaLevel.COMMUNE, code="10999")
    Area.objects.filter(pk=commune.pk).update(name="Tên cũ")
    call_command("load_areas")
    assert Area.objects.get(pk=commune.pk).name == "Xã Gia Lộc"
    assert Area.objects.filter(level=AreaLevel.COMMUNE).count() == 3321


def test_area_path_follows_the_tree_and_moves_with_its_parent(db):
    residential = ResidentialAreaFactory()
    commune = residential.parent
    assert residential.path == f"{commune.path}{residential.code}/"
    other_province = CommuneFactory().parent
    commune.parent = other_province
    commune.save()
    residential.refresh_from_db()
    assert residential.path.startswith(other_province.path)


def test_citizen_in_a_province_level_area_is_rejected(db):
    citizen = CitizenFactory.build(area=CommuneFactory().parent)
    with pytest.raises(ValidationError) as error:
        citizen.full_clean()
    assert "area" in error.value.message_dict


def test_citizen_name_is_searchable_without_accents(db):
    CitizenFactory(full_name="Nguyễn Văn An")
    CitizenFactory(full_name="Trần Thị Bình")
    assert [c.full_name for c in Citizen.objects.search("Nguyen Van An")] == ["Nguyễn Văn An"]
    assert [c.full_name for c in Citizen.objects.search("nguyễn văn")] == ["Nguyễn Văn An"]


def test_officer_sees_only_citizens_of_their_subtree_in_one_query(db, django_assert_num_queries):
    mine, theirs = CitizenFactory(), CitizenFactory()
    officer = OfficerRoleFactory(area=mine.area.parent).user
    with django_assert_num_queries(2):  # the officer's roles, then the scoped list
        assert list(citizens_for_officer(officer)) == [mine]
    assert theirs not in citizens_for_officer(officer)


def test_user_without_a_role_sees_no_citizens(db):
    CitizenFactory()
    assert not citizens_for_officer(UserFactory()).exists()


def test_masked_citizen_id_keeps_four_first_and_two_last_digits(db):
    citizen = CitizenFactory(citizen_id="001088000145", birth_year=1988, gender="male")
    assert citizen.masked_citizen_id == "0010******45"
