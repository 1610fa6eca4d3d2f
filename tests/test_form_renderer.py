"""The fast widget renderer must produce exactly what Django's widget templates produce."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from cdht_wagtail.form_renderer import FastWidgetRenderer
from learning_units.html import FIELD_TEMPLATE


class Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'a "quote" & <tag>'}))
    number = forms.DecimalField(
        widget=forms.NumberInput(attrs={"min": 0, "max": "10", "step": "any", "data-x": True})
    )
    email = forms.EmailField()
    url = forms.URLField(widget=forms.URLInput(attrs={"inputmode": "url", "disabled": False}))
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    choice = forms.ChoiceField(choices=[("", "— chọn —"), ("1", "Tin học <cơ bản>"), (2, "Hai")])
    grouped = forms.ChoiceField(
        choices=[("Nhóm A", [("a1", "A1"), ("a2", "A2")]), ("b", "B")],
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")])
    upload = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg"}))
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    agree = forms.BooleanField()
    radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("1", "Một"), ("2", "Hai")])


BOUND = {
    "text": "Nguyễn <b>Thị</b> & Hoa",
    "number": "7.5",
    "email": "a@example.com",
    "url": "https://example.com/?a=1&b=2",
    "password": "secret\"'",
    "hidden": "3",
    "note": "dòng 1\ndòng <2>",
    "choice": "1",
    "grouped": "a2",
    "many": ["x", "y"],
    "date": "2026-11-23",
    "agree": "on",
    "radio": "2",
}


@pytest.mark.parametrize("data", [None, BOUND], ids=["unbound", "bound"])
def test_fast_renderer_matches_django_templates_for_every_widget(data):
    fast = Everything(data, renderer=FastWidgetRenderer())
    plain = Everything(data, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        assert str(fast[name]) == str(plain[name]), name


def test_fast_renderer_escapes_values_and_labels():
    html = str(Everything(BOUND, renderer=FastWidgetRenderer())["text"])
    assert "&lt;b&gt;" in html and "<b>" not in html


class Grouped(forms.Form):
    points = forms.CharField(label="Điểm <tự chấm>", help_text="Từ 0 đến 10 & hơn", required=False)
    note = forms.CharField(label="Ghi chú", widget=forms.Textarea)
    off = forms.CharField(label="Tính sẵn", disabled=True, required=False)
    choice = forms.ChoiceField(label="Khoá học", choices=[("", "—"), ("1", "Tin học")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FIELD_TEMPLATE


@pytest.mark.parametrize(
    "data",
    [None, {"points": "11", "choice": "9"}, {"points": "3", "note": "x", "choice": "1"}],
    ids=["unbound", "with-errors", "valid"],
)
def test_field_group_matches_the_project_field_template(data):
    fast = Grouped(data, renderer=FastWidgetRenderer())
    plain = Grouped(data, renderer=DjangoTemplates())
    for form in (fast, plain):
        if data:
            form.is_valid()
            form.add_error("points", "Quá <10> điểm")
    for name in Grouped.base_fields:
        assert fast[name].as_field_group() == plain[name].as_field_group(), name


def test_attribute_values_are_escaped_whatever_was_seen_before():
    from django.utils.safestring import mark_safe

    from learning_units.html import html_attrs

    assert html_attrs({"title": mark_safe("<b>x</b>")}) == ' title="<b>x</b>"'
    assert html_attrs({"title": "<b>x</b>"}) == ' title="&lt;b&gt;x&lt;/b&gt;"'
    assert html_attrs({"title": "<b>x</b>"}) == ' title="&lt;b&gt;x&lt;/b&gt;"'
    assert html_attrs({"min": 0, "data-on": True, "off": False}) == ' min="0" data-on'
