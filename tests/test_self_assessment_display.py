"""What the self-assessment step shows: the totals bar after an error, points and dates in the
reader's formats (Vietnamese: 7,5 and dd/mm/yyyy), both decimal marks read back."""

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from assessments.services.criteria import criteria_set_load
from assessments.services.self_assessment import assessment_save_answers, assessment_start
from tests.factories import CitizenFactory, ResidentialAreaFactory, UserFactory
from tests.test_self_assessment import citizen_raw, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    open_campaign(criteria_set_load(raw=citizen_raw()).criteria_set)  # 3 parts × 3 × 10 points
    return CitizenFactory(user=UserFactory(), area=ResidentialAreaFactory())


@pytest.fixture
def started(client, citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    client.force_login(citizen.user)
    parts = list(assessment.criteria_set.criteria.order_by("sort_order"))
    return assessment, [[i.pk for i in part.indicators.all()] for part in parts]


def bar(html):
    step = re.search(r"data-step-total>([^<]*)<", html).group(1)
    total = re.search(r"data-total>([^<]*)<", html).group(1)
    return step, total


def test_after_an_error_the_totals_bar_shows_the_typed_points_not_the_saved_ones(client, started):
    assessment, ids = started
    assessment_save_answers(
        assessment=assessment, actor=assessment.citizen.user, answers={ids[1][0]: ("5", "")}
    )
    assessment.refresh_from_db()

    response = client.post(
        reverse("assessments:step", args=[assessment.pk, 1]),
        {
            "revision": assessment.revision,
            f"points_{ids[0][0]}": "7,5",
            f"points_{ids[0][1]}": "12",  # above the indicator's 10: refused, counts 0
            f"points_{ids[0][2]}": "2",
            "action": "next",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "điểm phải từ 0 đến 10" in html
    assert bar(html) == ("9,5", "14,5")  # this part as typed; the other part's 5 saved
    assert 'data-other="5"' in html


def test_without_an_error_the_bar_shows_the_saved_totals(client, started):
    assessment, ids = started
    assessment_save_answers(
        assessment=assessment, actor=assessment.citizen.user, answers={ids[0][0]: ("6.5", "")}
    )

    html = client.get(reverse("assessments:step", args=[assessment.pk, 1])).content.decode()

    assert bar(html) == ("6,5", "6,5")


@pytest.mark.parametrize("typed", ["7,5", "7.5", " 7,5 "])
def test_a_comma_or_a_dot_is_read_as_the_decimal_mark(client, started, typed):
    assessment, ids = started

    response = client.post(
        reverse("assessments:step", args=[assessment.pk, 1]),
        {"revision": 0, f"points_{ids[0][0]}": typed, "action": "save"},
    )

    assert response.status_code == 302
    assert assessment.answers.get(indicator_id=ids[0][0]).self_points == Decimal("7.5")


def test_points_fields_show_the_locales_decimal_mark_and_take_text(client, started):
    assessment, ids = started
    assessment_save_answers(
        assessment=assessment, actor=assessment.citizen.user, answers={ids[0][0]: ("7.5", "")}
    )
    url = reverse("assessments:step", args=[assessment.pk, 1])

    vietnamese = client.get(url).content.decode()
    english = client.get("/en" + url).content.decode()

    field = re.search(rf'<input[^>]*name="points_{ids[0][0]}"[^>]*>', vietnamese).group(0)
    assert 'type="text"' in field and 'inputmode="decimal"' in field
    assert 'value="7,5"' in field
    assert f'name="points_{ids[0][0]}" value="7.5"' in english.replace('type="text" ', "")


YEAR = datetime.date.today().year


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", f"06/03/{YEAR} · 14:05 06/03/{YEAR} · 34,5"),
        ("en", f"6 Mar {YEAR} · 6 Mar {YEAR}, 14:05 · 34.5"),
    ],
)
def test_short_dates_and_decimals_follow_the_language(language, expected):
    template = Template(
        '{{ day|date:"SHORT_DATE_FORMAT" }} · {{ moment|date:"SHORT_DATETIME_FORMAT" }} · {{ n }}'
    )
    context = Context(
        {
            "day": datetime.date(YEAR, 3, 6),
            "moment": datetime.datetime(YEAR, 3, 6, 14, 5),
            "n": Decimal("34.5"),
        }
    )
    with translation.override(language):
        assert template.render(context) == expected


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("vi", "06/03/{year}"),
        ("vi", "{year}-03-06"),
        ("en", "06/03/{year}"),  # day first in English too (cdht_wagtail/formats/en)
        ("en", "{year}-03-06"),
    ],
)
def test_a_typed_date_is_read_in_the_languages_order(language, typed):
    with translation.override(language):
        value = forms.DateField().clean(typed.format(year=YEAR))

    assert value == datetime.date(YEAR, 3, 6)
