"""Read-replica drill: a real PostgreSQL primary and hot standby (scripts/with-postgres-replica.sh).

    bash scripts/with-postgres-replica.sh .venv/bin/python scripts/replica-drill.py

Migrates and loads the demo on the primary, waits for the standby to replay it, then over HTTP
(Django's test client, the whole middleware stack, development settings):
1. a province officer's report and a public recognition listing read from the standby
   (queries on the "replica" connection, which `pg_is_in_recovery()`), not the primary;
2. a log-in writes on the primary (a read-only standby would refuse it);
3. the standby is stopped, and the report and the listing still answer 200, from the primary.
Prints one line per step; exits non-zero on any failure.
"""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cdht_wagtail.settings.dev")
for name in ("DATABASE_URL", "DATABASE_REPLICA_URL", "CDHT_STANDBY_STOP"):
    if not os.environ.get(name):
        sys.exit(f"{name} is not set: run through scripts/with-postgres-replica.sh")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments.models import RecognitionListingPage  # noqa: E402


def step(message):
    print(f"replica drill: {message}", flush=True)


def scalar(alias, sql):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def get(client, url, what, *, replica_up=True):
    """GET `url`; the number of queries on the primary and on the standby (while it is up:
    counting them opens a connection)."""
    with CaptureQueriesContext(connections["default"]) as primary:
        if replica_up:
            with CaptureQueriesContext(connections["replica"]) as replica:
                response = client.get(url)
        else:
            replica, response = [], client.get(url)
    if response.status_code != 200:
        sys.exit(f"{what}: HTTP {response.status_code}")
    return len(primary), len(replica)


assert scalar("default", "SELECT pg_is_in_recovery()") is False
assert scalar("replica", "SELECT pg_is_in_recovery()") is True
step("primary and hot standby up")

call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0, stdout=io.StringIO())
target = scalar("default", "SELECT pg_current_wal_lsn()::text")
for _ in range(120):
    if scalar("replica", f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
        break
    time.sleep(0.5)
else:
    sys.exit("the standby did not replay the demo data within 60 s")
users = scalar("replica", "SELECT count(*) FROM auth_user")
step(f"demo loaded on the primary and replayed on the standby ({users} users there)")

# 1. Reads of reports and listings go to the standby.
officer = Client(HTTP_HOST="localhost")
officer.force_login(get_user_model().objects.get(username="province_officer"))
report_url = reverse("reports:index")
on_primary, on_replica = get(officer, report_url, "report")
assert on_replica > 0, "the report read nothing from the replica"
step(f"report: {on_replica} queries on the standby, {on_primary} on the primary (session, user)")

listing = RecognitionListingPage.objects.live().filter(locale__language_code="vi").first()
visitor = Client(HTTP_HOST="localhost")
on_primary, on_replica = get(visitor, listing.url, "listing")
assert on_replica > 0, "the listing read nothing from the replica"
step(f"listing {listing.url}: {on_replica} queries on the standby, {on_primary} on the primary")

# 2. Writes go to the primary: a log-in records the session and the last log-in.
citizen = Client(HTTP_HOST="localhost")
response = citizen.post(reverse("login"), {"username": "citizen", "password": "cdht-demo-citizen"})
assert response.status_code == 302, f"log-in: HTTP {response.status_code}"
last_login = scalar("default", "SELECT last_login FROM auth_user WHERE username = 'citizen'")
assert last_login is not None
step("a log-in wrote its session and last log-in on the primary")

# 3. The standby stops; the site still answers, from the primary.
subprocess.run(os.environ["CDHT_STANDBY_STOP"], shell=True, check=True, capture_output=True)
step("standby stopped")
on_primary, on_replica = get(officer, report_url, "report without the standby", replica_up=False)
step(f"report without the standby: 200 ({on_primary} queries on the primary)")
on_primary, on_replica = get(visitor, listing.url, "listing without the standby", replica_up=False)
step(f"listing without the standby: 200 ({on_primary} queries on the primary)")
print("REPLICA DRILL OK", flush=True)
