"""A province report over generated assessments vs. the raw SQL GROUP BY on the same rows.

Subject: `reports.selectors.area_report(province, year)` — every query of a report view
(children, assessments by child/year/band with the year before, citizens, digital answers,
populations, targets) and the assembly of rows, totals and target comparisons in Python.
Baseline: one hand-written SQL statement that groups the same assessments by commune, year and
band with the same conditional counts — the least any report over these rows must do.
Target: at most 1.5× the baseline (and under 2 s at 1M rows on PostgreSQL).

Rows: BENCH_REPORT_ROWS (default 200,000) citizens with one assessment each, spread over 100
communes of one province, built with `generate_load_data`'s generator.
"""

import os
import time

from django.db import connection

from bench.harness import compare
from learning_units.models import Area, AreaLevel
from reports.management.commands.generate_load_data import generate
from reports.selectors import area_report
from reports.services import targets_load_defaults

YEAR = 2026
ROWS = int(os.environ.get("BENCH_REPORT_ROWS", "200000"))

RAW_SQL = """
SELECT SUBSTR(ar.path, 1, %(start)s + {strpos}) AS child, a.year, a.band,
       COUNT(*),
       SUM(CASE WHEN a.status IN ('draft', 'returned') THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.status = 'submitted' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.status = 'verified' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.status = 'recognised' AND NOT COALESCE(r.revoked, FALSE) THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.status = 'recognised' AND r.revoked THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.status = 'rejected' THEN 1 ELSE 0 END),
       SUM(COALESCE(a.verified_total, a.self_total))
FROM assessments_assessment a
JOIN learning_units_area ar ON ar.id = a.area_id
LEFT JOIN assessments_recognition r ON r.assessment_id = a.id
WHERE ar.path LIKE %(prefix)s AND a.year IN (%(year)s, %(previous)s) AND a.citizen_id IS NOT NULL
GROUP BY 1, 2, 3
"""


def make_world():
    central, _ = Area.objects.get_or_create(
        level=AreaLevel.CENTRAL, code="VN", defaults={"name": "Việt Nam"}
    )
    province = Area.objects.create(
        level=AreaLevel.PROVINCE, code="B31", name="Thành phố Hải Phòng", parent=central
    )
    communes = [
        Area.objects.create(
            level=AreaLevel.COMMUNE, code=f"B{n:05d}", name=f"Xã Thử {n}", parent=province
        )
        for n in range(100)
    ]
    targets_load_defaults()
    start = time.perf_counter()
    generate(communes=communes, citizens=ROWS, year=YEAR, batch=5000, seed=1)
    print(f"generated {ROWS:,} citizens and assessments in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return province


def raw_group_by(province):
    strpos = (
        "STRPOS(SUBSTR(ar.path, %(start1)s), '/')"
        if connection.vendor == "postgresql"
        else "INSTR(SUBSTR(ar.path, %(start1)s), '/')"
    )
    params = {
        "start": len(province.path),
        "start1": len(province.path) + 1,
        "prefix": province.path + "%",
        "year": YEAR,
        "previous": YEAR - 1,
    }
    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL.format(strpos=strpos), params)
        return cursor.fetchall()


def bench_province_report():
    province = make_world()
    report = area_report(province, year=YEAR)
    raw = raw_group_by(province)
    assert report.total.current.counts["taking_part"] == sum(row[3] for row in raw) == ROWS
    assert report.total.current.counts["recognised"] == sum(row[7] for row in raw)
    repeat = 5 if ROWS >= 500_000 else 10
    return compare(
        f"province report, {ROWS:,} assessments ({connection.vendor})",
        lambda: area_report(province, year=YEAR),
        lambda: raw_group_by(province),
        repeat=repeat,
        warmup=1,
        target_ratio=1.5,
        note="subject: every query of the report view; baseline: the bare GROUP BY",
    )
