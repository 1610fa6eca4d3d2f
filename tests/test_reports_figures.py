"""Report figures equal an independent count straight from the tables."""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, AssessmentStatus, IndicatorAnswer, Recognition
from learning_units.models import LearningUnit
from reports.models import AreaPopulation, Indicator, Target
from reports.selectors import area_report, population_for
from reports.services import summaries_rebuild, targets_load_defaults
from tests.factories import (
    CitizenFactory,
    CommuneFactory,
    LearningUnitFactory,
    ResidentialAreaFactory,
)
from tests.factories.review import YEAR, make_assessment, recognise_directly, review_world

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def world():
    world = review_world()
    world.indicators[0].is_digital_skill = True
    world.indicators[0].save()
    world.other_commune = CommuneFactory(parent=world.commune.parent)
    world.other_hamlet = ResidentialAreaFactory(parent=world.other_commune)
    return world


def generate(world, seed=7, count=60):
    """Assessments in every status spread over two communes, this year and last, including
    recognised-then-revoked, returned-then-resubmitted and citizens who moved afterwards."""
    rng = random.Random(seed)
    areas = [world.branch_area, world.other_branch_area, world.other_hamlet, world.commune]
    statuses = [S.DRAFT, S.RETURNED, S.SUBMITTED, S.VERIFIED, S.RECOGNISED, S.REJECTED]
    made = []
    for n in range(count):
        status = rng.choice(statuses)
        area = rng.choice(areas)
        points = [rng.choice([0, 5, 10, 16, 20]) for _ in world.indicators]
        citizen = CitizenFactory(area=area, target_group=rng.choice([1, 2, 3]))
        assessment = make_assessment(world, status=status, citizen=citizen, points=points)
        Assessment.objects.filter(pk=assessment.pk).update(
            target_group=citizen.target_group, year=YEAR if n % 4 else YEAR - 1
        )
        made.append(assessment)
    recognised = [a for a in made if a.status == S.RECOGNISED]
    for assessment in recognised[:3]:  # recognised, then revoked
        Recognition.objects.filter(assessment=assessment).update(revoked=True, revoked_reason="x")
    for assessment in [a for a in made if a.status == S.SUBMITTED][:3]:
        # returned, then resubmitted: the current status is what counts
        assessment.events.create(action="return", from_status=S.SUBMITTED, to_status=S.RETURNED)
        assessment.events.create(action="submit", from_status=S.RETURNED, to_status=S.SUBMITTED)
    for assessment in made[:8]:  # moved to the other commune after being assessed
        citizen = assessment.citizen
        citizen.area = world.other_hamlet if citizen.area != world.other_hamlet else world.agency
        citizen.save()
    summaries_rebuild()  # written straight to the tables, past the services that keep them
    return made


def independent(path, year, **filters):
    """Counts straight from the tables for one subtree, without the report's GROUP BY."""
    rows = Assessment.objects.filter(area__path__startswith=path, year=year, **filters)
    standing = Recognition.objects.filter(revoked=False).values("assessment_id")
    revoked = Recognition.objects.filter(revoked=True).values("assessment_id")
    assessed = rows.filter(status__in=[S.SUBMITTED, S.VERIFIED, S.RECOGNISED]).exclude(
        pk__in=revoked
    )
    scores = [a.verified_total if a.verified_total is not None else a.self_total for a in assessed]
    return {
        "taking_part": rows.count(),
        "self_assessing": rows.filter(status__in=[S.DRAFT, S.RETURNED]).count(),
        "submitted": rows.filter(status=S.SUBMITTED).count(),
        "verified": rows.filter(status=S.VERIFIED).count(),
        "recognised": rows.filter(status=S.RECOGNISED, pk__in=standing).count(),
        "revoked": rows.filter(pk__in=revoked).count(),
        "rejected": rows.filter(status=S.REJECTED).count(),
        "scored": len(scores),
        "score_sum": sum(scores, Decimal(0)),
        "bands": {band: assessed.filter(band=band).count() for band in ("Tốt", "Khá", "")},
    }


