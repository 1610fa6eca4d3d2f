"""The queue's counts per status are kept (assessments/queue_counts.py) but never lag behind a
change: every write that moves an assessment between counts makes the kept ones unused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, AssessmentStatus
from assessments.services.review import assessment_verify
from tests.factories.review import make_assessment, review_world_in_admin

pytestmark = pytest.mark.django_db

S = AssessmentStatus
RESULTS = "assessment_review:index_results"


@pytest.fixture
def world(db):
    return review_world_in_admin()


def counts(client, **params):
    response = client.get(reverse(RESULTS), {"status": "submitted", **params})
    assert response.status_code == 200
    return {tab["status"]: tab["count"] for tab in response.context["status_tabs"]}


def count_queries(client, **params):
    with CaptureQueriesContext(connection) as queries:
        counts(client, **params)
    return sum(
        "COUNT(" in q["sql"].upper() and '"assessments_assessment"' in q["sql"] for q in queries
    )


def test_counts_are_kept_between_pages_and_filters_that_do_not_change(client, world):
    make_assessment(world)
    client.force_login(world.officers["commune"])
    assert count_queries(client) == 1
    assert count_queries(client) == 0  # kept
    assert count_queries(client, p=2) == 0  # another page, same counts
    assert count_queries(client, status="verified") == 0  # another tab, same counts
    assert count_queries(client, area=world.branch_area.pk) == 1  # another filter: counted


@pytest.mark.parametrize("params", [{"q": "nguyen"}, {"score_min": "50"}, {"has_evidence": "1"}])
def test_counts_under_searches_points_or_evidence_are_always_live(client, world, params):
    make_assessment(world, full_name="Nguyễn Thị Hoa")  # a name no one has counts nothing
    client.force_login(world.officers["commune"])
    first = count_queries(client, **params)
    assert first >= 1  # a search counts each status up to a cap: one capped query per status
    assert count_queries(client, **params) == first  # counted again: never kept


def test_a_transition_shows_at_once(client, world):
    assessment = make_assessment(world)
    client.force_login(world.officers["commune"])
    assert counts(client)[S.SUBMITTED] == 1
    assessment_verify(assessment=assessment, officer=world.officers["branch"])
    after = counts(client)
    assert (after[S.SUBMITTED], after[S.VERIFIED]) == (0, 1)


def test_new_and_deleted_assessments_show_at_once(client, world):
    client.force_login(world.officers["commune"])
    assert counts(client)[""] == 0
    assessment = make_assessment(world)
    assert counts(client)[""] == 1
    Assessment.objects.filter(pk=assessment.pk).delete()
    assert counts(client)[""] == 0
    make_assessment(world)
    assert counts(client)[""] == 1
    assessment = Assessment.objects.get()
    assessment.delete()
    assert counts(client)[""] == 0


def test_officers_never_share_counts(client, world):
    make_assessment(world)
    make_assessment(world, area=world.other_branch_area)
    client.force_login(world.officers["commune"])
    assert counts(client)[""] == 2
    client.force_login(world.officers["branch"])
    assert counts(client)[""] == 1


def test_a_lost_version_never_brings_back_old_counts(client, world):
    from django.core.cache import cache

    from assessments import queue_counts

    client.force_login(world.officers["commune"])
    assert counts(client)[""] == 0
    make_assessment(world)
    cache.delete(queue_counts.VERSION_KEY)  # evicted
    assert counts(client)[""] == 1
