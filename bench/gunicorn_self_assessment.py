"""Requests per second of the self-assessment step page under gunicorn with 2 workers.

Migrates a temporary SQLite database, loads one citizen with a started assessment, starts
gunicorn on 127.0.0.1 (a free port), sends a bounded number of GETs from a thread pool with the
citizen's session, prints requests/s, and stops the server. Usage:
    python bench/gunicorn_self_assessment.py [REQUESTS] [THREADS]
"""

import os
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import gunicorn_server  # noqa: E402


def prepare(env):
    """Migrate and load data in this process; returns (session cookie, step path)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from bench.self_assessment_data import build

    call_command("migrate", verbosity=0, interactive=False)
    user, assessment = build(settings.BASE_DIR)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={cookie}", f"/assessments/{assessment.pk}/step/1/"


def main(requests=400, threads=8):
    workdir = tempfile.mkdtemp(prefix="cdht-bench-")
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.gunicorn_settings",
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        "MEDIA_ROOT": f"{workdir}/media",
    }
    cookie, path = prepare(env)
    with gunicorn_server(env, ready_path="/healthz/") as base:
        url = base + path

        def fetch(_n=0):
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                return response.status

        for _ in range(20):
            fetch()
        start = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            statuses = list(pool.map(fetch, range(requests)))
        elapsed = time.perf_counter() - start
    assert statuses == [200] * requests, set(statuses)
    print(
        f"step page under gunicorn (2 workers, {threads} client threads, SQLite): "
        f"{requests} requests in {elapsed:.2f} s = {requests / elapsed:.0f} requests/s"
    )


if __name__ == "__main__":
    main(*[int(arg) for arg in sys.argv[1:3]])
