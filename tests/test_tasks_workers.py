"""django-tasks jobs run by real workers: the database backend's `db_worker` (the default) and an
RQ worker through a real Redis (the `queue` extra, CDHT_TASK_BACKEND=rq).

The probe tasks (tests/task_probe.py) save their progress in the database, as the project's
jobs do, so each test reads the state the way the admin would.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from django_tasks.base import TaskResultStatus

from tests.task_probe import count_to, explode

ROOT = Path(__file__).resolve().parent.parent

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_database_worker_runs_what_was_queued_and_records_each_outcome():
    """What `make worker` (and `make run`, in the background) runs: `manage.py db_worker`."""
    results = [count_to.enqueue("job-a", 3), explode.enqueue("boom")]
    assert [result.status for result in results] == ["READY", "READY"]
    progress = Group.objects.filter(name__startswith="job-")
    assert not progress.exists()  # nothing ran in the request

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    for result in results:
        result.refresh()
    assert [result.status for result in results] == [
        TaskResultStatus.SUCCESSFUL,
        TaskResultStatus.FAILED,
    ]
    assert results[0].return_value == {"result_id": str(results[0].id), "steps": 3}
    assert results[1].errors[0].exception_class_path == "builtins.ValueError"
    assert list(progress.values_list("name", flat=True)) == ["job-a 3/3"]


ENQUEUE_AND_WAIT = """
import json, time
import django
django.setup()
from django_tasks.exceptions import TaskResultDoesNotExist
from tests.task_probe import count_to, explode

results = [count_to.enqueue("job-a", 25), count_to.enqueue("job-b", 5), explode.enqueue("boom")]
first_status = results[0].status
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        for result in results:
            result.refresh()
    except TaskResultDoesNotExist:
        pass
    if all(result.is_finished for result in results):
        break
    time.sleep(0.2)
print(json.dumps({
    "first_status": first_status,
    "statuses": [result.status for result in results],
    "values": [result.return_value for result in results[:2]],
    "ids": [result.id for result in results],
    "error": results[2].errors[0].exception_class_path if results[2].errors else None,
}))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (scripts/install-system-deps.sh installs it)")
    directory = tmp_path / "redis"
    started = subprocess.run(
        ["bash", str(ROOT / "scripts" / "start-redis.sh"), str(free_port()), str(directory)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    yield started.stdout.strip().splitlines()[-1]
    pid = int((directory / "redis.pid").read_text())
    os.kill(pid, signal.SIGTERM)


@pytest.fixture
def rq_environment(tmp_path, redis_url):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.rq_settings",
        CDHT_RQ_TEST_DB=str(tmp_path / "db.sqlite3"),
        RQ_REDIS_URL=redis_url,
        CDHT_TASK_BACKEND="rq",
        PYTHONPATH=str(ROOT),
        PYTHON=sys.executable,
    )
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    return env


@pytest.fixture
def rq_worker(rq_environment, tmp_path):
    """The worker `make worker` starts with CDHT_TASK_BACKEND=rq (scripts/start-worker.sh)."""
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "start-worker.sh"), f"--name=probe-{os.getpid()}"],
        cwd=ROOT,
        env=rq_environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.mark.redis
def test_tasks_run_on_an_rq_worker_and_their_state_is_in_the_database(
    rq_environment, rq_worker, tmp_path
):
    run = subprocess.run(
        [sys.executable, "-c", ENQUEUE_AND_WAIT],
        cwd=ROOT,
        env=rq_environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    log = (tmp_path / "worker.log").read_text()
    assert run.returncode == 0, run.stderr[-4000:] + "\nworker log:\n" + log[-4000:]
    outcome = json.loads(run.stdout.strip().splitlines()[-1])

    assert outcome["first_status"] == "READY"
    assert outcome["statuses"] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"], log[-4000:]
    assert outcome["values"] == [
        {"result_id": outcome["ids"][0], "steps": 25},
        {"result_id": outcome["ids"][1], "steps": 5},
    ]
    assert outcome["error"] == "builtins.ValueError"
    with sqlite3.connect(rq_environment["CDHT_RQ_TEST_DB"]) as db:
        names = sorted(name for (name,) in db.execute("select name from auth_group"))
    assert names == ["job-a 25/25", "job-b 5/5"]  # the progress each job saved
