"""The shape of a report: one row per child area plus a total, and the targets they are held to.

Counts are additive (a total row is the sum of its children); shares and averages are derived
from the counts, never summed.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import Indicator

# Current status of the assessments of the year, in workflow order. `recognised` counts only
# recognitions that stand; a revoked one is counted apart.
STATUS_KEYS = ("taking_part", "self_assessing", "submitted", "verified", "recognised")
STATUS_LABELS = {
    "taking_part": _("Taking part"),
    "self_assessing": _("Self-assessing"),
    "submitted": _("Submitted"),
    "verified": _("Verified"),
    "recognised": _("Recognised"),
    "revoked": _("Revoked"),
    "rejected": _("Rejected"),
}
NO_BAND = ""


def share(part, whole):
    """Percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class YearFigures:
    """What the assessments of one year say, for one area."""

    counts: Counter = field(default_factory=Counter)
    bands: Counter = field(default_factory=Counter)
    score_sum: Decimal = Decimal(0)
    scored: int = 0

    def add(self, other):
        self.counts.update(other.counts)
        self.bands.update(other.bands)
        self.score_sum += other.score_sum
        self.scored += other.scored

    @property
    def recognition_rate(self):
        return share(self.counts["recognised"], self.counts["taking_part"])

    @property
    def average_score(self):
        if not self.scored:
            return None
        return (self.score_sum / self.scored).quantize(Decimal("0.1"))


@dataclass
class Row:
    """One area's figures: the assessments of the year and the year before, the people behind
    the target indicators, and the digital-skills answers."""

    path: str
    name: str
    area: object = None
    current: YearFigures = field(default_factory=YearFigures)
    previous: YearFigures = field(default_factory=YearFigures)
    registered: int = 0
    population: int | None = None
    cadres: int = 0
    cadres_in_units: int = 0
    in_collectives: int = 0
    digital_answers: int = 0
    digital_basic: int = 0
    digital_proficient: int = 0

    def add(self, other):
        self.current.add(other.current)
        self.previous.add(other.previous)
        for name in (
            "registered",
            "cadres",
            "cadres_in_units",
            "in_collectives",
            "digital_answers",
            "digital_basic",
            "digital_proficient",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def in_scope(self):
        """Adults where the population is known, else the citizens registered here."""
        return self.population if self.population is not None else self.registered

    @property
    def recognised_change(self):
        return self.current.counts["recognised"] - self.previous.counts["recognised"]

    def indicator_values(self):
        return {
            Indicator.ADULTS_IN_COLLECTIVES: share(self.in_collectives, self.in_scope),
            Indicator.CADRES_IN_UNITS: share(self.cadres_in_units, self.cadres),
            Indicator.DIGITAL_BASIC: share(self.digital_basic, self.digital_answers),
            Indicator.DIGITAL_PROFICIENT: share(self.digital_proficient, self.digital_answers),
            Indicator.RECOGNITION_RATE: self.current.recognition_rate,
        }


@dataclass
class TargetComparison:
    indicator: str
    label: str
    actual: Decimal | None
    target: Decimal | None
    target_year: int | None

    @property
    def gap(self):
        if self.actual is None or self.target is None:
            return None
        return self.actual - self.target

    @property
    def met(self):
        gap = self.gap
        return None if gap is None else gap >= 0

    @property
    def marker(self):
        """A symbol and a word, so the state never rests on colour alone."""
        if self.met is None:
            return "–"
        return "✓" if self.met else "▼"


@dataclass
class Report:
    area: object
    year: int
    target_group: int | None
    subject_kind: str
    rows: list
    total: Row
    targets: list
    band_labels: list

    @property
    def previous_year(self):
        return self.year - 1
