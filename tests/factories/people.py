"""People and places: users, areas, officers' roles, citizens and learning units."""

import itertools

import factory
from django.contrib.auth import get_user_model

from learning_units.models import Area, AreaLevel, Citizen, LearningUnit, OfficerRole

_serial = itertools.count(1)


def make_citizen_id(birth_year=1990, gender="female", province="001"):
    """A structurally valid 12-digit CCCD for the given birth year and gender."""
    century_digit = 2 * ((birth_year - 1900) // 100) + (1 if gender == "female" else 0)
    return f"{province}{century_digit}{birth_year % 100:02d}{next(_serial):06d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct-horse-battery")


class CentralAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("level", "code")

    level = AreaLevel.CENTRAL
    code = "VN"
    name = "Việt Nam"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    level = AreaLevel.PROVINCE
    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    division_type = "tỉnh"
    parent = factory.SubFactory(CentralAreaFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    level = AreaLevel.COMMUNE
    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    division_type = "xã"
    parent = factory.SubFactory(ProvinceFactory)


class ResidentialAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    level = AreaLevel.RESIDENTIAL
    code = factory.Sequence(lambda n: f"R{n:05d}")
    name = factory.Sequence(lambda n: f"Thôn {n}")
    division_type = "thôn"
    parent = factory.SubFactory(CommuneFactory)


class OfficerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerRole

    user = factory.SubFactory(UserFactory)
    area = factory.SubFactory(CommuneFactory)
    role = factory.LazyAttribute(
        lambda role: {
            AreaLevel.CENTRAL: "central",
            AreaLevel.PROVINCE: "province",
            AreaLevel.COMMUNE: "commune",
            AreaLevel.RESIDENTIAL: "branch",
        }[role.area.level]
    )


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen

    full_name = factory.Iterator(
        ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Đỗ Văn Đức"]
    )
    gender = factory.Iterator(["male", "female", "male", "female", "male"])
    birth_year = 1990
    citizen_id = factory.LazyAttribute(
        lambda citizen: make_citizen_id(citizen.birth_year, citizen.gender)
    )
    area = factory.SubFactory(ResidentialAreaFactory)
    target_group = 1


class LearningUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningUnit

    kind = LearningUnit.Kind.FAMILY
    name = factory.Sequence(lambda n: f"Gia đình {n}")
    area = factory.SubFactory(ResidentialAreaFactory)
