"""Read-replica routing (learning_units/db_routers.py) with a second alias, "replica".

In test settings "replica" is a test mirror of "default" (same database, its own connection),
so a query that really went through the replica connection still finds the data. Routing is
switched on here with CDHT_REPLICA_ALIAS (it is off in the rest of the suite).
"""

import importlib.util

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings

from learning_units.db_routers import ReplicaRouter, replica_alias, replica_reads, use_replica
from learning_units.models import Area
from tests.factories import CommuneFactory

ROUTING_ON = override_settings(CDHT_REPLICA_ALIAS="replica", CDHT_REPLICA_APPS=["reports"])


class FakeMeta:
    def __init__(self, app_label):
        self.app_label = app_label


class FakeModel:
    def __init__(self, app_label):
        self._meta = FakeMeta(app_label)


def test_routing_is_off_without_a_replica_alias():
    router = ReplicaRouter()
    with override_settings(CDHT_REPLICA_ALIAS="no-such-alias"):
        assert replica_alias() is None
        with replica_reads():
            assert router.db_for_read(Area) is None
        assert router.db_for_read(FakeModel("reports")) is None


@ROUTING_ON
def test_reads_of_listed_apps_and_reads_inside_replica_reads_go_to_the_replica():
    router = ReplicaRouter()
    assert router.db_for_read(FakeModel("reports")) == "replica"
    assert router.db_for_read(Area) is None  # not listed, not inside replica_reads
    with replica_reads():
        assert router.db_for_read(Area) == "replica"
    assert router.db_for_read(Area) is None  # the context ends with the block
    assert router.db_for_write(FakeModel("reports")) is None  # writes: the primary
    assert router.allow_migrate("replica", "reports") is False
    assert router.allow_migrate("default", "reports") is None


@ROUTING_ON
def test_use_replica_decorates_a_view():
    seen = []

    @use_replica
    def view(request):
        seen.append(ReplicaRouter().db_for_read(Area))
        return "response"

    assert view(None) == "response"
    assert seen == ["replica"]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@ROUTING_ON
def test_a_query_inside_replica_reads_executes_on_the_replica_connection():
    commune = CommuneFactory(name="Xã Bản Sao")  # written on the primary
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica,
        replica_reads(),
    ):
        names = list(Area.objects.filter(pk=commune.pk).values_list("name", flat=True))
    assert names == ["Xã Bản Sao"]
    assert len(on_replica.captured_queries) == 1
    assert on_default.captured_queries == []


@pytest.mark.skipif(
    importlib.util.find_spec("reports") is None, reason="the reports app is not in this tree"
)
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@ROUTING_ON
def test_an_area_report_runs_entirely_on_the_replica():
    from reports.selectors import area_report
    from tests.factories.review import YEAR, make_assessment, review_world

    world = review_world()
    make_assessment(world)
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica,
        replica_reads(),
    ):
        report = area_report(world.commune.parent, year=YEAR)
    assert report is not None
    assert on_replica.captured_queries, "the report made no query on the replica"
    assert on_default.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@ROUTING_ON
def test_the_report_page_reads_its_figures_on_the_replica(client):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    from tests.factories.review import make_assessment, review_world

    world = review_world()
    make_assessment(world)
    officer = world.officers["province"]
    officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(officer)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("reports:area", args=[world.commune.parent.pk]))
    assert response.status_code == 200
    # A province's figures are read from the kept summaries (reports/summaries.py).
    read = " ".join(q["sql"] for q in on_replica.captured_queries)
    for table in ("reports_assessmentsummary", "reports_citizensummary"):
        assert table in read, f"the report page read no {table} on the replica"


@ROUTING_ON
def test_a_view_whose_replica_fails_runs_again_on_the_primary_and_the_replica_rests(
    monkeypatch, settings
):
    """The drill (scripts/replica-drill.py) stops a real standby; here the failure is made."""
    from django.db import OperationalError

    from learning_units import db_routers

    settings.CDHT_REPLICA_RETRY_SECONDS = 60
    monkeypatch.setitem(db_routers._replica_down_until, "at", 0.0)
    monkeypatch.setattr(db_routers, "replica_broken", lambda alias: True)
    runs = []

    @use_replica
    def report(request):
        on_replica = ReplicaRouter().db_for_read(Area) == "replica"
        runs.append(on_replica)
        if on_replica:
            raise OperationalError("server closed the connection unexpectedly")
        return "figures"

    assert report(None) == "figures"
    assert runs == [True, False]
    assert replica_alias() is None  # resting: the next report goes straight to the primary
    assert report(None) == "figures" and runs[-1] is False

    monkeypatch.setitem(db_routers._replica_down_until, "at", 0.0)  # the rest is over
    assert replica_alias() == "replica"


@ROUTING_ON
def test_an_error_of_the_query_itself_is_not_taken_for_a_replica_failure(monkeypatch):
    from django.db import ProgrammingError

    from learning_units import db_routers

    monkeypatch.setitem(db_routers._replica_down_until, "at", 0.0)
    monkeypatch.setattr(db_routers, "replica_broken", lambda alias: False)

    @use_replica
    def report(request):
        raise ProgrammingError("column does not exist")

    with pytest.raises(ProgrammingError):
        report(None)
    assert replica_alias() == "replica"


@pytest.mark.skipif(
    importlib.util.find_spec("reports") is None, reason="the reports app is not in this tree"
)
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@ROUTING_ON
def test_the_queues_counts_read_the_summaries_on_the_primary():
    """The officers' queue counts per status from the kept summaries where they are written:
    never behind the officer's own action, never down with the replica."""
    from assessments import queue_counts
    from tests.factories.review import make_assessment, review_world

    world = review_world()
    make_assessment(world)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        counts = queue_counts.kept_status_counts(user=world.officers["province"], filters={})
    assert counts["submitted"] == 1
    assert on_replica.captured_queries == []
