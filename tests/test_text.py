"""learning_units.text: search keys and the ASCII file names built on them."""

import pytest

from learning_units.text import file_slug, search_key


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Đà Nẵng", "da-nang"),
        ("Xã Gia Lộc", "xa-gia-loc"),
        ("  Phường 1 (cũ)  ", "phuong-1-cu"),
        ("Thị trấn. An_Bình", "thi-tran-an-binh"),
        ("ĐỖ ĐỨC", "do-duc"),
        ("", ""),
    ],
)
def test_file_slug_keeps_d_and_drops_accents_for_ascii_file_names(name, slug):
    assert file_slug(name) == slug


def test_file_slug_agrees_with_search_key():
    name = "Nguyễn Thị Đào"
    assert file_slug(name) == search_key(name).replace(" ", "-") == "nguyen-thi-dao"