def figures_of(row_figures):
    counts = {key: row_figures.counts[key] for key in independent_keys()}
    counts["scored"] = row_figures.scored
    counts["score_sum"] = row_figures.score_sum
    counts["bands"] = {band: row_figures.bands[band] for band in ("Tốt", "Khá", "")}
    return counts


def independent_keys():
    return (
        "taking_part",
        "self_assessing",
        "submitted",
        "verified",
        "recognised",
        "revoked",
        "rejected",
    )


def test_province_and_commune_figures_equal_an_independent_count(world):
    generate(world)
    province = world.commune.parent
    report = area_report(province, year=YEAR)
    by_path = {row.path: row for row in report.rows}
    for commune in (world.commune, world.other_commune):
        row = by_path[commune.path]
        assert figures_of(row.current) == independent(commune.path, YEAR)
        assert figures_of(row.previous) == independent(commune.path, YEAR - 1)
    assert figures_of(report.total.current) == independent(province.path, YEAR)

    commune_report = area_report(world.commune, year=YEAR)
    rows = {row.path: row for row in commune_report.rows}
    for hamlet in (world.branch_area, world.other_branch_area):
        assert figures_of(rows[hamlet.path].current) == independent(hamlet.path, YEAR)
    # Assessments recorded on the commune itself get a row of their own.
    direct = rows[world.commune.path]
    assert direct.area is None
    assert figures_of(direct.current) == independent(world.commune.path, YEAR, area=world.commune)


def test_moved_citizens_are_counted_where_they_were_assessed(world):
    made = generate(world)
    moved = made[0]
    moved.refresh_from_db()
    assert moved.citizen.area.path != moved.area.path
    report = area_report(world.commune.parent, year=moved.year)
    commune_of_assessment = next(r for r in report.rows if moved.area.path.startswith(r.path))
    assert (
        commune_of_assessment.current.counts["taking_part"]
        == Assessment.objects.filter(
            area__path__startswith=commune_of_assessment.path, year=moved.year
        ).count()
    )
    # …while "registered" follows where the citizen lives now.
    from learning_units.models import Citizen

    for row in report.rows:
        assert row.registered == Citizen.objects.filter(area__path__startswith=row.path).count()


def test_filters_by_target_group(world):
    generate(world)
    report = area_report(world.commune.parent, year=YEAR, target_group=3)
    assert figures_of(report.total.current) == independent(
        world.commune.parent.path, YEAR, target_group=3
    )


def test_digital_skills_count_answers_of_submitted_assessments(world):
    generate(world)
    report = area_report(world.commune.parent, year=YEAR)
    answers = (
        IndicatorAnswer.objects.filter(
            indicator__is_digital_skill=True,
            assessment__year=YEAR,
            assessment__status__in=[S.SUBMITTED, S.VERIFIED, S.RECOGNISED],
        )
        .exclude(assessment__recognition__revoked=True)
        .select_related("indicator")
    )
    points = [
        (a.verified_points if a.verified_points is not None else a.self_points, a.indicator)
        for a in answers
    ]
    assert report.total.digital_answers == len(points)
    assert report.total.digital_basic == sum(1 for p, _i in points if p > 0)
    assert report.total.digital_proficient == sum(1 for p, i in points if p >= i.max_points)


