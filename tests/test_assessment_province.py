"""`Assessment.province` (issue #22): the province an assessment's area lies in, kept equal to
what the area says after every write, and the province officer's queue read from it."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import selectors
from assessments.models import Assessment, AssessmentStatus
from assessments.services.self_assessment import assessment_start
from learning_units import jurisdiction
from learning_units.models import Area
from tests.factories.people import (
    CitizenFactory,
    CommuneFactory,
    OfficerRoleFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
)
from tests.factories.review import bulk_assessments, make_assessment, review_world_in_admin

pytestmark = pytest.mark.django_db

QUEUE = "assessment_review:index"


@pytest.fixture
def world(db):
    return review_world_in_admin()


def province_by_path(assessment):
    """What the area says: the province whose subtree holds the assessment's area."""
    assessment.refresh_from_db()
    path = Area.objects.get(pk=assessment.area_id).province_path
    return Area.objects.get(path=path).pk if path else None


def assert_provinces_follow_areas():
    for assessment in Assessment.objects.all():
        stored = assessment.province_id
        assert stored == province_by_path(assessment), assessment.pk


def other_branch_in_another_province():
    return ResidentialAreaFactory(parent=CommuneFactory())


def test_a_started_assessment_lies_in_its_area_province(world):
    citizen = CitizenFactory(area=world.branch_area)
    assessment = assessment_start(
        citizen=citizen, actor=world.officers["branch"], campaign=world.campaign
    )

    assert assessment.province_id == world.commune.parent_id
    assert_provinces_follow_areas()


def test_created_and_bulk_created_assessments_have_their_province(world):
    make_assessment(world)
    bulk_assessments(world, 3, area=world.other_branch_area)
    bulk_assessments(world, 2, area=other_branch_in_another_province())

    assert Assessment.objects.filter(province__isnull=True).count() == 0
    assert_provinces_follow_areas()


def test_a_changed_area_changes_the_province_on_save(world):
    assessment = make_assessment(world)
    elsewhere = other_branch_in_another_province()

    assessment.area = elsewhere
    assessment.save(update_fields=["area"])
    assert_provinces_follow_areas()

    assessment.area = world.branch_area
    assessment.save()
    assert_provinces_follow_areas()


def test_queryset_updates_of_the_area_change_the_province(world):
    bulk_assessments(world, 3)
    elsewhere = other_branch_in_another_province()

    Assessment.objects.update(area=elsewhere)
    assert_provinces_follow_areas()

    Assessment.objects.update(area_id=world.commune.pk)
    assert_provinces_follow_areas()

    rows = list(Assessment.objects.all())
    for row in rows:
        row.area_id = elsewhere.pk
    Assessment.objects.bulk_update(rows, ["area"])
    assert_provinces_follow_areas()


def test_moving_a_commune_to_another_province_moves_its_assessments(world):
    make_assessment(world)
    bulk_assessments(world, 3, area=world.other_branch_area)
    old_province = world.commune.parent
    new_province = ProvinceFactory()
    old_officer = world.officers["province"]
    new_officer = OfficerRoleFactory(area=new_province).user

    commune = Area.objects.get(pk=world.commune.pk)  # as loaded: `Area.save` tells a move
    commune.parent = new_province
    commune.save()

    assert Assessment.objects.filter(province=new_province).count() == 4
    assert not Assessment.objects.filter(province=old_province).exists()
    assert_provinces_follow_areas()
    assert selectors.assessment_queue(user=new_officer).count() == 4
    assert selectors.assessment_queue(user=old_officer).count() == 0


def test_the_migration_fills_every_province(world):
    make_assessment(world)
    bulk_assessments(world, 2, area=other_branch_in_another_province())
    Assessment.objects.update(province_id=None)
    migration = importlib.import_module(
        "assessments.migrations.0010_assessment_province_for_the_queue"
    )

    migration.fill_provinces(django_apps, None)

    assert_provinces_follow_areas()


def test_each_officer_sees_exactly_the_assessments_of_their_subtree(world):
    """The province column gives the same rows as the area path for every kind of role."""
    make_assessment(world)
    bulk_assessments(world, 2, area=world.other_branch_area)
    bulk_assessments(world, 2, area=world.agency)
    elsewhere = other_branch_in_another_province()
    bulk_assessments(world, 3, area=elsewhere)
    two_provinces = OfficerRoleFactory(area=world.commune.parent).user
    OfficerRoleFactory(user=two_provinces, area=elsewhere.parent.parent)
    province_and_commune = OfficerRoleFactory(area=elsewhere.parent.parent).user
    OfficerRoleFactory(user=province_and_commune, area=world.commune)
    central = OfficerRoleFactory(area=world.commune.parent.parent).user
    users = [*world.officers.values(), two_provinces, province_and_commune, central]

    for user in users:
        by_path = set(
            jurisdiction.scope(Assessment.objects.all(), user).values_list("pk", flat=True)
        )
        shown = set(selectors.assessment_queue(user=user).values_list("pk", flat=True))
        assert shown == by_path, user
    assert len(set(selectors.assessment_queue(user=two_provinces))) == 8
    assert set(selectors.assessment_queue(user=world.officers["province"])) == set(
        Assessment.objects.filter(area__parent=world.commune)
    )


def test_a_province_officer_never_sees_another_province_in_the_queue(client, world):
    mine = make_assessment(world, full_name="Nguyễn Thị Hoa")
    theirs = make_assessment(
        world, full_name="Nguyễn Thị Lan", area=other_branch_in_another_province()
    )
    client.force_login(world.officers["province"])

    listed = client.get(reverse(QUEUE), {"status": "submitted"}).context["object_list"]
    searched = client.get(reverse(QUEUE), {"status": "submitted", "q": "nguyen"})

    assert list(listed) == [mine]
    assert list(searched.context["object_list"]) == [mine]
    assert client.get(reverse("assessment_review:review", args=[theirs.pk])).status_code == 404


def queue_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(QUEUE), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{"status": "submitted"}, {"status": "submitted", "q": "an"}])
def test_the_province_queue_query_count_does_not_grow_with_rows(client, world, params):
    client.force_login(world.officers["province"])
    bulk_assessments(world, 5)
    few = queue_queries(client, params)

    bulk_assessments(world, 120, area=world.other_branch_area)
    bulk_assessments(world, 40, area=world.agency, status=AssessmentStatus.VERIFIED)

    assert queue_queries(client, params) == few


@pytest.mark.parametrize("matched_ids", [1_000, 1])
def test_a_name_search_finds_the_same_rows_by_ids_or_by_subquery(monkeypatch, world, matched_ids):
    """Up to `MATCHED_IDS` people or units a name matches are searched by their ids, more
    through a subquery: the same rows either way, never outside the officer's province."""
    monkeypatch.setattr(selectors.review, "MATCHED_IDS", matched_ids)
    bulk_assessments(world, 4, names=["Nguyễn Thị Hoa", "Trần Văn Bình"])
    bulk_assessments(world, 2, names=["Nguyễn Thị Hoa"], area=other_branch_in_another_province())
    queue = selectors.assessment_queue(user=world.officers["province"])

    found = selectors.assessment_search(queue, "nguyen thi hoa")

    assert sorted(str(a.subject) for a in found) == ["Nguyễn Thị Hoa 0", "Nguyễn Thị Hoa 2"]
    assert not selectors.assessment_search(queue, "khong co ai").exists()
