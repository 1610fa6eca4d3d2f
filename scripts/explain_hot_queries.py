"""EXPLAIN ANALYZE of the hot queries on PostgreSQL, for docs/deploy.md.

    scripts/with-postgres.sh .venv/bin/python scripts/explain_hot_queries.py [ROWS]

Migrates the throwaway database, fills ten communes of one province (20 residential areas
each) with ROWS citizens and assessments (default 300,000; random names, statuses and places;
a third recognised), runs VACUUM ANALYZE, and prints the plans of:
the officer's review queue page (submitted, oldest first, 50 rows) and its status counts, and
the public recognition listing page (one commune, one year, by name, 50 rows) and its count.
"""

import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cdht_wagtail.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from assessments import selectors  # noqa: E402
from assessments.models import (  # noqa: E402
    Assessment,
    CertificateSequence,
    Recognition,
    RecognitionDecision,
)
from bench.bench_review_queue import YEAR, make_world  # noqa: E402
from learning_units.models import Area, AreaLevel, Citizen, OfficerRole  # noqa: E402
from learning_units.text import search_key  # noqa: E402


def plan(title, queryset):
    print(f"\n### {title}\n")
    sql, params = queryset.query.sql_with_params()
    print("```")
    print(queryset.explain(analyze=True, buffers=True))
    print("```")
    return sql, params


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân"]
STATUSES = ["draft", "submitted", "submitted", "verified", "recognised", "recognised"]


def fill_communes(communes_count, rows, criteria_set, campaign, province):
    """`rows` citizens with an assessment each, spread over `communes_count` communes of 20
    residential areas; names and statuses drawn independently (no accidental correlation)."""
    rng = random.Random(12)
    hamlets = []
    for c in range(communes_count):
        commune = Area.objects.create(
            level=AreaLevel.COMMUNE, code=f"X{c:04d}", name=f"Xã {c}", parent=province
        )
        hamlets.append(
            [
                Area.objects.create(
                    level=AreaLevel.RESIDENTIAL,
                    code=f"X{c:04d}-{n:02d}",
                    name=f"Thôn {n}",
                    parent=commune,
                )
                for n in range(1, 21)
            ]
        )
    start = datetime.datetime(YEAR, 3, 1, tzinfo=datetime.UTC)
    for offset in range(0, rows, 20_000):
        citizens = []
        for n in range(offset, min(rows, offset + 20_000)):
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            citizens.append(
                Citizen(
                    citizen_id=f"9{n:011d}",
                    full_name=name,
                    search_name=search_key(name),
                    gender="female",
                    birth_year=1990,
                    area=rng.choice(rng.choice(hamlets)),
                    target_group=1,
                )
            )
        citizens = Citizen.objects.bulk_create(citizens, batch_size=5000)
        Assessment.objects.bulk_create(
            (
                Assessment(
                    campaign=campaign,
                    criteria_set=criteria_set,
                    citizen=citizen,
                    area=citizen.area,
                    year=YEAR,
                    target_group=1,
                    status=rng.choice(STATUSES),
                    self_total=60,
                    band="Khá",
                    passed=True,
                    submitted_at=start + datetime.timedelta(minutes=n),
                )
                for n, citizen in enumerate(citizens)
            ),
            batch_size=5000,
        )
    return [group[0].parent for group in hamlets]


def recognise_all(communes):
    for commune in communes:
        decision = RecognitionDecision.objects.create(
            number=f"1/QĐ-{commune.code}",
            decided_on=datetime.date(YEAR, 12, 1),
            signer="Chủ tịch Hội",
            issuing_area=commune,
        )
        recognised = Assessment.objects.filter(
            status="recognised", area__parent=commune
        ).values_list("pk", flat=True)
        Recognition.objects.bulk_create(
            (
                Recognition(
                    assessment_id=pk,
                    decision=decision,
                    year=YEAR,
                    issuing_area=commune,
                    sequence=n,
                    certificate_number=f"{commune.code}/{YEAR}/{n:05d}",
                )
                for n, pk in enumerate(recognised, start=1)
            ),
            batch_size=5000,
        )
        CertificateSequence.objects.create(
            issuing_area=commune, year=YEAR, last_number=len(recognised)
        )


def main(rows, communes_count=10):
    assert connection.vendor == "postgresql", "run through scripts/with-postgres.sh"
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    hamlets, criteria_set, campaign, officer = make_world()  # one commune, no assessments
    province = hamlets[0].parent.parent
    communes = fill_communes(communes_count, rows, criteria_set, campaign, province)
    commune = communes[0]
    OfficerRole.objects.filter(user=officer).update(area=commune)
    recognise_all(communes)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"PostgreSQL {version}; {rows:,} citizens and assessments in {communes_count} communes "
        f"of one province ({Recognition.objects.count():,} recognised; the commune below has "
        f"{Assessment.objects.filter(area__parent=commune).count():,}); data built in "
        f"{time.perf_counter() - started:.0f} s"
    )

    queue = selectors.assessment_queue(user=officer)
    plan(
        "Review queue page: submitted, oldest first, first 50 rows",
        queue.filter(status="submitted").order_by("submitted_at", "pk")[:50],
    )
    plan(
        "Review queue: counts per status (the tabs)",
        selectors.assessments_in_jurisdiction(officer)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk")),
    )
    plan(
        "Recognition listing page: one commune, one year, by name, first 50",
        selectors.public_citizen_recognitions(area=commune, year=YEAR)[:50],
    )
    plan(
        "Recognition listing page: the whole province, one year, by name, first 50",
        selectors.public_citizen_recognitions(area=province, year=YEAR)[:50],
    )
    plan(
        "Recognition listing: count (paginator)",
        selectors.public_citizen_recognitions(area=commune, year=YEAR)
        .order_by()
        .values("year")
        .annotate(n=Count("pk")),
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300_000)
