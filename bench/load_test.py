"""Bounded load test on loopback: gunicorn (2 workers × 4 threads) in front of PostgreSQL.

Scenarios (issue 11): the public commune page, the certificate verification page and the
self-assessment autosave (each virtual citizen saves their own draft, as in real use), plus
/healthz/ as the baseline measured in the same run. For each: requests/s, p50 and p95 latency,
count of 5xx and of other non-2xx answers. Exits non-zero when any 5xx was seen.

    bash scripts/with-postgres.sh .venv/bin/python bench/load_test.py [REQUESTS] [THREADS]

Without DATABASE_URL it falls back to a temporary SQLite file (figures then say little about
production). Nothing here is timed in the test suite.
"""

import http.cookiejar
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import gunicorn_server  # noqa: E402

CITIZENS = 16


def prepare(env):
    """Migrate, load the demo and one draft per virtual citizen; returns the targets."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from assessments.models import Recognition
    from assessments.services.self_assessment import assessment_start
    from home.models import CommunePage
    from learning_units.models import Citizen

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", "--force", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    commune = CommunePage.objects.live().filter(locale__language_code="vi").first()
    recognition = Recognition.objects.filter(revoked=False).first()
    template = Citizen.objects.filter(user__username="citizen").select_related("area").first()
    sessions = []
    User = get_user_model()
    for number in range(CITIZENS):
        user = User.objects.create_user(f"load-{number}", password="load-test-password")
        citizen = Citizen.objects.create(
            user=user,
            citizen_id=f"0011900{number:05d}",
            full_name=f"Người thử tải {number}",
            gender="female",
            birth_year=1990,
            area=template.area,
            target_group=template.target_group,
        )
        assessment = assessment_start(citizen=citizen, actor=user)
        client = Client()
        client.force_login(user)
        indicator = assessment.answers.order_by("indicator__criterion__sort_order").first()
        sessions.append(
            {
                "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "step": f"/assessments/{assessment.pk}/step/1/",
                "autosave": f"/assessments/{assessment.pk}/step/1/autosave/",
                "field": f"points_{indicator.indicator_id}",
                "max": int(indicator.indicator.max_points),
            }
        )
    return {
        "commune": commune.url if commune else None,
        "verify": f"/verify/{recognition.verification_code}/" if recognition else None,
        "sessions": sessions,
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }


class Target:
    def __init__(self, base):
        self.base = base

    def open(self, path, *, data=None, headers=None):
        request = urllib.request.Request(
            self.base + path,
            data=urllib.parse.urlencode(data).encode() if data is not None else None,
            headers=headers or {},
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            body, status = error.read(), error.code
        return status, time.perf_counter() - started, body


def csrf_for(target, session, cookie_name):
    """The step page's CSRF token and cookie, as the browser would have them."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    request = urllib.request.Request(
        target.base + session["step"], headers={"Cookie": f"{cookie_name}={session['cookie']}"}
    )
    with opener.open(request, timeout=60) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    csrf_cookie = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    return token, csrf_cookie


def run(name, calls, threads):
    """`calls` is a list of zero-argument functions returning (status, seconds, body)."""
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda call: call(), calls))
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds for _status, seconds, _body in results)
    statuses = [status for status, _seconds, _body in results]
    return {
        "name": name,
        "requests": len(results),
        "rps": len(results) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
        "5xx": sum(status >= 500 for status in statuses),
        "other": sum(not 200 <= status < 300 and status < 500 for status in statuses),
    }


def main(requests=400, threads=8):
    workdir = tempfile.mkdtemp(prefix="cdht-load-")
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/load.sqlite3",
        "MEDIA_ROOT": f"{workdir}/media",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    database = env["DATABASE_URL"].split(":", 1)[0]
    targets = prepare(env)
    with gunicorn_server(env, ready_path="/healthz/", threads=4) as base:
        target = Target(base)
        cookie_name = targets["session_cookie"]
        scenarios = [("baseline /healthz/", "/healthz/")]
        if targets["commune"]:
            scenarios.append(("public commune page", targets["commune"]))
        if targets["verify"]:
            scenarios.append(("verification page", targets["verify"]))
        results = []
        for name, path in scenarios:
            for _n in range(20):  # warm-up: caches, connections, templates
                target.open(path)
            results.append(run(name, [lambda p=path: target.open(p)] * requests, threads))

        sessions = targets["sessions"]
        tokens = [csrf_for(target, session, cookie_name) for session in sessions]

        def autosave(number):
            session, (token, csrf_cookie) = (
                sessions[number % len(sessions)],
                tokens[number % len(sessions)],
            )
            points = number % (session["max"] + 1)
            return target.open(
                session["autosave"],
                data={session["field"]: str(points), "csrfmiddlewaretoken": token},
                headers={
                    "Cookie": f"{cookie_name}={session['cookie']}; csrftoken={csrf_cookie}",
                    "Referer": target.base + session["step"],
                },
            )

        for number in range(len(sessions)):
            autosave(number)
        results.append(
            run(
                f"autosave ({len(sessions)} citizens)",
                [lambda n=n: autosave(n) for n in range(requests)],
                threads,
            )
        )

    baseline = results[0]["rps"]
    print(
        f"Load test: {requests} requests per scenario, {threads} client threads, gunicorn "
        f"2 workers × 4 threads, database {database}"
    )
    columns = ("req/s", "p50 ms", "p95 ms", "5xx", "4xx", "× base")
    print(f"{'scenario':34}" + "".join(f"{column:>9}" for column in columns))
    for row in results:
        print(
            f"{row['name']:34}{row['rps']:9.1f}{row['p50']:9.1f}{row['p95']:9.1f}"
            f"{row['5xx']:9d}{row['other']:9d}{row['rps'] / baseline:9.2f}"
        )
    if not targets["verify"]:
        print("verification page: skipped (no recognition in the demo data)")
    failed = sum(row["5xx"] for row in results)
    if failed:
        print(f"FAILED: {failed} server errors", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*(int(arg) for arg in sys.argv[1:3])))
