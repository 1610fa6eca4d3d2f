"""English dates in day-month order (cdht_wagtail/formats/en): "5 June 2026", never the
American 06/05/2026 that reads as 6 May; typed dates read day first."""

import datetime

from django import forms
from django.template import Context, Template
from django.utils import formats, translation


def test_english_dates_are_day_month_year():
    day = datetime.date(2031, 6, 5)
    with translation.override("en"):
        assert formats.date_format(day) == "5 June 2031"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "5 Jun 2031"
        assert Template("{{ day|date }}").render(Context({"day": day})) == "5 June 2031"
    with translation.override("vi"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "05/06/2031"


def test_an_english_form_reads_a_typed_date_day_first():
    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override("en"):
        form = DateForm({"day": "05/06/2031"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2031, 6, 5)
