"""Course completions from an LMS, the two ways Moodle sends them, each against bulk_create of
the same completions measured in the same run (target: at most 3×):

- a Moodle "Course completion" report of one course with ROWS learners (CSV, matched by
  e-mail within the officer's jurisdiction and the source's area), through `import_run`;
- ROWS xAPI statements (Moodle's `course_completed` shape, learners by mbox) posted to
  `/xapi/statements` in batches of BATCH through the Django test client: authentication,
  version header, JSON, validation, idempotency by statement ID, matching and the writes of
  the completions, each keeping its statement (ID, digest, JSON); the baseline bulk_creates
  those very rows, statement included (copied from a warm-up round).

Sizes: BENCH_LMS_ROWS (default 100,000) and BENCH_LMS_REPEAT (5 rounds, the median compared)
as in `bench.lms_data`, BENCH_XAPI_BATCH (500): `BENCH_LMS_ROWS=5000 python bench/run.py xapi`
runs in a minute.
"""

import base64
import datetime
import json
import os
import tempfile
import uuid
from pathlib import Path

from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from bench.harness import compare_bulk_writes
from bench.lms_data import REPEAT, ROWS, commune_officer, delete_completions, make_learners
from learning_units.imports import import_run
from learning_units.lms.ids import report_external_id
from learning_units.lms.services import lms_source_create
from learning_units.models import CourseCompletion, LmsSource

BATCH = int(os.environ.get("BENCH_XAPI_BATCH", 500))
COURSE = "kns-101"
COURSE_IRI = "https://lms.example.vn/course/view.php?id=12"


def setting_up():
    """Areas, an officer of the commune, a Moodle source of the province, ROWS citizens with an
    e-mail address each (one learner per report row): (pk, e-mail) pairs."""
    officer, commune, hamlets = commune_officer("bench_xapi_officer")
    LmsSource.objects.filter(name="Moodle bench xAPI").delete()
    source, token = lms_source_create(
        user=None, name="Moodle bench xAPI", provider="moodle", area=commune.parent
    )
    learners = make_learners(
        hamlets, count=ROWS, province="031", first=300_000, name="Trần Thị Bình", emails=True
    )
    return officer, source, token, [(pk, email) for pk, _number, email in learners]


def completed_on(serial):
    return timezone.localdate() - datetime.timedelta(days=1 + serial % 300)


def built_completions(source, citizens, course_id, source_kind):
    return [
        CourseCompletion(
            citizen_id=pk,
            course_title="Kỹ năng số cơ bản",
            provider="moodle",
            course_id=course_id,
            completed_on=completed_on(serial),
            source=source_kind,
            external_id=report_external_id(source.pk, pk, course_id),
        )
        for serial, (pk, _email) in enumerate(citizens)
    ]


