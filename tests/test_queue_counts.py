"""The queue's counts per status (assessments/queue_counts.py): for a commune, a province or the
country under the filters the kept summaries are grouped by, summed from them — exact after
every transition, never another province's, without counting an assessment; below a commune,
or under a search, points or evidence, counted live (issue #22)."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import selectors
from assessments.models import Assessment, AssessmentStatus
from assessments.review_admin import waiting_queues
from learning_units.models import Area
from tests.factories import OfficerRoleFactory, ProvinceFactory, UserFactory
from tests.factories.review import YEAR, bulk_assessments, make_assessment
from tests.test_report_summaries import TRANSITIONS, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

S = AssessmentStatus
RESULTS = "assessment_review:index_results"
PER_PAGE = 50
ASSESSMENTS_TABLE = '"assessments_assessment"'
# Officers whose counts are the kept summaries' (a commune, a province, the country).
KEPT = ("commune", "province", "central", "superuser", "other_province")
# Officers below a commune: counted live.
LIVE = ("branch", "agency_board")


@pytest.fixture
def officers(world):  # noqa: F811
    """The world's officers, a central one, a superuser and another province's officer, all
    allowed into the admin."""
    country = world.commune.parent.parent
    officers = dict(world.officers)
    officers["central"] = OfficerRoleFactory(area=country).user
    officers["superuser"] = UserFactory(is_superuser=True)
    world.second_province = ProvinceFactory(parent=country)
    officers["other_province"] = OfficerRoleFactory(area=world.second_province).user
    access = Permission.objects.get(codename="access_admin")
    for user in officers.values():
        user.user_permissions.add(access)
    return officers


def page(client, **params):
    """The tabs' counts of the queue page, and the queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(RESULTS), params)
    assert response.status_code == 200
    tabs = {tab["status"]: tab["count"] for tab in response.context["status_tabs"]}
    return tabs, [q["sql"] for q in queries.captured_queries]


def counted_assessments(queries):
    return [sql for sql in queries if "COUNT(" in sql.upper() and ASSESSMENTS_TABLE in sql]


def live(user, **filters):
    """The tabs' counts counted over the assessments themselves."""
    rows = selectors.assessment_queue(user=user).filter(**filters)
    counts = selectors.assessment_status_counts(rows)
    return {"": sum(counts.values()), **counts}


def assert_every_role_sees_live_counts(client, officers, **params):
    for role, user in officers.items():
        if role == "citizen":
            continue
        client.force_login(user)
        tabs, queries = page(client, **params)
        filters = {"year": YEAR} if "year" in params else {}
        assert tabs == live(user, **filters), role
        if role in KEPT:
            assert counted_assessments(queries) == [], role


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.__name__)
def test_counts_equal_a_live_count_after_every_transition(client, world, officers, transition):  # noqa: F811
    transition(world)
    assert_every_role_sees_live_counts(client, officers)
    assert_every_role_sees_live_counts(client, officers, year=YEAR)


def test_counts_follow_a_deleted_assessment(client, world, officers):  # noqa: F811
    Assessment.objects.filter(pk=world.subjects[S.SUBMITTED].pk).delete()
    world.subjects[S.VERIFIED].delete()
    assert_every_role_sees_live_counts(client, officers)


def test_counts_follow_a_commune_moved_to_another_province(client, world, officers):  # noqa: F811
    commune = Area.objects.get(pk=world.commune.pk)
    commune.parent = world.second_province
    commune.save()
    assert_every_role_sees_live_counts(client, officers)
    client.force_login(officers["other_province"])
    assert page(client)[0][""] > 0  # the commune's assessments came with it


def test_counts_under_the_area_target_group_and_province_filters(client, world, officers):  # noqa: F811
    cases = [
        ("province", {"area": world.other_commune.pk}, {"area__parent": world.other_commune}),
        ("province", {"area": world.commune.pk}, {"area__path__startswith": world.commune.path}),
        ("province", {"target_group": "2"}, {"target_group": 2}),
        ("central", {"province": world.commune.parent_id}, {"province": world.commune.parent}),
        (
            "superuser",
            {"province": world.commune.parent_id, "area": world.commune.pk, "year": YEAR},
            {"area__path__startswith": world.commune.path, "year": YEAR},
        ),
    ]
    for role, params, filters in cases:
        client.force_login(officers[role])
        tabs, queries = page(client, **params)
        assert tabs == live(officers[role], **filters), (role, params)
        assert tabs[""] > 0, (role, params)
        assert counted_assessments(queries) == [], (role, params)


