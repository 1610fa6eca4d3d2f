"""Invisible control characters (bidirectional overrides and the like) are stripped from names
and free text on input: forms, services, models and import cells."""

import pytest
from django import forms

from learning_units.form_mixins import CleanTextMixin
from learning_units.imports import cells
from learning_units.text import nfc, strip_controls
from tests.factories import CitizenFactory, LearningUnitFactory

CONTROLS = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x1b",
    "\x85",
]


@pytest.mark.parametrize("control", CONTROLS)
def test_each_control_character_is_stripped(control):
    assert strip_controls(f"Nguyễn{control} Văn An") == "Nguyễn Văn An"


def test_vietnamese_tabs_and_line_breaks_are_kept():
    text = "Đã tham gia lớp học\n\tkỹ năng số — “tốt”"
    assert strip_controls(text) == text
    assert nfc("Nguye\u0302\u0303n\u202e") == "Nguyễn"


class NameForm(CleanTextMixin, forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False, widget=forms.Textarea)
    password = forms.CharField(widget=forms.PasswordInput)


def test_the_form_mixin_strips_every_text_field_but_passwords():
    form = NameForm(
        {"name": "Tr\u202eần Bình", "note": "dòng 1\n\u2067dòng 2", "password": "ab\u202ecd-xyz"}
    )
    assert form.is_valid()
    assert form.cleaned_data == {
        "name": "Trần Bình",
        "note": "dòng 1\ndòng 2",
        "password": "ab\u202ecd-xyz",
    }


def test_an_import_cell_is_stripped():
    assert cells.text("Lê\u202e Thị\u2066 Mai\u2069", max_length=40) == "Lê Thị Mai"


def test_names_are_stored_without_controls_whatever_the_way_in(db):
    citizen = CitizenFactory(full_name="\u202eNguyễn Văn An\u202c")
    citizen.refresh_from_db()
    assert citizen.full_name == "Nguyễn Văn An"
    unit = LearningUnitFactory(name="Gia đình\u202e ông An")
    unit.refresh_from_db()
    assert unit.name == "Gia đình ông An"
