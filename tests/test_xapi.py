"""The xAPI statements endpoint (issue #20): Moodle's logstore_xapi and Open edX's
event-routing-backends push course completions; credentials, versions, idempotency by
statement ID, validation naming the statement and field, and the source's area."""

import base64
import copy
import datetime
import hashlib
import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from learning_units.lms.services import lms_source_create
from learning_units.models import (
    CourseCompletion,
    LearnerMapping,
    LmsSource,
    PendingCompletion,
)
from tests.factories import CitizenFactory, CommuneFactory, ProvinceFactory, ResidentialAreaFactory

URL = "/xapi/statements"
DATA = Path(__file__).parent / "data" / "xapi"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


@pytest.fixture(autouse=True)
def english_and_fresh_cache():
    cache.clear()
    with translation.override("en"):
        yield


def when(days_ago=3):
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    return moment.replace(microsecond=0).isoformat()


def sample(name, days_ago=3):
    text = (DATA / name).read_text(encoding="utf-8").replace("TIMESTAMP", when(days_ago))
    return json.loads(text)


@pytest.fixture
def world(db):
    province = ProvinceFactory(code="01")
    hamlet = ResidentialAreaFactory(parent=CommuneFactory(parent=province))
    far = ResidentialAreaFactory(parent=CommuneFactory(parent=ProvinceFactory(code="79")))
    an = CitizenFactory(area=hamlet, email="an.nguyen@example.vn")
    stranger = CitizenFactory(area=far, email="far@example.vn")
    source, token = lms_source_create(
        user=None, name="Open edX Hà Nội", provider="open_edx", area=province, matching="email"
    )
    return {"an": an, "stranger": stranger, "source": source, "token": token, "hamlet": hamlet}


def kept_statements():
    """The IDs of the statements kept, on the completions and pending completions they made."""
    return sorted(
        str(statement_id)
        for model in (CourseCompletion, PendingCompletion)
        for statement_id in model.objects.exclude(xapi_id=None).values_list("xapi_id", flat=True)
    )


def credentials(token, username=None):
    pair = f"{token[:8] if username is None else username}:{token}"
    return "Basic " + base64.b64encode(pair.encode()).decode()


def send(client, payload, token, *, method="post", version="1.0.3", query="", **extra):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    headers = {"HTTP_AUTHORIZATION": credentials(token)} if token else {}
    if version is not None:
        headers["HTTP_X_EXPERIENCE_API_VERSION"] = version
    extra.setdefault("content_type", "application/json")
    return getattr(client, method)(URL + query, body, **headers, **extra)


def statement(
    email="an.nguyen@example.vn", course="https://lms.example.vn/course/view.php?id=7", **overrides
):
    raw = {
        "actor": {"objectType": "Agent", "name": "Nguyễn Văn An", "mbox": f"mailto:{email}"},
        "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
        "object": {
            "id": course,
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/course",
                "name": {"vi-VN": "Kỹ năng số cơ bản", "en-US": "Basic digital skills"},
            },
        },
        "timestamp": when(),
    }
    raw.update(overrides)
    return raw


# --- the senders' own shapes ---


def test_urls_have_no_trailing_slash_and_are_not_redirected(world, client):
    assert reverse("xapi:statements") == URL and reverse("xapi:about") == "/xapi/about"
    response = send(client, statement(), world["token"])
    assert response.status_code == 200  # not a 301 to /xapi/statements/


def test_about_lists_the_versions_without_credentials(client, db):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert "1.0.3" in response.json()["version"] and "2.0.0" in response.json()["version"]
    assert response["X-Experience-API-Version"]


def test_moodle_course_completed_batch_records_the_course(world, client):
    source = world["source"]
    LmsSource.objects.filter(pk=source.pk).update(provider="moodle")
    LearnerMapping.objects.create(source=source, username="an.nguyen", citizen=world["an"])
    response = send(client, sample("moodle_course_completed.json"), world["token"])
    assert response.status_code == 200, response.content
    [statement_id] = response.json()
    assert response["X-Experience-API-Version"] == "1.0.3"
    completion = CourseCompletion.objects.get()
    assert completion.citizen == world["an"] and completion.provider == "moodle"
    assert completion.course_id == "https://lms.example.vn/course/view.php?id=12"
    assert completion.course_url == completion.course_id
    assert completion.course_title == "Kỹ năng số cơ bản" and completion.source == "api"
    assert completion.completed_on == timezone.localdate() - datetime.timedelta(days=3)
    assert str(completion.xapi_id) == statement_id and len(completion.xapi_digest) == 64
    assert completion.xapi_statement["context"]["platform"] == "Moodle"


