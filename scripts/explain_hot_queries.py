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
from bench.bench_review_queue import YEAR, fill, make_commune, make_world  # noqa: E402
from learning_units.models import OfficerRole  # noqa: E402


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


def random_rows(hamlets):
    """Row n's name, residential area and status drawn independently at random (no accidental
    correlation between them, unlike the benchmark's cycled lists); seeded, so runs repeat."""
    rng = random.Random(12)
    return lambda n: (
        f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        rng.choice(hamlets),
        rng.choice(STATUSES),
    )


def fill_communes(communes_count, rows, criteria_set, campaign, province):
    """`rows` citizens with an assessment each, spread over `communes_count` communes of 20
    residential areas (the benchmark's `make_commune` and `fill`); returns the communes."""
    hamlets = [
        hamlet
        for c in range(communes_count)
        for hamlet in make_commune(
            province, code=f"X{c:04d}", name=f"Xã {c}", hamlet_code=f"X{c:04d}-{{:02d}}"
        )
    ]
    fill(hamlets, criteria_set, campaign, rows=rows, row=random_rows(hamlets))
    return list(dict.fromkeys(hamlet.parent for hamlet in hamlets))


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