def bench_moodle_report_import_vs_bulk_create():
    officer, source, _token, citizens = setting_up()
    folder = Path(tempfile.mkdtemp(prefix="cdht-bench-xapi-"))
    path = folder / f"completion-{COURSE}-{timezone.localdate():%Y%m%d}_0900-comma_separated.csv"
    lines = ["ID,Name,Email address,Course complete"]
    for serial, (_pk, email) in enumerate(citizens):
        lines.append(
            f'{serial + 1},Học viên {serial},{email},"{completed_on(serial):%d/%m/%y}, 10:00"'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    completions = built_completions(source, citizens, COURSE, "import")
    delete_completions()

    def subject():
        report = import_run(
            kind="completions",
            file=path,
            officer=officer,
            dry_run=False,
            options={"source": source.pk},
        )
        assert report.applied and report.new == ROWS, (report.file_error, report.errors[:3])

    def baseline():
        CourseCompletion.objects.bulk_create(completions, batch_size=5000)

    def describe(subject_seconds, baseline_seconds):
        return (
            f"Moodle course completion report, {ROWS:,} learners matched by e-mail, "
            f"{path.stat().st_size / 1e6:.1f} MB CSV, median of {REPEAT}: import "
            f"{ROWS / subject_seconds:,.0f} rows/s, bulk_create {ROWS / baseline_seconds:,.0f} "
            f"rows/s ({connection.vendor})."
        )

    result = compare_bulk_writes(
        f"import a {ROWS:,}-row Moodle completion report vs bulk_create",
        subject=subject,
        baseline=baseline,
        objects=completions,
        count=CourseCompletion.objects.count,
        clear=delete_completions,
        repeat=REPEAT,
        target_ratio=3,
        describe=describe,
    )
    path.unlink()
    return result


def moodle_statement(serial, email):
    """The shape of logstore_xapi's course_completed statement (tests/data/xapi/), with an ID."""
    moment = datetime.datetime.combine(completed_on(serial), datetime.time(10, tzinfo=datetime.UTC))
    return {
        "id": str(uuid.UUID(int=serial + 1)),
        "actor": {"name": "Trần Thị Bình", "mbox": f"mailto:{email}"},
        "verb": {"id": "http://id.tincanapi.com/verb/completed", "display": {"en": "completed"}},
        "object": {
            "id": COURSE_IRI,
            "definition": {
                "type": "http://id.tincanapi.com/activitytype/lms/course",
                "name": {"en": "Kỹ năng số cơ bản"},
            },
        },
        "timestamp": moment.isoformat(),
        "context": {
            "platform": "Moodle",
            "language": "vi",
            "extensions": {
                "http://lrs.learninglocker.net/define/extensions/info": {
                    "http://moodle.org": "4.1.0",
                    "event_name": "\\core\\event\\course_completed",
                }
            },
            "contextActivities": {
                "grouping": [
                    {
                        "id": "https://lms.example.vn",
                        "definition": {
                            "type": "http://id.tincanapi.com/activitytype/lms",
                            "name": {"en": "Moodle"},
                        },
                    }
                ]
            },
        },
    }


def stored_rows():
    """The completions as stored, as new objects (no id): what bulk_create would insert."""
    fields = [f.attname for f in CourseCompletion._meta.concrete_fields if not f.primary_key]
    return [
        CourseCompletion(**dict(zip(fields, row, strict=True)))
        for row in CourseCompletion.objects.order_by("pk").values_list(*fields)
    ]


def bench_xapi_statements_vs_bulk_create():
    _officer, source, token, citizens = setting_up()
    statements = [moodle_statement(serial, email) for serial, (_pk, email) in enumerate(citizens)]
    bodies = [
        json.dumps(statements[start : start + BATCH]).encode()
        for start in range(0, len(statements), BATCH)
    ]
    auth = "Basic " + base64.b64encode(f"{token[:8]}:{token}".encode()).decode()
    client = Client()
    delete_completions()

    def subject():
        with override_settings(CDHT_LMS_API_REQUESTS_PER_MINUTE=10**9):
            for body in bodies:
                response = client.post(
                    "/xapi/statements",
                    body,
                    content_type="application/json",
                    HTTP_AUTHORIZATION=auth,
                    HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
                )
                assert response.status_code == 200, response.content[:300]

    # The baseline writes the very rows the statements leave: one warm-up round stores them and
    # they are copied back as unsaved objects, with their statement's ID, digest and JSON, which
    # the issue asks to keep with each completion ("bulk_create of the same completions").
    subject()
    completions = stored_rows()
    delete_completions()

    def baseline():
        CourseCompletion.objects.bulk_create(completions, batch_size=5000)

    def describe(subject_seconds, baseline_seconds):
        return (
            f"{ROWS:,} xAPI statements (Moodle's course_completed, mbox) in "
            f"{len(bodies)} requests of {BATCH}, median of {REPEAT}: "
            f"{ROWS / subject_seconds:,.0f} statements/s, bulk_create "
            f"{ROWS / baseline_seconds:,.0f} rows/s ({connection.vendor})."
        )

    return compare_bulk_writes(
        f"post {ROWS:,} xAPI statements in batches of {BATCH} vs bulk_create",
        subject=subject,
        baseline=baseline,
        objects=completions,
        count=CourseCompletion.objects.count,
        clear=delete_completions,
        repeat=REPEAT,
        target_ratio=3,
        describe=describe,
    )
