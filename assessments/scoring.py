"""Scoring an assessment against a criteria set: a pure function of the set and the points.

Bands follow the learning-unit rule of Circular 22/2020/TT-BGDĐT (amended by 24/2023/TT-BGDĐT),
which the sample sets reuse (DOMAIN.md): a band runs from its own minimum up to, but not
including, the next band's minimum — Tốt 85–100, Khá 70–<85, Trung bình 50–<70 — and below the
pass mark nothing is recognised. Points are Decimals throughout, so 69.99 never rounds to 70.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .rules import format_points


@dataclass(frozen=True)
class CriterionScore:
    code: str
    title: str
    points: Decimal
    max_points: Decimal
    min_points: Decimal | None

    @property
    def meets_minimum(self):
        return self.min_points is None or self.points >= self.min_points


@dataclass(frozen=True)
class Failure:
    """Why a result is not recognised: `pass_mark`, or `criterion_minimum` with its criterion."""

    reason: str
    message: str
    criterion_code: str | None = None


@dataclass(frozen=True)
class Score:
    total: Decimal
    per_criterion: tuple[CriterionScore, ...]
    band: str | None
    passed: bool
    failures: tuple[Failure, ...]


def indicators_in_order(criteria_set):
    """The indicators of a set's (prefetched) tree, criterion by criterion."""
    return [
        indicator
        for criterion in sorted(criteria_set.criteria.all(), key=lambda c: c.sort_order or 0)
        for indicator in criterion.indicators.all()
    ]


def parse_points(raw, indicator):
    """Decimal points within 0..the indicator's points, None when left empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(
            _("Indicator %(code)s: write a number of points, e.g. 7 or 7.5.")
            % {"code": indicator.code},
            code="not_a_number",
        )
    if value < 0 or value > indicator.max_points:
        raise ValidationError(
            _("Indicator %(code)s: points must be between 0 and %(max)s.")
            % {"code": indicator.code, "max": format_points(indicator.max_points)},
            code="out_of_range",
        )
    if value != value.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        raise ValidationError(
            _("Indicator %(code)s: use at most two decimals.") % {"code": indicator.code},
            code="too_precise",
        )
    return value


def as_points(value):
    """Decimal points from a Decimal, int, str or float (floats through their shortest repr)."""
    if value is None or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValueError(f"Not a number of points: {value!r}") from error


def score(criteria_set, points_by_indicator_id):
    """Total, per-criterion points, band and pass/fail of `points_by_indicator_id`.

    Indicators missing from the mapping score 0. Points outside 0..the indicator's points, or
    for an indicator of another set, raise ValueError: the caller validates input first, so
    this is a programming error rather than something to report to a citizen.
    `band` is the band reached when the result passes, and None when it does not.
    """
    points = {int(key): as_points(value) for key, value in points_by_indicator_id.items()}
    per_criterion = []
    known = set()
    for criterion in sorted(criteria_set.criteria.all(), key=lambda item: item.sort_order or 0):
        criterion_points = Decimal(0)
        for indicator in criterion.indicators.all():
            known.add(indicator.pk)
            value = points.get(indicator.pk, Decimal(0))
            if not 0 <= value <= indicator.max_points:
                raise ValueError(
                    f"Indicator {indicator.code}: {value} is outside 0..{indicator.max_points}"
                )
            criterion_points += value
        per_criterion.append(
            CriterionScore(
                code=criterion.code,
                title=criterion.title,
                points=criterion_points,
                max_points=criterion.max_points,
                min_points=criterion.min_points,
            )
        )
    unknown = set(points) - known
    if unknown:
        raise ValueError(f"Indicators not in this criteria set: {sorted(unknown)}")

    total = sum((item.points for item in per_criterion), Decimal(0))
    failures = _failures(criteria_set, total, per_criterion)
    passed = not failures
    return Score(
        total=total,
        per_criterion=tuple(per_criterion),
        band=band_for(criteria_set, total) if passed else None,
        passed=passed,
        failures=tuple(failures),
    )


def band_for(criteria_set, total):
    """Label of the highest band whose minimum the total reaches, or None below every band."""
    reached = [band for band in criteria_set.rating_bands.all() if total >= band.min_points]
    return max(reached, key=lambda band: band.min_points).label if reached else None


def _failures(criteria_set, total, per_criterion):
    failures = []
    if total < criteria_set.pass_mark:
        failures.append(
            Failure(
                "pass_mark",
                _("%(total)s points is below the pass mark of %(pass_mark)s.")
                % {
                    "total": format_points(total),
                    "pass_mark": format_points(criteria_set.pass_mark),
                },
            )
        )
    for item in per_criterion:
        if not item.meets_minimum:
            failures.append(
                Failure(
                    "criterion_minimum",
                    _("Criterion %(code)s: %(points)s points is below its minimum of %(minimum)s.")
                    % {
                        "code": item.code,
                        "points": format_points(item.points),
                        "minimum": format_points(item.min_points),
                    },
                    criterion_code=item.code,
                )
            )
    return failures
