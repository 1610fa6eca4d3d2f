"""LMS learners matched by e-mail (issue #20) are looked up through the lower(email) indexes
of the citizens and of the user accounts (migration 0011), on SQLite and on PostgreSQL."""

import pytest
from django.db import connection

from learning_units.lms.matching import LearnerIndex
from learning_units.models import LmsSource
from tests.factories import CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db


def matching_plan():
    index = LearnerIndex(matching=LmsSource.Matching.EMAIL)
    query = index.query(["an@example.vn", "binh@example.vn"])  # runs it: the rows are right
    return query, plan_of(*query_sql(index))


def plan_of(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test's tables are tiny: a scan is what the planner would choose for them, or a
            # whole primary-key index read with the condition as a filter (it did so in CI
            # once other tests had filled the tables). With both off, an index is only read
            # for a condition it answers (a bitmap scan needs one).
            for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row) for row in cursor.fetchall())


def query_sql(index):
    captured = []

    def execute(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(execute):
        index.query(["an@example.vn"])
    return captured[-1]


def test_both_halves_of_the_e_mail_match_use_their_index():
    an = CitizenFactory(email="An@Example.vn")
    binh = CitizenFactory(email="", user=UserFactory(email="BINH@example.vn"))
    CitizenFactory(email="other@example.vn")
    found, plan = matching_plan()
    assert {(key, learner.pk) for key, learner in found} == {
        ("an@example.vn", an.pk),
        ("binh@example.vn", binh.pk),
    }
    assert "citizen_email_lower" in plan and "cdht_user_email_lower" in plan, plan


def login_plan(identifier):
    """The plan of the log-in's look-up of the accounts an identifier names (the UNION of its
    indexed branches), and the accounts found."""
    from learning_units.auth_backends import CitizenIdOrEmailBackend

    captured = []

    def execute(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(execute):
        found = set(CitizenIdOrEmailBackend.candidates(identifier))
    return found, plan_of(*next((s, p) for s, p in captured if "UNION" in s))


def test_a_log_in_by_e_mail_reads_both_addresses_through_their_index():
    """The account's and the citizen's address, in any case, each through its lower(email)
    index: Django's iexact (UPPER on PostgreSQL) and an OR across them were scans."""
    by_account = UserFactory(email="Hoa@Example.vn")
    citizen = CitizenFactory(email="LAN@example.vn", user=UserFactory(email=""))
    UserFactory(email="other@example.vn")
    found, plan = login_plan("hoa@EXAMPLE.vn")
    assert found == {by_account}
    assert "citizen_email_lower" in plan and "cdht_user_email_lower" in plan, plan
    found, _plan = login_plan("lan@example.VN")
    assert found == {citizen.user}
