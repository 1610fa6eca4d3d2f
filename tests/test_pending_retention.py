"""Personal data of learners who are no citizens is kept CDHT_PENDING_COMPLETION_KEEP_DAYS
(issue #20): `purge_personal_data` deletes older pending completions, and with them the xAPI
statements kept on them; a citizen's erasure drops the statements that named them."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from learning_units.data_protection import citizen_anonymise
from learning_units.models import CourseCompletion, PendingCompletion
from learning_units.personal_data import retention_rules
from tests.factories import OfficerRoleFactory
from tests.test_xapi import kept_statements, send, statement, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def age(days, **filters):
    moment = timezone.now() - datetime.timedelta(days=days)
    PendingCompletion.objects.filter(**filters).update(updated_at=moment)
    CourseCompletion.objects.update(created_at=moment)


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
    age(31, learner_key="old@example.vn")
    age(29, learner_key="new@example.vn")

    output = purge()

    assert "pending_completions: deleted 1 rows older than 30 days" in output
    [waiting] = PendingCompletion.objects.all()
    assert waiting.learner_key == "new@example.vn" and waiting.xapi_statement
    completion = CourseCompletion.objects.get()  # an's completion, kept whatever its age
    assert kept_statements() == sorted([str(waiting.xapi_id), str(completion.xapi_id)])
    assert completion.xapi_statement["actor"]["mbox"] == "mailto:an.nguyen@example.vn"


def test_the_default_keeps_a_year(world, client):  # noqa: F811
    send(client, statement(email="nobody@example.vn"), world["token"])
    age(364)
    purge()
    assert PendingCompletion.objects.count() == 1 and len(kept_statements()) == 1
    age(366)
    purge()
    assert not PendingCompletion.objects.exists() and not kept_statements()


def test_erasing_a_citizen_drops_the_statements_naming_them(world, client):  # noqa: F811
    send(client, statement(), world["token"])
    officer = OfficerRoleFactory(area=world["hamlet"].parent).user
    citizen_anonymise(citizen=world["an"], officer=officer)
    completion = CourseCompletion.objects.get()
    assert completion.xapi_statement is None
    assert completion.xapi_id and completion.xapi_digest  # a repeat is still recognised
