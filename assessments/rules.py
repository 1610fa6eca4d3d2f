"""The rules a whole criteria set must satisfy, checked on its plain-data form.

The admin form, the file importer and `criteria_set_problems_of` (for stored sets) all build the
same dictionary (see `interchange.criteria_set_to_data`) and ask this module, so a rule is written
once. Each problem carries a stable code (for tests and tools) and a message for people.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from learning_units.jurisdiction import path_is_under
from learning_units.models import TargetGroup

from .models import Campaign, SubjectKind


@dataclass(frozen=True)
class Problem:
    code: str
    message: str

    def __str__(self):
        return self.message


def format_points(value):
    """10.00 → "10", 49.50 → "49,5" in Vietnamese (the locale's decimal separator)."""
    value = Decimal(value)
    exact = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return number_format(exact)


def criteria_set_problems(data):
    """Every problem with a criteria set's totals, minimums, bands and codes (empty: valid)."""
    problems = []
    total = data["total_points"]
    pass_mark = data["pass_mark"]
    if total <= 0:
        problems.append(Problem("total_points", _("The set must be worth more than 0 points.")))
    problems += _criteria_problems(data["criteria"], total)
    if not 0 <= pass_mark <= total:
        problems.append(
            Problem(
                "pass_mark_range",
                _("The pass mark (%(pass_mark)s) must be between 0 and the set's %(total)s points.")
                % {"pass_mark": format_points(pass_mark), "total": format_points(total)},
            )
        )
    problems += _band_problems(data["rating_bands"], total, pass_mark)
    return problems


def _criteria_problems(criteria, total):
    problems = []
    if not criteria:
        return [Problem("no_criteria", _("A criteria set needs at least one criterion."))]
    problems += _duplicates(
        [criterion["code"] for criterion in criteria],
        "duplicate_criterion_code",
        _("Two criteria share the code %(code)s."),
    )
    problems += _duplicates(
        [indicator["code"] for criterion in criteria for indicator in criterion["indicators"]],
        "duplicate_indicator_code",
        _("Two indicators share the code %(code)s."),
    )
    criteria_sum = sum((criterion["max_points"] for criterion in criteria), Decimal(0))
    if criteria_sum != total:
        problems.append(
            Problem(
                "criteria_total",
                _("The criteria add up to %(sum)s points, but the set is worth %(total)s points.")
                % {"sum": format_points(criteria_sum), "total": format_points(total)},
            )
        )
    for criterion in criteria:
        problems += _criterion_problems(criterion)
    return problems


def _criterion_problems(criterion):
    problems = []
    code, points, minimum = criterion["code"], criterion["max_points"], criterion["min_points"]
    indicators = criterion["indicators"]
    if not indicators:
        return [
            Problem("no_indicators", _("Criterion %(code)s has no indicators.") % {"code": code})
        ]
    for indicator in indicators:
        if indicator["max_points"] <= 0:
            problems.append(
                Problem(
                    "indicator_points",
                    _("Indicator %(code)s must be worth more than 0 points.")
                    % {"code": indicator["code"]},
                )
            )
    indicator_sum = sum((indicator["max_points"] for indicator in indicators), Decimal(0))
    if indicator_sum != points:
        problems.append(
            Problem(
                "criterion_total",
                _(
                    "Criterion %(code)s: its indicators add up to %(sum)s points, but the "
                    "criterion is worth %(points)s points."
                )
                % {
                    "code": code,
                    "sum": format_points(indicator_sum),
                    "points": format_points(points),
                },
            )
        )
    if minimum is not None and minimum > points:
        problems.append(
            Problem(
                "criterion_minimum",
                _(
                    "Criterion %(code)s: the minimum of %(minimum)s points is more than the "
                    "criterion's %(points)s points."
                )
                % {
                    "code": code,
                    "minimum": format_points(minimum),
                    "points": format_points(points),
                },
            )
        )
    return problems


def _band_problems(bands, total, pass_mark):
    problems = []
    problems += _duplicates(
        [band["label"] for band in bands],
        "duplicate_band_label",
        _("Two rating bands are both called “%(code)s”."),
    )
    problems += _duplicates(
        [format_points(band["min_points"]) for band in bands],
        "duplicate_band_minimum",
        _("Two rating bands start at %(code)s points; each band needs its own starting point."),
    )
    for band in bands:
        if not 0 <= band["min_points"] <= total:
            problems.append(
                Problem(
                    "band_range",
                    _(
                        "Rating band “%(label)s”: it starts at %(minimum)s points, which is not "
                        "between 0 and the set's %(total)s points."
                    )
                    % {
                        "label": band["label"],
                        "minimum": format_points(band["min_points"]),
                        "total": format_points(total),
                    },
                )
            )
    if bands:
        lowest = min(bands, key=lambda band: band["min_points"])
        if lowest["min_points"] > pass_mark:
            problems.append(
                Problem(
                    "band_above_pass_mark",
                    _(
                        "The lowest rating band (“%(label)s”, from %(minimum)s points) starts "
                        "above the pass mark (%(pass_mark)s): a result could pass without a "
                        "rating."
                    )
                    % {
                        "label": lowest["label"],
                        "minimum": format_points(lowest["min_points"]),
                        "pass_mark": format_points(pass_mark),
                    },
                )
            )
    return problems


def _duplicates(values, code, message):
    return [
        Problem(code, message % {"code": value})
        for value, count in Counter(values).items()
        if count > 1
    ]


def campaign_problems(*, campaign, assignments, deadlines):
    """Problems with a campaign's criteria sets and province deadlines.

    `assignments` are (target group or None, CriteriaSet) pairs and `deadlines` are
    (province Area, date) pairs, as entered. A complete list of sets is only required to open
    a campaign, so that a draft can be saved half-done.
    """
    problems = []
    for group, criteria_set in assignments:
        problems += _assignment_problems(campaign, group, criteria_set)
    groups = [group for group, _criteria_set in assignments]
    if len(set(groups)) < len(groups):
        problems.append(
            Problem("duplicate_assignment", _("Choose only one criteria set per target group."))
        )
    if campaign.status == Campaign.Status.OPEN:
        problems += _missing_assignments(campaign, set(groups))
    provinces = [province for province, _closes_on in deadlines]
    problems += _duplicates(
        [str(province) for province in provinces],
        "duplicate_deadline",
        _("%(code)s has two deadlines."),
    )
    for province, closes_on in deadlines:
        if campaign.scope_id and not path_is_under(province.path, campaign.scope.path):
            problems.append(
                Problem(
                    "deadline_outside_scope",
                    _("%(province)s is outside this campaign's area.") % {"province": province},
                )
            )
        if campaign.opens_on and closes_on < campaign.opens_on:
            problems.append(
                Problem(
                    "deadline_before_opening",
                    _("The deadline for %(province)s is before the campaign opens.")
                    % {"province": province},
                )
            )
    return problems


def _assignment_problems(campaign, group, criteria_set):
    problems = []
    names = {"set": criteria_set, "year": campaign.year}
    if criteria_set.subject_kind != campaign.subject_kind:
        problems.append(
            Problem(
                "set_kind",
                _("“%(set)s” is for another kind of title than this campaign.") % names,
            )
        )
    elif group != criteria_set.target_group:
        problems.append(
            Problem(
                "set_target_group",
                _("“%(set)s” is written for another target group.") % names,
            )
        )
    if not criteria_set.is_published:
        problems.append(
            Problem(
                "set_draft",
                _("“%(set)s” is a draft: publish it before a campaign uses it.") % names,
            )
        )
    if campaign.year and not criteria_set.is_in_force(campaign.year):
        problems.append(
            Problem("set_not_in_force", _("“%(set)s” is not in force in %(year)s.") % names)
        )
    return problems


def _missing_assignments(campaign, groups):
    if campaign.subject_kind != SubjectKind.CITIZEN:
        if groups:
            return []
        return [
            Problem("missing_assignment", _("Choose the criteria set before opening the campaign."))
        ]
    return [
        Problem(
            "missing_assignment",
            _("Choose a criteria set for “%(group)s” before opening the campaign.")
            % {"group": group.label},
        )
        for group in TargetGroup
        if group.value not in groups
    ]
