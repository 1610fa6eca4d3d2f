"""django-tasks tasks run on a real Celery worker through a real Redis (cdht_wagtail.tasks_celery).

Starts redis-server (scripts/start-redis.sh) and `celery worker` as subprocesses; a third
process, with TASKS pointing at the Celery backend, enqueues probe tasks (tests/celery_probe.py)
and reads their state back. The processes share a SQLite file (tests/celery_settings.py).
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

from cdht_wagtail.tasks_celery import CeleryBackend

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.redis

ENQUEUE_AND_WAIT = """
import json, time
import django
django.setup()
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist
from tests.celery_probe import count_to, explode

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
def environment(tmp_path, redis_url):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.celery_settings",
        CDHT_CELERY_TEST_DB=str(tmp_path / "db.sqlite3"),
        CELERY_BROKER_URL=redis_url,
        PYTHONPATH=str(ROOT),
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
def worker(environment, tmp_path):
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cdht_wagtail.celery",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            f"--hostname=probe@{os.getpid()}",
        ],
        cwd=ROOT,
        env=environment,
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


def test_tasks_run_on_a_celery_worker_and_their_state_is_in_the_database(
    environment, worker, tmp_path
):
    run = subprocess.run(
        [sys.executable, "-c", ENQUEUE_AND_WAIT],
        cwd=ROOT,
        env=environment,
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
    with sqlite3.connect(environment["CDHT_CELERY_TEST_DB"]) as db:
        names = sorted(name for (name,) in db.execute("select name from auth_group"))
    assert names == ["job-a 25/25", "job-b 5/5"]  # the progress each job saved


def test_the_backend_refuses_what_django_tasks_refuses():
    """Validation happens at enqueue time in the web process, as with every backend."""
    from django_tasks import task
    from django_tasks.exceptions import InvalidTaskError

    backend = CeleryBackend("default", {})
    probe = task()(_module_level)
    with pytest.raises(InvalidTaskError):
        backend.validate_task(probe.using(priority=10))
    assert backend.supports_get_result and backend.supports_defer


def _module_level():
    return None
