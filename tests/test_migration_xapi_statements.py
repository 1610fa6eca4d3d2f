"""Migrations 0008–0010 (issue #20): the xAPI statements that reported completions move onto
the completions' rows, the others go; going back makes the statement rows again."""

import importlib
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import CitizenFactory, CommuneFactory, ProvinceFactory

BEFORE = [("learning_units", "0007_xapi_statements")]
AFTER = [("learning_units", "0010_xapi_statement_table_dropped")]
MOVE = importlib.import_module("learning_units.migrations.0009_xapi_statement_onto_completions")
STATEMENT = {"id": "x", "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_after(transactional_db):
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_statements_move_onto_their_completions_and_back(latest_after):
    province = ProvinceFactory(code="01")
    citizen = CitizenFactory(area=CommuneFactory(parent=province))
    apps = migrate(BEFORE)
    model = apps.get_model
    source = model("learning_units", "LmsSource").objects.create(
        name="Moodle", provider="moodle", area_id=province.pk, token_hash="h", token_prefix="p"
    )
    Statement = model("learning_units", "XapiStatement")
    done, waiting, ignored = (uuid.uuid4() for _ in range(3))
    kept = Statement.objects.create(
        source=source, statement_id=done, digest="a" * 64, verb="completed", statement=STATEMENT
    )
    pending_statement = Statement.objects.create(
        source=source, statement_id=waiting, digest="b" * 64, verb="passed", statement=STATEMENT
    )
    Statement.objects.create(source=source, statement_id=ignored, digest="c" * 64, verb="viewed")
    model("learning_units", "CourseCompletion").objects.create(
        citizen_id=citizen.pk,
        course_title="Kỹ năng số",
        provider="moodle",
        course_id="c1",
        completed_on="2026-01-02",
        source="api",
        external_id=MOVE.report_external_id(source.pk, citizen.pk, "c1"),
        xapi_statement=kept,
    )
    model("learning_units", "PendingCompletion").objects.create(
        source=source,
        matching="email",
        learner_key="b@example.vn",
        course_id="c1",
        course_title="Kỹ năng số",
        completed_on="2026-01-02",
        xapi_statement=pending_statement,
    )

    apps = migrate(AFTER)
    completion = apps.get_model("learning_units", "CourseCompletion").objects.get()
    pending = apps.get_model("learning_units", "PendingCompletion").objects.get()
    assert (completion.xapi_id, completion.xapi_digest) == (done, "a" * 64)
    assert completion.xapi_statement == STATEMENT
    assert (pending.xapi_id, pending.xapi_digest) == (waiting, "b" * 64)

    apps = migrate(BEFORE)
    back = apps.get_model("learning_units", "XapiStatement").objects.order_by("statement_id")
    assert sorted((s.statement_id, s.source_id, s.verb) for s in back) == sorted(
        [(done, source.pk, STATEMENT["verb"]["id"]), (waiting, source.pk, STATEMENT["verb"]["id"])]
    )
    completion = apps.get_model("learning_units", "CourseCompletion").objects.get()
    assert completion.xapi_statement.statement_id == done
