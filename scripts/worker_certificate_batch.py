"""A certificate batch of N recognitions through a real worker process, with its progress.

    python scripts/worker_certificate_batch.py N

Expects a worker running beside it on the same database (DATABASE_URL, a file or server both
share): `make worker` for the default database backend, or with CDHT_TASK_BACKEND=rq and
RQ_REDIS_URL an RQ worker (scripts/start-worker.sh). Migrates, builds one commune with N
recognised citizens under one decision, starts the batch the way the admin button does
(`certificate_batch_start`), then prints the progress the admin page shows
(CertificateBatch.done / total) until it is done.
Last line: ``BATCH <status> <done>/<total> in <seconds> s``. Exit status 1 unless done.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cdht_wagtail.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from assessments.certificates.services import certificate_batch_start  # noqa: E402
from assessments.models import AssessmentStatus, CertificateBatch  # noqa: E402
from tests.factories.review import bulk_assessments, review_world  # noqa: E402


def main(count):
    backend = settings.TASKS["default"]["BACKEND"]
    assert not backend.endswith("ImmediateBackend"), f"TASKS uses {backend}: no worker would run"
    call_command("migrate", verbosity=0)
    world = review_world()
    assessments = bulk_assessments(world, count, status=AssessmentStatus.RECOGNISED)
    decision = assessments[0].recognition.decision  # bulk_assessments recognised them all
    started = time.perf_counter()
    batch = certificate_batch_start(decision=decision, user=world.officers["commune"])
    last = None
    deadline = started + float(os.environ.get("BATCH_TIMEOUT", "1800"))
    while time.perf_counter() < deadline:
        batch.refresh_from_db()
        state = (batch.status, batch.done, batch.total)
        if state != last:
            print(f"progress {batch.status} {batch.done}/{batch.total}", flush=True)
            last = state
        if batch.status in (CertificateBatch.Status.DONE, CertificateBatch.Status.FAILED):
            break
        time.sleep(0.5)
    elapsed = time.perf_counter() - started
    print(f"BATCH {batch.status} {batch.done}/{batch.total} in {elapsed:.1f} s", flush=True)
    if batch.status == CertificateBatch.Status.FAILED:
        print(batch.error, file=sys.stderr)
    return 0 if batch.status == CertificateBatch.Status.DONE else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