def test_collective_titles_and_cadres_in_learning_units(world):
    family = LearningUnitFactory(kind=LearningUnit.Kind.FAMILY, area=world.branch_area)
    members = [CitizenFactory(area=world.branch_area) for _ in range(3)]
    family.members.set(members)
    office = LearningUnitFactory(kind=LearningUnit.Kind.ORGANISATION, area=world.branch_area)
    CitizenFactory(area=world.branch_area, target_group=3, workplace=office)
    CitizenFactory(area=world.branch_area, target_group=3)
    for unit in (family, office):
        make_assessment(world, status=S.RECOGNISED, learning_unit=unit)
    # a revoked family title does not count
    revoked_family = LearningUnitFactory(kind=LearningUnit.Kind.FAMILY, area=world.branch_area)
    revoked_family.members.set([CitizenFactory(area=world.branch_area)])
    make_assessment(world, status=S.RECOGNISED, learning_unit=revoked_family)
    Recognition.objects.filter(assessment__learning_unit=revoked_family).update(revoked=True)
    AreaPopulation.objects.create(area=world.commune, year=YEAR, adults=20)
    targets_load_defaults()
    summaries_rebuild()

    report = area_report(world.commune.parent, year=YEAR)
    assert report.total.in_collectives == 3
    assert report.total.cadres == 2
    assert report.total.cadres_in_units == 1
    assert report.total.population == 20
    values = report.total.indicator_values()
    assert values[Indicator.ADULTS_IN_COLLECTIVES] == Decimal("15.0")
    assert values[Indicator.CADRES_IN_UNITS] == Decimal("50.0")
    by_key = {t.indicator: t for t in report.targets}
    assert by_key[Indicator.CADRES_IN_UNITS].target == Decimal("80")  # the 2030 milestone
    assert by_key[Indicator.CADRES_IN_UNITS].gap == Decimal("-30.0")
    assert by_key[Indicator.CADRES_IN_UNITS].marker == "▼"

    families = area_report(world.commune.parent, year=YEAR, subject_kind="family")
    assert families.total.current.counts["recognised"] == 1
    assert families.total.current.counts["revoked"] == 1
    assert families.total.registered == 2


def test_a_province_target_overrides_the_national_one(world):
    targets_load_defaults()
    Target.objects.create(
        indicator=Indicator.CADRES_IN_UNITS, year=2030, value=85, area=world.commune.parent
    )
    report = area_report(world.commune, year=YEAR)
    by_key = {t.indicator: t for t in report.targets}
    assert by_key[Indicator.CADRES_IN_UNITS].target == Decimal("85")
    assert by_key[Indicator.ADULTS_IN_COLLECTIVES].target == Decimal("60")
    assert area_report(world.commune, year=2025).targets[0].target == Decimal("40")


def test_population_uses_the_highest_figure_below_an_area():
    populations = {"VN/1/A/": 100, "VN/1/A/x/": 40, "VN/1/B/x/": 10, "VN/1/B/y/": 5}
    assert population_for("VN/1/A/", populations) == 100
    assert population_for("VN/1/B/", populations) == 15
    assert population_for("VN/1/", populations) == 115
    assert population_for("VN/2/", populations) is None


def test_report_query_count_does_not_grow_with_the_data(world):
    generate(world, count=10)
    province = world.commune.parent
    with CaptureQueriesContext(connection) as small:
        area_report(province, year=YEAR)
    generate(world, seed=8, count=40)
    recognise_directly([], world.commune)
    with CaptureQueriesContext(connection) as large:
        area_report(province, year=YEAR)
    assert len(small) == len(large) <= 8


def test_the_country_snapshot_equals_the_live_report(world):
    from learning_units.models import Area, AreaLevel
    from reports.snapshots import report_for
    from reports.table import cells
    from reports.tasks import refresh_report_snapshots

    generate(world)
    targets_load_defaults()
    country = Area.objects.get(level=AreaLevel.CENTRAL)
    live, refreshed_at = report_for(country, year=YEAR)
    assert refreshed_at is None
    refresh_report_snapshots.enqueue(YEAR)
    with CaptureQueriesContext(connection) as queries:
        snapshot, refreshed_at = report_for(country, year=YEAR)
    assert refreshed_at is not None
    assert len(queries) <= 3
    assert [cells(live, row) for row in live.rows] == [
        cells(snapshot, row) for row in snapshot.rows
    ]
    assert cells(live, live.total) == cells(snapshot, snapshot.total)
    assert [(t.actual, t.target) for t in live.targets] == [
        (t.actual, t.target) for t in snapshot.targets
    ]
    grouped, _at = report_for(country, year=YEAR, target_group=3)
    assert (
        grouped.total.current.counts
        == area_report(country, year=YEAR, target_group=3).total.current.counts
    )
