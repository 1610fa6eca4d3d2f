"""The kept citizen summaries equal a live recount after every write of citizens or members
(single saves, deletions, both imports, members changed from either side, a unit's title
recognised or revoked, a unit deleted, an erasure), and the province and country reports read
them with a number of queries that does not grow with the citizens."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import AssessmentStatus, Recognition
from assessments.services.recognition import recognition_issue, recognition_revoke
from learning_units.data_protection import citizen_anonymise
from learning_units.models import Area, AreaLevel, Citizen, LearningUnit, TargetGroup
from reports.citizen_summaries import (
    citizen_differences,
    citizen_kept_counts,
    citizen_live_counts,
)
from reports.models import CitizenSummary
from reports.selectors import area_report
from reports.services import summaries_rebuild
from reports.table import cells
from tests.factories import (
    CentralAreaFactory,
    CitizenFactory,
    CommuneFactory,
    LearningUnitFactory,
    OfficerRoleFactory,
    ResidentialAreaFactory,
)
from tests.factories.review import YEAR, make_assessment, review_world
from tests.test_imports import (
    CITIZEN_HEADERS,
    UNIT_HEADERS,
    citizen_row,
    run,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def world():
    return citizen_world()


def citizen_world():
    """Citizens of every target group over two communes of a province and one elsewhere; a
    family with members in both communes and an organisation with cadres, each with a verified
    assessment (not yet recognised); summaries built."""
    world = review_world()
    province = world.commune.parent
    world.other_commune = CommuneFactory(parent=province)
    world.other_hamlet = ResidentialAreaFactory(parent=world.other_commune)
    world.far = ResidentialAreaFactory(parent=CommuneFactory(parent__parent=CentralAreaFactory()))
    places = [world.branch_area, world.other_branch_area, world.other_hamlet, world.far]
    world.citizens = [
        CitizenFactory(area=places[n % len(places)], target_group=TargetGroup.values[n % 3])
        for n in range(12)
    ]
    world.family = LearningUnitFactory(kind="family", area=world.branch_area)
    world.family.members.set(world.citizens[:6])
    world.school = LearningUnitFactory(kind="organisation", area=world.commune)
    cadres = [c for c in world.citizens if c.target_group == TargetGroup.CADRES]
    for cadre in cadres:
        cadre.workplace = world.school
        cadre.save()
    world.unit_assessments = [
        make_assessment(world, status=S.VERIFIED, learning_unit=unit)
        for unit in (world.family, world.school)
    ]
    world.officer = OfficerRoleFactory(area=province).user
    summaries_rebuild()
    return world


def recognise_units(world):
    recognition_issue(
        assessments=world.unit_assessments,
        officer=world.officers["commune"],
        number="12/QĐ-KH",
        decided_on=world.campaign.closes_on,
        signer="Chủ tịch",
        issuing_area=world.commune,
    )


def assert_citizen_summaries_equal_a_live_recount():
    kept = citizen_kept_counts(CitizenSummary.objects.all())
    assert kept  # something is kept: the comparison is not of two empty sets
    assert citizen_differences(kept, citizen_live_counts()) == []


def assert_reports_equal_live(area, **filters):
    kept = area_report(area, year=YEAR, **filters)
    live = area_report(area, year=YEAR, live=True, **filters)
    assert [(row.path, cells(kept, row)) for row in kept.rows] == [
        (row.path, cells(live, row)) for row in live.rows
    ]
    assert cells(kept, kept.total) == cells(live, live.total)
    for name in ("registered", "cadres", "in_collectives", "cadres_in_units"):
        assert getattr(kept.total, name) == getattr(live.total, name), name


def assert_everything_equal(world):
    assert_citizen_summaries_equal_a_live_recount()
    country = Area.objects.get(level=AreaLevel.CENTRAL)
    for area in (world.commune.parent, country):
        assert_reports_equal_live(area)
        assert_reports_equal_live(area, target_group=TargetGroup.CADRES)
        assert_reports_equal_live(area, subject_kind="family")


def register(world):
    CitizenFactory(area=world.other_hamlet, target_group=TargetGroup.CADRES)


def move(world):
    citizen = Citizen.objects.get(pk=world.citizens[0].pk)
    citizen.area = world.other_hamlet
    citizen.save()


def change_group(world):
    citizen = Citizen.objects.get(pk=world.citizens[1].pk)
    citizen.target_group = TargetGroup.CADRES
    citizen.workplace = world.school
    citizen.save()


def delete(world):
    world.family.members.remove(world.citizens[2])
    Citizen.objects.get(pk=world.citizens[2].pk).delete()


def recognise(world):
    recognise_units(world)


def revoke(world):
    recognise_units(world)
    recognition = Recognition.objects.get(assessment=world.unit_assessments[0])
    recognition_revoke(recognition=recognition, officer=world.officers["commune"], reason="x")


def add_members(world):
    recognise_units(world)
    world.family.members.add(*world.citizens[6:9])


def remove_members(world):
    recognise_units(world)
    world.family.members.remove(world.citizens[0], world.citizens[2])


def join_from_the_citizen(world):
    recognise_units(world)
    world.citizens[7].learning_units.add(world.family)


def clear_members(world):
    recognise_units(world)
    world.family.members.clear()


def change_kind(world):
    # A unit with a title cannot be deleted (its assessments protect it), but its kind can
    # change: a family's members stop counting once it is an organisation.
    recognise_units(world)
    family = LearningUnit.objects.get(pk=world.family.pk)
    family.kind = LearningUnit.Kind.ORGANISATION
    family.save()


def erase(world):
    recognise_units(world)
    citizen_anonymise(citizen=world.citizens[0], officer=world.officer)


def import_citizens(world, tmp_path):
    moved = world.citizens[4]  # in the first commune's hamlet, moved to the other commune's
    rows = [
        citizen_row(area=world.other_hamlet.code, group=2),
        citizen_row(
            moved.citizen_id,
            moved.full_name,
            "Nữ" if moved.gender == "female" else "Nam",
            moved.birth_year,
            area=world.other_hamlet.code,
            group=TargetGroup.CADRES,
        ),
    ]
    report = run(write_xlsx(tmp_path / "c.xlsx", CITIZEN_HEADERS, rows), world.officer)
    assert report.applied and (report.new, report.updated) == (1, 1)


def import_units(world, tmp_path):
    recognise_units(world)
    joining = [c for c in world.citizens[6:] if c.area != world.far][:3]
    members = "; ".join(c.citizen_id for c in joining)
    row = ["Gia đình", world.family.name, "", world.branch_area.code, "", members]
    report = run(write_xlsx(tmp_path / "u.xlsx", UNIT_HEADERS, [row]), world.officer, "units")
    assert report.applied and report.updated == 1


WRITES = [
    register,
    move,
    change_group,
    delete,
    recognise,
    revoke,
    add_members,
    remove_members,
    join_from_the_citizen,
    clear_members,
    change_kind,
    erase,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
def test_citizen_summaries_equal_a_live_recount_after_every_write(world, write):
    write(world)
    assert_everything_equal(world)


@pytest.mark.parametrize("write", [import_citizens, import_units], ids=lambda w: w.__name__)
def test_citizen_summaries_equal_a_live_recount_after_an_import(world, write, tmp_path):
    write(world, tmp_path)
    assert_everything_equal(world)


def test_recognised_collectives_are_counted_in_the_province_report(world):
    recognise_units(world)
    report = area_report(world.commune.parent, year=YEAR)
    # The family's members of the province (its two communes), the school's cadres there.
    members = [c for c in world.citizens[:6] if c.area != world.far]
    cadres = [c for c in world.citizens if c.workplace_id and c.area != world.far]
    assert report.total.in_collectives == len(members) > 0
    assert report.total.cadres_in_units == len(cadres) > 0


def test_saving_a_citizen_without_a_counted_change_writes_no_summary(world):
    citizen = Citizen.objects.get(pk=world.citizens[0].pk)
    citizen.phone = "0912345678"
    with CaptureQueriesContext(connection) as queries:
        citizen.save()
    assert "reports_citizensummary" not in " ".join(q["sql"] for q in queries.captured_queries)


def test_report_queries_do_not_grow_with_the_citizens(world):
    recognise_units(world)
    province = world.commune.parent
    country = Area.objects.get(level=AreaLevel.CENTRAL)
    with CaptureQueriesContext(connection) as small:
        area_report(province, year=YEAR)
        area_report(country, year=YEAR)
    more = [CitizenFactory(area=world.other_hamlet, target_group=TargetGroup.CADRES)]
    more += [CitizenFactory(area=world.far) for _ in range(5)]
    world.family.members.add(*more)
    with CaptureQueriesContext(connection) as large:
        area_report(province, year=YEAR)
        area_report(country, year=YEAR)
    assert len(small) == len(large)
    read = " ".join(query["sql"] for query in large.captured_queries)
    assert "reports_citizensummary" in read
    for table in (
        "learning_units_citizen",
        "assessments_assessment",
        "learning_units_learningunit_members",
    ):
        assert f'"{table}"' not in read, table


def test_check_command_lists_citizen_differences(world, capsys):
    call_command("check_report_summaries")
    assert "equal a live recount" in capsys.readouterr().out

    # A write past the signals (a raw update of an area) is what the check finds.
    Citizen.objects.filter(pk=world.citizens[0].pk).update(area=world.other_hamlet)
    with pytest.raises(CommandError, match="2 summary rows differ"):
        call_command("check_report_summaries")
    listing = capsys.readouterr().out
    assert f"{world.commune.path} year=None" in listing

    call_command("check_report_summaries", "--rebuild")
    call_command("check_report_summaries")
    assert_citizen_summaries_equal_a_live_recount()