def test_open_edx_completed_and_passed_make_one_completion(world, client):
    LearnerMapping.objects.create(source=world["source"], username="an.nguyen", citizen=world["an"])
    completed = sample("openedx_course_completed.json")
    passed = sample("openedx_course_passed.json")
    passed["object"]["id"] = completed["object"]["id"]  # the same course IRI
    response = send(client, [completed, passed], world["token"], version="1.0.3")
    assert response.status_code == 200, response.content
    assert response.json() == [completed["id"], passed["id"]]
    completion = CourseCompletion.objects.get()
    assert completion.citizen == world["an"] and completion.course_title == "Tin học văn phòng"
    assert kept_statements() == [completed["id"]]  # "passed" reported nothing new: not kept


def test_open_edx_passed_by_account_without_a_mapping_is_kept_pending(world, client):
    response = send(client, sample("openedx_course_passed.json"), world["token"])
    assert response.status_code == 200
    pending = PendingCompletion.objects.get()
    assert (pending.matching, pending.learner_key) == ("username", "an.nguyen")
    assert pending.xapi_statement["verb"]["id"].endswith("/passed")
    assert not CourseCompletion.objects.exists()
    LearnerMapping.objects.create(source=world["source"], username="an.nguyen", citizen=world["an"])
    completion = CourseCompletion.objects.get()  # attached by the mapping's save
    assert completion.xapi_statement == pending.xapi_statement and completion.source == "api"
    assert (completion.xapi_id, completion.xapi_digest) == (pending.xapi_id, pending.xapi_digest)


# --- learners ---


def test_hours_come_from_the_duration_and_the_grade_from_the_score(world, client):
    raw = statement(result={"duration": "PT2H30M", "score": {"scaled": 0.85}, "success": True})
    assert send(client, raw, world["token"]).status_code == 200
    completion = CourseCompletion.objects.get()
    assert str(completion.hours) == "2.5" and completion.grade == "85%"


def test_mbox_sha1sum_matches_the_address_of_a_citizen_of_the_area(world, client):
    import hashlib

    digest = hashlib.sha1(b"mailto:an.nguyen@example.vn").hexdigest()  # noqa: S324
    raw = statement()
    raw["actor"] = {"mbox_sha1sum": digest}
    assert send(client, raw, world["token"]).status_code == 200
    assert CourseCompletion.objects.get().citizen == world["an"]


def test_unknown_sha1_waits_and_attaches_when_a_citizen_has_the_address(world, client):
    import hashlib

    digest = hashlib.sha1(b"mailto:new@example.vn").hexdigest()  # noqa: S324
    raw = statement()
    raw["actor"] = {"mbox_sha1sum": digest}
    send(client, raw, world["token"])
    assert PendingCompletion.objects.get().learner_key == f"sha1:{digest}"
    newcomer = CitizenFactory(area=world["hamlet"], email="New@example.vn")
    assert CourseCompletion.objects.get().citizen == newcomer
    assert not PendingCompletion.objects.exists()


def test_a_source_writes_only_for_citizens_of_its_area(world, client):
    """The citizen of another province is answered like nobody: kept pending, never theirs."""
    response = send(client, statement(email="far@example.vn"), world["token"])
    assert response.status_code == 200
    assert not CourseCompletion.objects.filter(citizen=world["stranger"]).exists()
    assert PendingCompletion.objects.get().learner_key == "far@example.vn"


def test_other_statements_are_acknowledged_and_ignored(world, client):
    viewed = statement(verb={"id": "http://id.tincanapi.com/verb/viewed"})
    module = statement()
    module["object"]["definition"]["type"] = "http://adlnet.gov/expapi/activities/module"
    response = send(client, [viewed, module], world["token"])
    assert response.status_code == 200 and len(response.json()) == 2
    assert not CourseCompletion.objects.exists() and not PendingCompletion.objects.exists()
    assert not kept_statements()  # not even their IDs (lms.xapi.services says why)
    assert send(client, [viewed, module], world["token"]).status_code == 200  # sent again


