"""Property tests of scoring (assessments/scoring.py) on generated criteria sets: the total is
the sum, pass/fail follows the pass mark and the minimums, bands never go down as points go up,
and points outside an indicator's range are refused."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring import as_points, score

FAST = settings(max_examples=200, deadline=None)


class Many(list):
    def all(self):
        return self


@dataclass
class Indicator:
    pk: int
    code: str
    max_points: Decimal


@dataclass
class Criterion:
    code: str
    title: str
    max_points: Decimal
    min_points: Decimal | None
    sort_order: int
    indicators: Many = field(default_factory=Many)


@dataclass
class Band:
    label: str
    min_points: Decimal


@dataclass
class CriteriaSet:
    pass_mark: Decimal
    criteria: Many
    rating_bands: Many


points_values = st.decimals(min_value=0, max_value=20, places=1, allow_nan=False)


@st.composite
def criteria_sets(draw):
    criteria, pk = Many(), 0
    for number in range(draw(st.integers(1, 4))):
        maxima = draw(st.lists(st.integers(1, 20), min_size=1, max_size=4))
        criterion = Criterion(
            code=str(number + 1),
            title=f"C{number}",
            max_points=Decimal(sum(maxima)),
            min_points=draw(st.one_of(st.none(), st.integers(0, sum(maxima)).map(Decimal))),
            sort_order=number,
        )
        for maximum in maxima:
            pk += 1
            criterion.indicators.append(Indicator(pk, f"{number + 1}.{pk}", Decimal(maximum)))
        criteria.append(criterion)
    total = sum(c.max_points for c in criteria)
    pass_mark = Decimal(draw(st.integers(0, int(total))))
    bands = Many(
        Band(f"B{minimum}", Decimal(minimum))
        for minimum in sorted(set(draw(st.lists(st.integers(0, int(total)), max_size=3))))
    )
    return CriteriaSet(pass_mark, criteria, bands)


@st.composite
def set_and_points(draw):
    criteria_set = draw(criteria_sets())
    points = {}
    for criterion in criteria_set.criteria:
        for indicator in criterion.indicators:
            if draw(st.booleans()):
                value = draw(st.decimals(min_value=0, max_value=indicator.max_points, places=2))
                points[indicator.pk] = draw(st.sampled_from([value, str(value)]))
    return criteria_set, points


@FAST
@given(set_and_points())
def test_total_is_the_sum_and_pass_follows_the_rules(generated):
    criteria_set, points = generated
    result = score(criteria_set, points)
    assert result.total == sum((as_points(v) for v in points.values()), Decimal(0))
    assert result.total == sum(item.points for item in result.per_criterion)
    expected_pass = result.total >= criteria_set.pass_mark and all(
        item.meets_minimum for item in result.per_criterion
    )
    assert result.passed == expected_pass
    assert (result.band is None) or result.passed
    assert bool(result.failures) == (not result.passed)


@FAST
@given(criteria_sets(), st.data())
def test_more_points_never_lower_the_band(criteria_set, data):
    indicators = [i for c in criteria_set.criteria for i in c.indicators]
    low = {i.pk: data.draw(st.integers(0, int(i.max_points))) for i in indicators}
    high = {
        pk: data.draw(st.integers(value, int(next(i.max_points for i in indicators if i.pk == pk))))
        for pk, value in low.items()
    }
    minimum = {band.label: band.min_points for band in criteria_set.rating_bands}
    low_result, high_result = score(criteria_set, low), score(criteria_set, high)
    assert high_result.total >= low_result.total
    if low_result.band and high_result.passed:
        assert minimum[high_result.band] >= minimum[low_result.band]


@FAST
@given(criteria_sets(), st.decimals(min_value=Decimal("0.01"), max_value=1000, places=2))
def test_points_above_an_indicators_maximum_are_refused(criteria_set, extra):
    indicator = criteria_set.criteria[0].indicators[0]
    with pytest.raises(ValueError):
        score(criteria_set, {indicator.pk: indicator.max_points + extra})
    with pytest.raises(ValueError):
        score(criteria_set, {indicator.pk: -extra})


@FAST
@given(st.one_of(st.text(max_size=20), st.floats(allow_nan=True), st.none(), st.integers()))
def test_as_points_gives_a_decimal_or_a_value_error(value):
    try:
        result = as_points(value)
    except ValueError:
        return
    assert isinstance(result, Decimal)


@FAST
@given(
    st.one_of(
        st.text(max_size=30),
        st.sampled_from(["NaN", "sNaN", "Infinity", "-0", "1e999999", "1E-999999", "7,5", " 20 "]),
    )
)
def test_points_typed_by_a_person_are_a_number_in_range_or_a_clear_error(raw):
    from django.core.exceptions import ValidationError

    from assessments.scoring import parse_points

    indicator = Indicator(1, "1.1", Decimal(20))
    try:
        value = parse_points(raw, indicator)
    except ValidationError as error:
        assert error.code in {"not_a_number", "out_of_range", "too_precise"}
        return
    assert value is None or (0 <= value <= 20 and value == value.quantize(Decimal("0.01")))
