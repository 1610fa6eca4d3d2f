"""Scoring: totals, bands at their boundaries, pass mark and per-criterion minimums.

The sets here are built in memory (django-modelcluster keeps child objects without saving them),
so scoring is tested as the pure function it is, without a database.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import CriteriaSet, Criterion, Indicator, RatingBand
from assessments.scoring import score
from assessments.selectors import criteria_set_tree
from assessments.services.criteria import criteria_set_load
from tests.factories.assessments import sample_raw


def unit_set(pass_mark=50, minimums=(None, None, None)):
    """Criteria 30/30/40 of 10-point indicators (ids 1..10), bands Tốt 85, Khá 70, Trung bình 50."""
    ids = iter(range(1, 11))
    criteria = [
        Criterion(
            code=str(number),
            title=f"Tiêu chí {number}",
            sort_order=number,
            max_points=Decimal(count * 10),
            min_points=minimum,
            indicators=[
                Indicator(id=next(ids), code=f"{number}.{n}", max_points=Decimal(10))
                for n in range(1, count + 1)
            ],
        )
        for number, count, minimum in zip((1, 2, 3), (3, 3, 4), minimums, strict=True)
    ]
    return CriteriaSet(
        total_points=Decimal(100),
        pass_mark=Decimal(pass_mark),
        criteria=criteria,
        rating_bands=[
            RatingBand(label="Tốt", min_points=Decimal(85)),
            RatingBand(label="Khá", min_points=Decimal(70)),
            RatingBand(label="Trung bình", min_points=Decimal(50)),
        ],
    )


def points_totalling(total):
    """Points for indicators 1..10 (10 each at most) that add up to `total`."""
    remaining, points = Decimal(str(total)), {}
    for indicator_id in range(1, 11):
        points[indicator_id] = min(Decimal(10), remaining)
        remaining -= points[indicator_id]
    return points


@pytest.mark.parametrize(
    ("total", "band", "passed"),
    [
        ("0", None, False),
        ("49.5", None, False),
        ("49.99", None, False),
        ("50", "Trung bình", True),
        ("69.99", "Trung bình", True),
        ("70", "Khá", True),
        ("84.99", "Khá", True),
        ("85", "Tốt", True),
        ("100", "Tốt", True),
    ],
)
def test_band_boundaries_follow_the_circular(total, band, passed):
    result = score(unit_set(), points_totalling(total))
    assert result.total == Decimal(total)
    assert result.band == band
    assert result.passed is passed


def test_below_the_pass_mark_the_failure_says_so():
    result = score(unit_set(), points_totalling("49.5"))
    assert [failure.reason for failure in result.failures] == ["pass_mark"]


def test_points_add_up_per_criterion():
    result = score(unit_set(), {1: 10, 2: 5, 4: "7.5", 7: 10, 8: 10})
    assert [(item.code, item.points) for item in result.per_criterion] == [
        ("1", Decimal(15)),
        ("2", Decimal("7.5")),
        ("3", Decimal(20)),
    ]
    assert result.total == Decimal("42.5")


def test_float_points_are_read_through_their_decimal_text():
    result = score(unit_set(), {1: 10.0, 2: 10.0, 3: 10.0, 4: 10.0, 5: 10.0, 6: 10.0, 7: 9.99})
    assert result.total == Decimal("69.99")
    assert result.band == "Trung bình"


def test_a_criterion_below_its_minimum_is_not_recognised_whatever_the_total():
    criteria_set = unit_set(minimums=(None, None, Decimal(30)))
    points = {indicator_id: 10 for indicator_id in range(1, 7)} | {8: 10, 9: 10, 10: 5}
    result = score(criteria_set, points)
    assert result.total == Decimal(85)
    assert result.passed is False
    assert result.band is None
    assert [(failure.reason, failure.criterion_code) for failure in result.failures] == [
        ("criterion_minimum", "3")
    ]


def test_meeting_a_criterion_minimum_exactly_passes():
    criteria_set = unit_set(minimums=(Decimal(20), None, None))
    result = score(criteria_set, {1: 10, 2: 10} | {n: 10 for n in range(4, 8)})
    assert result.passed is True
    assert result.band == "Trung bình"


def test_a_pass_mark_above_the_lowest_band_wins():
    result = score(unit_set(pass_mark=60), points_totalling(55))
    assert result.passed is False
    assert result.band is None


def test_points_above_an_indicators_maximum_are_refused():
    with pytest.raises(ValueError, match="outside"):
        score(unit_set(), {1: Decimal("10.5")})


def test_negative_points_are_refused():
    with pytest.raises(ValueError, match="outside"):
        score(unit_set(), {1: -1})


def test_points_for_an_indicator_of_another_set_are_refused():
    with pytest.raises(ValueError, match="not in this criteria set"):
        score(unit_set(), {99: 5})


def test_text_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError, match="Not a number"):
        score(unit_set(), {1: "mười"})


def test_scoring_a_stored_sample_set_takes_no_queries_once_loaded(db):
    stored = criteria_set_load(raw=sample_raw("don-vi-hoc-tap")).criteria_set
    criteria_set = criteria_set_tree(stored.pk)
    indicators = [i for c in criteria_set.criteria.all() for i in c.indicators.all()]
    with CaptureQueriesContext(connection) as queries:
        result = score(
            criteria_set, {indicator.pk: indicator.max_points for indicator in indicators}
        )
    assert len(queries) == 0
    assert (result.total, result.band, result.passed) == (Decimal(100), "Tốt", True)
    assert [item.max_points for item in result.per_criterion] == [30, 30, 40]
