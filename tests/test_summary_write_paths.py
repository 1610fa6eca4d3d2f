"""The kept summaries after the writes that used to bypass them (an area moved under another
parent, by hand or by the areas import; a unit's kind changed by the units import; a raw
`queryset.update`, repaired by `check_report_summaries --fix`), and what they cost: one recount
per transaction in a batch (a bulk delete of citizens), none for a save that changes nothing
counted (`test_citizen_summaries`), and only the target groups a save changed."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from wagtail.models import ReferenceIndex

from learning_units.models import Area, Citizen, LearningUnit, TargetGroup
from learning_units.services import areas_load_official, citizens_delete
from learning_units.signals import (
    announce_citizens_changed,
    changes_batched,
    citizens_changed,
)
from reports.models import CitizenSummary
from tests.factories import CitizenFactory, ProvinceFactory
from tests.test_citizen_summaries import assert_everything_equal, citizen_world, recognise_units
from tests.test_imports import AREA_HEADERS, UNIT_HEADERS, run, write_xlsx
from tests.test_report_summaries import assert_summaries_equal_a_live_recount

pytestmark = pytest.mark.django_db

SUMMARY_TABLE = "reports_citizensummary"


def test_citizens_and_assessments_stay_out_of_wagtail_reference_index(world):
    """Neither a citizen nor an assessment gets rows in Wagtail's reference index once the
    admin has registered its models: at a province's million rows that bookkeeping cost a few
    queries per write and a table several times their size, for "usage" screens nobody reads."""
    get_resolver().url_patterns  # noqa: B018
    citizen = CitizenFactory(area=world.branch_area)
    citizen.save()
    recognise_units(world)
    kinds = set(ReferenceIndex.objects.values_list("base_content_type__model", flat=True))
    assert not kinds & {"citizen", "assessment"}
    assert not ReferenceIndex.model_is_indexable(Citizen)


@pytest.fixture
def world():
    get_resolver().url_patterns  # noqa: B018 — the admin's viewsets register their models' references
    return citizen_world()


def assert_all_summaries_equal(world):
    assert_summaries_equal_a_live_recount()
    assert_everything_equal(world)


def measured():
    """The queries of the write, with the admin's URLs loaded (the `world` fixture): its
    viewsets register their models in Wagtail's reference index, which would remove a deleted
    object's references one by one in a savepoint and read a saved one again. Citizens and
    assessments are left out of that index (`wagtail_reference_index_ignore`), so these counts
    are what production pays."""
    return CaptureQueriesContext(connection)


def summary_writes(queries):
    return [q["sql"] for q in queries.captured_queries if SUMMARY_TABLE in q["sql"]]


# --- Writes that used to bypass the summaries ------------------------------------------------


def test_a_residential_area_moved_to_another_commune_keeps_the_summaries(world):
    recognise_units(world)
    hamlet = Area.objects.get(pk=world.branch_area.pk)
    hamlet.parent = world.other_commune
    hamlet.save()
    assert_all_summaries_equal(world)


def test_a_commune_moved_to_another_province_keeps_the_summaries(world):
    recognise_units(world)
    commune = Area.objects.get(pk=world.commune.pk)
    commune.parent = ProvinceFactory(parent=commune.parent.parent)
    commune.save()
    assert_all_summaries_equal(world)
    assert CitizenSummary.objects.filter(area=commune, province=commune.parent).exists()


def test_a_commune_moved_by_load_areas_keeps_the_summaries(world):
    recognise_units(world)
    commune = world.commune
    other = ProvinceFactory(parent=commune.parent.parent)
    areas_load_official(
        provinces=[(p.code, p.name, "") for p in (commune.parent, other)],
        wards=[(commune.code, commune.name, commune.division_type, other.code)],
    )
    assert Area.objects.get(pk=commune.pk).parent_id == other.pk
    assert_all_summaries_equal(world)


def test_a_residential_area_moved_by_the_areas_import_keeps_the_summaries(world, tmp_path):
    recognise_units(world)
    hamlet = world.branch_area
    rows = [[hamlet.code, hamlet.name, "", world.other_commune.code]]
    report = run(write_xlsx(tmp_path / "a.xlsx", AREA_HEADERS, rows), world.officer, "areas")
    assert report.applied and report.updated == 1
    assert Area.objects.get(pk=hamlet.pk).parent_id == world.other_commune.pk
    assert_all_summaries_equal(world)


def test_a_unit_kind_changed_by_the_units_import_keeps_the_summaries(world, tmp_path):
    recognise_units(world)
    family = LearningUnit.objects.get(pk=world.family.pk)
    family.code = "GD-01"
    family.save()
    members = "; ".join(  # those of the officer's province (the import's jurisdiction)
        family.members.exclude(area=world.far).values_list("citizen_id", flat=True)
    )
    row = ["Đơn vị", family.name, "GD-01", family.area.code, "", members]
    report = run(write_xlsx(tmp_path / "u.xlsx", UNIT_HEADERS, [row]), world.officer, "units")
    assert report.applied and report.updated == 1
    assert LearningUnit.objects.get(pk=family.pk).kind == LearningUnit.Kind.ORGANISATION
    assert_all_summaries_equal(world)


def test_the_check_fixes_what_a_raw_update_left(world, capsys):
    recognise_units(world)
    Citizen.objects.filter(pk=world.citizens[0].pk).update(area=world.other_hamlet)
    with pytest.raises(CommandError, match="--fix"):
        call_command("check_report_summaries")
    call_command("check_report_summaries", "--fix")
    out = capsys.readouterr().out
    assert "Fixed" in out and "equal a live recount" in out
    assert_all_summaries_equal(world)


# --- One recount per transaction in a batch --------------------------------------------------


def citizens_in(world, count):
    places = [world.branch_area, world.other_hamlet]
    return [
        CitizenFactory(area=places[n % 2], target_group=TargetGroup.values[n % 3])
        for n in range(count)
    ]


def test_deleting_20_citizens_costs_the_queries_of_deleting_one(world):
    one = citizens_in(world, 1)
    twenty = citizens_in(world, 20)
    with measured() as few:
        assert citizens_delete(citizens=Citizen.objects.filter(pk__in=[c.pk for c in one])) == 1
    with measured() as many:
        deleted = citizens_delete(citizens=Citizen.objects.filter(pk__in=[c.pk for c in twenty]))
    assert deleted == 20
    # One recount of the summaries (its delete and insert), whatever the number of citizens.
    assert len(summary_writes(many)) == len(summary_writes(few)) == 2
    assert len(many) == len(few)
    assert_all_summaries_equal(world)


def test_a_batch_announces_once_at_its_end_and_nested_batches_join_it():
    heard = []

    def receiver(sender, *, keys, **kwargs):
        heard.append(keys)

    citizens_changed.connect(receiver, dispatch_uid="test-batch")
    try:
        with changes_batched():
            announce_citizens_changed({1})
            with changes_batched():
                announce_citizens_changed(keys={(2, TargetGroup.CADRES)})
            assert heard == []
        assert heard == [{(1, None), (2, TargetGroup.CADRES)}]
    finally:
        citizens_changed.disconnect(dispatch_uid="test-batch")


def test_a_batch_that_fails_announces_nothing():
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    citizens_changed.connect(receiver, dispatch_uid="t-f")
    try:
        with pytest.raises(ValueError), changes_batched():
            announce_citizens_changed({1})
            raise ValueError
        announce_citizens_changed({2})  # no batch open any more: heard at once
        assert [kwargs["keys"] for kwargs in heard] == [{(2, None)}]
    finally:
        citizens_changed.disconnect(dispatch_uid="t-f")


# --- What a single save costs ----------------------------------------------------------------


def test_a_changed_group_recounts_only_its_old_and_new_group(world):
    citizen = Citizen.objects.get(pk=world.citizens[0].pk)
    old = citizen.target_group
    new = next(group for group in TargetGroup.values if group != old)
    untouched = set(TargetGroup.values) - {old, new}
    kept = set(
        CitizenSummary.objects.filter(target_group__in=untouched).values_list("pk", flat=True)
    )
    citizen.target_group = new
    with measured() as queries:
        citizen.save()
    # The rows of the third group are the same rows (not deleted and written again).
    assert kept and kept <= set(CitizenSummary.objects.values_list("pk", flat=True))
    # The save and its pending completions; the recount: the communes, three counts, their
    # areas, the summaries' delete and insert (and the advisory lock on PostgreSQL). It was
    # eleven (and the lock) when the areas took two queries each and every group was counted.
    assert len(queries) <= 9 + (connection.vendor == "postgresql")
    assert_everything_equal(world)