def test_a_filter_on_an_area_below_a_commune_is_counted_live(client, world, officers):  # noqa: F811
    client.force_login(officers["province"])
    tabs, queries = page(client, area=world.branch_area.pk)
    assert tabs == live(officers["province"], area=world.branch_area)
    assert counted_assessments(queries)


def test_a_province_officer_never_sees_another_provinces_counts(client, world, officers):  # noqa: F811
    client.force_login(officers["other_province"])
    assert set(page(client)[0].values()) == {0}
    # Asking for the world's province or commune is no way in: the filter is not theirs.
    assert set(page(client, province=world.commune.parent_id)[0].values()) == {0}
    assert set(page(client, area=world.commune.pk)[0].values()) == {0}
    assert waiting_queues(officers["other_province"])[0]["count"] == 0


def test_officers_below_a_commune_are_counted_live(client, world, officers):  # noqa: F811
    for role in LIVE:
        client.force_login(officers[role])
        tabs, queries = page(client)
        assert tabs == live(officers[role]), role
        assert counted_assessments(queries), role


@pytest.mark.parametrize("params", [{"q": "nguyen"}, {"score_min": "50"}, {"has_evidence": "true"}])
def test_counts_under_searches_points_or_evidence_are_live(client, world, officers, params):  # noqa: F811
    make_assessment(world, full_name="Nguyễn Thị Hoa", evidence=True, points=(20,) * 5)
    client.force_login(officers["province"])
    tabs, queries = page(client, **params)
    assert counted_assessments(queries)
    assert tabs[S.SUBMITTED] >= 1


def test_the_admin_homes_waiting_queues_read_the_summaries(world, officers):  # noqa: F811
    province = officers["province"]
    expected = live(province)
    with CaptureQueriesContext(connection) as queries:
        waiting = waiting_queues(province)
    assert [queue["count"] for queue in waiting] == [expected[S.SUBMITTED], expected[S.VERIFIED]]
    assert counted_assessments([q["sql"] for q in queries.captured_queries]) == []


def test_the_queue_page_queries_do_not_grow_with_its_rows(client, world, officers):  # noqa: F811
    client.force_login(officers["province"])
    _tabs, before = page(client, status="submitted")
    bulk_assessments(world, 30)
    tabs, after = page(client, status="submitted")
    assert tabs == live(officers["province"])
    assert len(after) == len(before)


def test_no_page_lists_a_row_twice(client, world, officers):  # noqa: F811
    """Rows submitted at the same moment are ordered by id: the pages of the "All" tab and of
    a status never overlap nor leave one out."""
    client.force_login(officers["province"])
    bulk_assessments(world, 60)  # one submission time for all
    for status in ("", S.SUBMITTED):
        expected = live(officers["province"])[status]
        seen = []
        for number in range(1, expected // PER_PAGE + 2):
            response = client.get(reverse(RESULTS), {"status": status, "p": number})
            seen += [row.pk for row in response.context["object_list"]]
        assert expected > PER_PAGE
        assert len(seen) == len(set(seen)) == expected


def test_drafts_come_last_on_the_all_tab_on_every_database(client, world, officers):  # noqa: F811
    """Drafts have no submission date: they follow the submitted rows going up and lead going
    down, as PostgreSQL's indexes hold them (SQLite put them first)."""
    client.force_login(officers["province"])
    response = client.get(reverse(RESULTS), {"status": ""})
    rows = list(response.context["object_list"])
    dated = [row.submitted_at is not None for row in rows]
    assert True in dated and False in dated
    assert dated == sorted(dated, reverse=True)
    response = client.get(reverse(RESULTS), {"status": "", "ordering": "-submitted_at"})
    dated = [row.submitted_at is not None for row in response.context["object_list"]]
    assert dated == sorted(dated)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize("who", ["superuser", "central", "province"])
@pytest.mark.parametrize("status", [S.SUBMITTED, ""])
def test_page_one_of_the_queue_is_read_from_an_index_in_its_order(world, officers, who, status):  # noqa: F811
    """With sorting priced out, page 1 of a tab (a status, or "All") is planned from an index
    in the queue's order (no Sort node), for the country as for a province; the figures at
    scale: bench/goals.py."""
    rows = selectors.assessment_queue(user=officers[who])
    rows = rows.filter(status=status) if status else rows
    ordered = rows.order_by(F("submitted_at").asc(nulls_last=True), "pk")[:PER_PAGE]
    sql, params = ordered.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Sort" not in plan, plan
