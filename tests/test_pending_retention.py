"""Personal data of learners who are no citizens is kept CDHT_PENDING_COMPLETION_KEEP_DAYS
(issue #20): `purge_personal_data` deletes older pending completions and the xAPI statements
nothing shows any more; a citizen's erasure drops the statements that named them."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from learning_units.data_protection import citizen_anonymise
from learning_units.models import CourseCompletion, PendingCompletion, XapiStatement
from learning_units.personal_data import retention_rules
from tests.factories import OfficerRoleFactory
from tests.test_xapi import send, statement, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def age(model, days, **filters):
    moment = timezone.now() - datetime.timedelta(days=days)
    field = "updated_at" if model is PendingCompletion else "stored_at"
    model.objects.filter(**filters).update(**{field: moment})


def purge():
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    return out.getvalue()


def test_the_rule_is_registered_with_its_setting():
    rule = next(rule for rule in retention_rules() if rule.key == "pending_completions")
    assert rule.setting == "PENDING_COMPLETION_KEEP_DAYS"


def test_old_pending_completions_and_their_statements_go(world, client, settings):  # noqa: F811
    settings.CDHT_PENDING_COMPLETION_KEEP_DAYS = 30
    send(
        client,
        [statement(email="old@example.vn"), statement(email="new@example.vn")],
        world["token"],
    )
    send(client, statement(), world["token"])  # an's completion, kept whatever its age
    send(client, statement(verb={"id": "http://id.tincanapi.com/verb/viewed"}), world["token"])
    age(PendingCompletion, 31, learner_key="old@example.vn")
    age(PendingCompletion, 29, learner_key="new@example.vn")
    age(XapiStatement, 31)

    output = purge()

    assert "pending_completions: deleted 3 rows older than 30 days" in output
    assert list(PendingCompletion.objects.values_list("learner_key", flat=True)) == [
        "new@example.vn"
    ]
    kept = XapiStatement.objects.exclude(statement=None)
    assert kept.count() == 2  # the citizen's completion's and the waiting one's
    assert CourseCompletion.objects.get().xapi_statement in kept
    assert not XapiStatement.objects.filter(statement=None).exists()  # the ignored one


def test_the_default_keeps_a_year(world, client):  # noqa: F811
    send(client, statement(email="nobody@example.vn"), world["token"])
    age(PendingCompletion, 364)
    age(XapiStatement, 364)
    purge()
    assert PendingCompletion.objects.count() == 1 and XapiStatement.objects.count() == 1
    age(PendingCompletion, 366)
    age(XapiStatement, 366)
    purge()
    assert not PendingCompletion.objects.exists() and not XapiStatement.objects.exists()


def test_erasing_a_citizen_drops_the_statements_naming_them(world, client):  # noqa: F811
    send(client, statement(), world["token"])
    officer = OfficerRoleFactory(area=world["hamlet"].parent).user
    citizen_anonymise(citizen=world["an"], officer=officer)
    assert CourseCompletion.objects.get().xapi_statement.statement is None
