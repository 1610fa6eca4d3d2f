"""Vietnamese alphabetical order of names (learning_units.collation), wherever areas are listed:
registration, the area JSON, the home page's directory and the admin's area filters."""

import re

import pytest
from django.urls import reverse

from home.models import HomePage, ProvincePage
from learning_units.collation import proper_name, sorted_by_name
from tests.factories import CommuneFactory, ProvinceFactory, ResidentialAreaFactory, UserFactory

# The 2025 official names as `load_areas` stores them ("Thành phố" written, "Tỉnh" not).
OFFICIAL = [
    "Thành phố Cần Thơ",
    "Cao Bằng",
    "Thành phố Hà Nội",
    "Lâm Đồng",
    "Cà Mau",
    "Lào Cai",
    "Đắk Lắk",
    "Lạng Sơn",
    "Thành phố Huế",
    "Hưng Yên",
    "Lai Châu",
    "Điện Biên",
    "Gia Lai",
]
# As a Vietnamese list orders them: by the proper name; a < ă < â, d < đ, u < ư; tones second.
EXPECTED = [
    "Cà Mau",
    "Cao Bằng",
    "Thành phố Cần Thơ",
    "Đắk Lắk",
    "Điện Biên",
    "Gia Lai",
    "Thành phố Hà Nội",
    "Thành phố Huế",
    "Hưng Yên",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
]


def by_name(names):
    return sorted_by_name(names, name=str)


def test_names_sort_in_vietnamese_alphabetical_order_by_their_proper_name():
    assert by_name(OFFICIAL) == EXPECTED


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Cà Mau", "Cao Bằng"),  # a tone is a second-level difference
        ("Bạc Liêu", "Bắc Giang"),  # ă is a letter after a
        ("Bắc Ninh", "Bần Yên Nhân"),  # â after ă
        ("Dương Nội", "Đà Lạt"),  # đ after every d
        ("Ông Ích Khiêm", "Ơn Hà"),  # ô before ơ
        ("Huế", "Hùng Vương"),  # u before ư, however the tones fall
        ("Hùng Vương", "Hưng Yên"),
        ("Bắc Ninh", "Bình Định"),  # ă still before b's next letters
    ],
)
def test_vietnamese_letters_follow_their_base_letter(first, second):
    assert by_name([second, first]) == [first, second]


def test_a_name_with_combining_marks_sorts_like_the_composed_one():
    decomposed = "Cà Mau".replace("à", "a\u0300")
    assert by_name(["Cao Bằng", decomposed]) == [decomposed, "Cao Bằng"]


@pytest.mark.parametrize(
    ("name", "proper"),
    [
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("Tỉnh Cao Bằng", "Cao Bằng"),
        ("Xã Tân Lập", "Tân Lập"),
        ("Đặc khu Phú Quốc", "Phú Quốc"),
        ("Tổ dân phố số 3", "số 3"),
        ("Thôn Phương Điếm", "Phương Điếm"),
        ("Cà Mau", "Cà Mau"),
        ("Xã", "Xã"),  # nothing left: the whole name
        ("Xãy Ra", "Xãy Ra"),  # a word that only starts like a division word
    ],
)
def test_the_proper_name_leaves_out_the_division_word(name, proper):
    assert proper_name(name) == proper


@pytest.fixture
def provinces(db):
    return [ProvinceFactory(name=name) for name in OFFICIAL]


def option_labels(html, select_id):
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    return [label for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)<', select)]


def test_the_registration_form_lists_provinces_in_vietnamese_order(client, provinces):
    html = client.get(reverse("learning_units:register")).content.decode()

    assert option_labels(html, "id_province") == EXPECTED


def test_the_area_choices_json_lists_communes_in_vietnamese_order(client, db):
    province = ProvinceFactory()
    names = ["Xã Đông Hòa", "Phường Cao Xanh", "Xã Cẩm Giàng", "Phường Bãi Cháy", "Xã Cà Lồ"]
    for name in names:
        CommuneFactory(parent=province, name=name)

    response = client.get(reverse("learning_units:area_children", args=[province.pk]))

    assert [area["name"] for area in response.json()["areas"]] == [
        "Phường Bãi Cháy",
        "Xã Cà Lồ",
        "Phường Cao Xanh",
        "Xã Cẩm Giàng",
        "Xã Đông Hòa",
    ]


def test_the_admin_area_filter_lists_communes_alphabetically_with_their_villages_under_them(
    client, db
):
    province = ProvinceFactory(name="Tỉnh Thử")
    later = CommuneFactory(parent=province, name="Xã Đông Hòa")
    first = CommuneFactory(parent=province, name="Phường Ân Thi")
    ResidentialAreaFactory(parent=later, name="Thôn Bến")
    ResidentialAreaFactory(parent=first, name="Thôn Ẩn")
    ResidentialAreaFactory(parent=first, name="Tổ dân phố An")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    listing = client.get(reverse("learning_units_citizens:index"), {"province": province.pk})

    field = listing.context["filters"].form.fields["area"]
    labels = [str(label) for value, label in field.choices if value != ""]
    names = [label.split(", ")[0] for label in labels]
    assert [name for name in names if "Tỉnh" not in name] == [
        "Phường Ân Thi",
        "Tổ dân phố An",
        "Thôn Ẩn",
        "Xã Đông Hòa",
        "Thôn Bến",
    ]


def test_the_home_page_lists_provinces_by_their_proper_name(client, demo_site):
    home = HomePage.objects.get(locale__language_code="vi")
    for name in ("Thành phố Hà Nội", "Cao Bằng", "Cà Mau"):
        home.add_child(instance=ProvincePage(title=name, area=ProvinceFactory(name=name)))

    html = client.get("/").content.decode()

    headings = re.findall(r"<h3><a [^>]*>([^<]*)</a></h3>", html)
    assert len(headings) > 3
    assert headings == by_name(headings)
    assert (
        headings.index("Cà Mau") < headings.index("Cao Bằng") < headings.index("Thành phố Hà Nội")
    )