# --- idempotency (xAPI 1.0.3, Part Three, 2.1) ---


def test_the_same_statement_again_changes_nothing(world, client):
    raw = statement(id="9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    first = send(client, raw, world["token"])
    again = send(client, raw, world["token"])
    assert first.status_code == again.status_code == 200
    assert again.json() == ["9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"]
    assert kept_statements() == [raw["id"]] and CourseCompletion.objects.count() == 1


def test_the_same_id_with_other_content_is_a_conflict(world, client):
    raw = statement(id="9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    send(client, raw, world["token"])
    changed = {**raw, "timestamp": when(5)}
    response = send(client, [statement(), changed], world["token"])
    assert response.status_code == 409
    assert response.json()["errors"][0]["index"] == 1
    assert kept_statements() == [raw["id"]]  # the batch's first statement was not kept


def test_put_takes_the_id_from_the_query_and_answers_204(world, client):
    raw = statement()
    query = "?statementId=0b0e8f5e-1f2a-4b3c-8d4e-5f6a7b8c9d0e"
    response = send(client, raw, world["token"], method="put", query=query)
    assert response.status_code == 204 and response["X-Experience-API-Version"]
    assert kept_statements() == [query.split("=")[1]]
    assert send(client, raw, world["token"], method="put", query=query).status_code == 204
    other = statement(id="11111111-2222-4333-8444-555555555555")
    assert send(client, other, world["token"], method="put", query=query).status_code == 400


@pytest.mark.parametrize("query", ["", "?statementId=nope", "?statementId=" + "a" * 5000])
def test_put_without_a_valid_statement_id_is_400(world, client, query):
    response = send(client, statement(), world["token"], method="put", query=query)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "statementId"


# --- credentials, versions, limits ---


@pytest.mark.parametrize(
    "header",
    [None, "Basic", "Basic !!!", "Bearer x", "Basic " + base64.b64encode(b"a:b").decode()],
)
def test_missing_or_wrong_credentials_are_401(world, client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(
        URL,
        json.dumps(statement()),
        content_type="application/json",
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        **extra,
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert response["X-Experience-API-Version"]
    assert not kept_statements()


def test_a_right_token_with_a_wrong_user_name_is_401(world, client):
    headers = {"HTTP_AUTHORIZATION": credentials(world["token"], username="admin")}
    response = client.post(URL, "[]", content_type="application/json", **headers)
    assert response.status_code == 401


def test_an_inactive_source_is_401(world, client):
    LmsSource.objects.filter(pk=world["source"].pk).update(is_active=False)
    assert send(client, statement(), world["token"]).status_code == 401


def test_a_session_user_gets_nothing(world, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.vn", "x"))
    response = client.post(URL, json.dumps(statement()), content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize("version", ["1.0.0", "1.0.3", "2.0.0", "2.0"])
def test_versions_1_0_and_2_0_are_accepted(world, client, version):
    response = send(client, statement(), world["token"], version=version)
    assert response.status_code == 200
    assert response["X-Experience-API-Version"][0] == version[0]


@pytest.mark.parametrize("version", [None, "", "0.95", "1.1.0", "3.0.0", "1.0.3x"])
def test_other_versions_are_400_with_the_header(world, client, version):
    response = send(client, statement(), world["token"], version=version)
    assert response.status_code == 400
    assert response["X-Experience-API-Version"]
    assert response.json()["errors"][0]["field"] == "X-Experience-API-Version"


def test_other_methods_are_405(world, client):
    assert client.get(URL).status_code == 405
    assert client.delete(URL).status_code == 405
    assert client.post("/xapi/about").status_code == 405


def test_a_body_over_the_limit_is_413_before_reading(world, client, settings):
    settings.CDHT_XAPI_MAX_BODY_BYTES = 1000
    big = [statement() for _ in range(10)]
    assert send(client, big, world["token"]).status_code == 413
    assert not kept_statements()


def test_too_many_statements_is_413(world, client, monkeypatch):
    monkeypatch.setattr("learning_units.lms.xapi.views.MAX_STATEMENTS", 2)
    assert send(client, [statement()] * 3, world["token"]).status_code == 413


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json", "application/json", 400),
        (b"\x00\x01", "application/json", 400),
        (b'{"a": "\\u0000"}', "application/json", 400),
        (b'{"a": "\\ud800"}', "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (b"[" * 5000 + b"]" * 5000, "application/json", 400),
        (b"[]", "application/json", 400),
        (b"42", "application/json", 400),
        (b"null", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b"{}", "text/plain", 415),
        (b"--x\r\n", "multipart/mixed; boundary=x", 415),
    ],
)
def test_hostile_bodies_are_4xx(world, client, body, content_type, status):
    response = send(client, body, world["token"], content_type=content_type)
    assert response.status_code == status, response.content
    assert not kept_statements()


def test_a_nul_inside_a_statement_is_refused(world, client):
    raw = statement()
    raw["actor"]["name"] = "An\x00"
    assert send(client, raw, world["token"]).status_code == 400


# --- validation: each error names the statement and the field; nothing is stored ---


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s["actor"].update(account={"homePage": "https://x.vn", "name": "a"}), "actor"),
        (lambda s: s["actor"].pop("mbox"), "actor"),
        (lambda s: s["actor"].update(mbox="an@example.vn"), "actor.mbox"),
        (lambda s: s["actor"].update(mbox="mailto:not an address"), "actor.mbox"),
        (lambda s: s.update(actor={"mbox_sha1sum": "xyz"}), "actor.mbox_sha1sum"),
        (lambda s: s.update(actor={"account": {"name": "a"}}), "actor.account.homePage"),
        (lambda s: s.update(actor={"account": {"homePage": "https://x.vn"}}), "actor.account.name"),
        (lambda s: s.update(actor="an"), "actor"),
        (lambda s: s.update(verb={"id": "completed"}), "verb.id"),
        (lambda s: s.update(verb={"id": "http://x.vn/v", "display": "x"}), "verb.display"),
        (lambda s: s.pop("verb"), "verb"),
        (lambda s: s.pop("object"), "object"),
        (lambda s: s["object"].update(id="not an iri"), "object.id"),
        (lambda s: s["object"].update(objectType="Thing"), "object.objectType"),
        (lambda s: s["object"]["definition"].update(type=7), "object.definition.type"),
        (lambda s: s.update(timestamp="2020-07-15"), "timestamp"),
        (lambda s: s.update(timestamp="2020-07-15T06:36:01"), "timestamp"),
        (lambda s: s.update(timestamp="yesterday"), "timestamp"),
        (lambda s: s.update(timestamp=12), "timestamp"),
        (lambda s: s.update(stored="2020-13-01T00:00:00Z"), "stored"),
        (lambda s: s.update(result={"duration": "2 hours"}), "result.duration"),
        (lambda s: s.update(result={"duration": "PT"}), "result.duration"),
        (lambda s: s.update(result={"duration": "P1DT"}), "result.duration"),
        (lambda s: s.update(result={"duration": "PT1H" * 40}), "result.duration"),
        (lambda s: s.update(result={"score": {"scaled": 2}}), "result.score.scaled"),
        (lambda s: s.update(result={"success": "yes"}), "result.success"),
        (lambda s: s.update(version="0.95"), "version"),
        (lambda s: s.update(id="not-a-uuid"), "id"),
        (lambda s: s.update(surprise=1), "surprise"),
    ],
)
def test_an_invalid_statement_stops_the_batch_naming_index_and_field(world, client, change, field):
    bad = statement()
    change(bad)
    response = send(client, [statement(), bad], world["token"])
    assert response.status_code == 400, response.content
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (1, field), error
    assert error["message"]
    assert not kept_statements() and not CourseCompletion.objects.exists()


def test_the_same_id_twice_in_a_batch_with_other_content_is_400(world, client):
    first = statement(id="9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    second = {**copy.deepcopy(first), "timestamp": when(9)}
    response = send(client, [first, second], world["token"])
    assert response.status_code == 400 and response.json()["errors"][0]["index"] == 1


def test_a_future_timestamp_records_today(world, client):
    send(client, statement(timestamp=when(-3)), world["token"])
    assert CourseCompletion.objects.get().completed_on == timezone.localdate()


def test_a_long_course_iri_is_shortened_with_a_digest(world, client):
    iri = "https://lms.example.vn/course/" + "x" * 300
    send(client, statement(course=iri), world["token"])
    completion = CourseCompletion.objects.get()
    assert len(completion.course_id) == 120 and completion.course_url == ""


# --- cost ---


def test_queries_do_not_grow_with_the_batch(world, client):
    hamlet = world["hamlet"]
    for serial in range(60):
        CitizenFactory(area=hamlet, email=f"learner{serial}@example.vn")

    def batch(size, offset):
        items = []
        for n in range(size):
            items.append(
                statement(
                    email=f"learner{(offset + n) % 60}@example.vn",
                    course=f"https://lms.example.vn/course/{offset + n}",
                )
            )
            items.append(statement(email=f"nobody{offset + n}@example.vn"))
            items.append(statement(verb={"id": "http://id.tincanapi.com/verb/viewed"}))
        return items

    counts = []
    for size, offset in ((2, 0), (40, 100)):
        with CaptureQueriesContext(connection) as queries:
            assert send(client, batch(size, offset), world["token"]).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_later_statement_of_the_same_course_keeps_the_first_completion(world, client):
    first = statement(id="9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", timestamp=when(9))
    later = statement(id="0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", timestamp=when(2))
    assert send(client, [first], world["token"]).status_code == 200
    assert send(client, [later, later], world["token"]).status_code == 200
    completion = CourseCompletion.objects.get()
    assert str(completion.xapi_id) == first["id"]
    assert completion.completed_on == timezone.localdate() - datetime.timedelta(days=9)
    assert kept_statements() == [first["id"]]  # the later one reported nothing new


def nested(levels):
    """A context extension nested so that the body (a list of one statement) is `levels`
    lists and objects deep; its strings hold brackets and an escaped quote, which never
    count."""
    value = '[[{{ \\" ]]}}'
    for _level in range(levels - 4):  # the batch, the statement, context, extensions
        value = {"k": value}
    return [statement(context={"extensions": {"https://x.vn/e": value}})]


@pytest.mark.parametrize(("levels", "status"), [(32, 200), (33, 400), (40, 400)])
def test_nesting_counts_lists_and_objects_not_brackets_in_strings(world, client, levels, status):
    response = send(client, nested(levels), world["token"])
    assert response.status_code == status, response.content
    assert bool(kept_statements()) == (status == 200)


def test_queries_per_batch_stay_the_same_from_5_to_50_statements(world, client):
    """Every kind of learner (mbox, mbox_sha1sum, a mapped and an unmapped account), known and
    unknown, other verbs, and a batch sent again: the same queries for 5 statements as for 50."""
    source, hamlet = world["source"], world["hamlet"]
    account = {"homePage": "https://lms.example.vn"}
    for serial in range(50):
        citizen = CitizenFactory(area=hamlet, email=f"learner{serial}@example.vn")
        LearnerMapping.objects.create(source=source, username=f"user{serial}", citizen=citizen)

    def learner(serial):
        kind = serial % 5
        if kind == 0:
            return {"mbox": f"mailto:learner{serial}@example.vn"}
        if kind == 1:
            address = f"mailto:learner{serial}@example.vn"
            return {"mbox_sha1sum": hashlib.sha1(address.encode()).hexdigest()}  # noqa: S324
        if kind == 2:
            return {"account": {**account, "name": f"user{serial}"}}
        if kind == 3:
            return {"account": {**account, "name": f"stranger{serial}"}}
        return {"mbox": f"mailto:nobody{serial}@example.vn"}

    def batch(size, offset):
        items = []
        for serial in range(offset, offset + size):
            item = statement(course=f"https://lms.example.vn/course/{serial}")
            item["actor"] = {"name": "Học viên", **learner(serial % 50)}
            if serial % 7 == 0:
                item["verb"] = {"id": "http://id.tincanapi.com/verb/viewed"}
            items.append(item)
        return items

    counts = {}
    for size, offset in ((5, 0), (50, 100)):
        items = batch(size, offset)
        for attempt in ("new", "again"):
            with CaptureQueriesContext(connection) as queries:
                assert send(client, items, world["token"]).status_code == 200
            counts[size, attempt] = len(queries)
    assert counts[5, "new"] == counts[50, "new"], counts
    assert counts[5, "again"] == counts[50, "again"], counts
    assert (CourseCompletion.objects.count(), PendingCompletion.objects.count()) == (27, 20)
