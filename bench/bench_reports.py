"""Province and country reports (read from the kept summaries) vs. the minimal live GROUP BY.

Subject: `reports.selectors.area_report(area, year)` — every query of a report view (children,
the assessments' figures from `AssessmentSummary`, citizens, citizens in recognised
collectives, populations, targets) and the assembly of rows, totals and targets in Python.
Baseline: the least a live report must do over the same assessments — one GROUP BY of the
area's assessments of the year and the year before by recording area, year, status and band
(count and score sum), with no join to recognitions and no path cut per row.
Goals (issue #22, PostgreSQL): province < 200 ms and country < 300 ms, whatever the size of
the other provinces: the small province is measured next to the big one.

Rows: the 34 provinces and 3,321 communes of `load_areas`; BENCH_REPORT_ROWS (default 200,000)
assessments in one province (Hai Phong, half this year and half last year, with answers),
BENCH_REPORT_OTHER_ROWS (default a quarter of that) spread over the country by population,
built with `generate_load_data`'s generator.
"""

import datetime
import os
import re
import time

from django.core.management import call_command
from django.db import connection

from assessments.models import Assessment
from bench.harness import compare
from learning_units.jurisdiction import under
from learning_units.models import Area, AreaLevel
from reports.management.commands.generate_load_data import generate
from reports.selectors import area_report
from reports.services import targets_load_defaults

YEAR = datetime.date.today().year  # the open year, as the generator's default
ROWS = int(os.environ.get("BENCH_REPORT_ROWS", "200000"))
OTHER_ROWS = int(os.environ.get("BENCH_REPORT_OTHER_ROWS", str(ROWS // 4)))
BIG, SMALL = "31", "12"  # Hai Phong; Lai Chau
PROVINCE_MS, COUNTRY_MS = 200, 300

# The minimal live GROUP BY of the report's counts (see the docstring).
RAW_SQL = """
SELECT a.area_id, a.year, a.status, a.band, COUNT(*),
       SUM(COALESCE(a.verified_total, a.self_total))
FROM assessments_assessment a
WHERE a.area_id IN (SELECT id FROM learning_units_area WHERE {scope})
  AND a.year IN (%(year)s, %(previous)s) AND a.citizen_id IS NOT NULL
GROUP BY 1, 2, 3, 4
"""


class _Progress:
    """Prints the generator's progress every 100,000 citizens (a 5M run takes the better part
    of an hour)."""

    def __init__(self):
        self.start = time.perf_counter()

    def progress(self, done, total):
        if done % 100_000 == 0 or done == total:
            elapsed = time.perf_counter() - self.start
            print(f"  {done:,}/{total:,} citizens, {elapsed:.0f} s", flush=True)


def make_world():
    call_command("load_areas", stdout=open(os.devnull, "w"))  # noqa: SIM115
    targets_load_defaults()
    big = Area.objects.get(level=AreaLevel.PROVINCE, code=BIG)
    start = time.perf_counter()
    generate(
        communes=list(Area.objects.filter(parent=big).select_related("parent")),
        citizens=ROWS // 2,
        years=(YEAR - 1, YEAR),
        batch=5000,
        seed=1,
        out=_Progress(),
    )
    generate(
        communes=list(Area.objects.filter(level=AreaLevel.COMMUNE).select_related("parent")),
        citizens=OTHER_ROWS // 2,
        years=(YEAR - 1, YEAR),
        batch=5000,
        seed=2,
        out=_Progress(),
    )
    print(
        f"generated {ROWS:,} + {OTHER_ROWS:,} citizens' assessments (with units and answers) "
        f"in {time.perf_counter() - start:.1f} s"
    )
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load in production: statistics, the visibility
        # map (index-only scans) and the trigram indexes' pending lists merged, which a GIN
        # index read right after a COPY otherwise walks in full (the listing's name search).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return big, Area.objects.get(level=AreaLevel.PROVINCE, code=SMALL)


def raw_group_by(area):
    """The baseline: rows of the live GROUP BY for `area` (the country: no area filter)."""
    scope = "TRUE" if area.level == AreaLevel.CENTRAL else "path LIKE %(prefix)s"
    with connection.cursor() as cursor:
        cursor.execute(
            RAW_SQL.format(scope=scope),
            {"prefix": area.path + "%", "year": YEAR, "previous": YEAR - 1},
        )
        return cursor.fetchall()


def _checked(area):
    """The report's taking-part count equals the baseline's (both read the same rows)."""
    report = area_report(area, year=YEAR)
    live = sum(row[4] for row in raw_group_by(area) if row[1] == YEAR)
    assert report.total.current.counts["taking_part"] == live, (area, live)
    assert area_report(area, year=YEAR, live=True).total.current.counts["taking_part"] == live


def bench_reports():
    big, small = make_world()
    country = Area.objects.get(level=AreaLevel.CENTRAL)
    results = []
    for label, area, goal in (
        ("province (1 of 34, the big one)", big, PROVINCE_MS),
        ("province (small, next to the big)", small, PROVINCE_MS),
        ("country", country, COUNTRY_MS),
    ):
        _checked(area)
        rows = _assessments(area).count()
        result = compare(
            f"{label} report, {rows:,} assessments ({connection.vendor})",
            lambda area=area: area_report(area, year=YEAR),
            lambda area=area: raw_group_by(area),
            repeat=7,
            warmup=1,
            target_ratio=1.0,
            note=f"goal < {goal} ms; subject: every query of the report (summaries); "
            "baseline: the minimal live GROUP BY of the same counts",
        )
        result.goal_ms = goal
        slowest = _slowest_queries(area)
        result.limit = "" if result.subject_seconds * 1000 < goal else slowest
        result.note += f" — {'met' if not result.limit else 'NOT MET'}"
        result.note += "; slowest queries: " + slowest
        results.append(result)
    return results


def _slowest_queries(area, shown=3):
    """What limits the subject: its three slowest queries (ms and the tables they read)."""
    timings = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            tables = sorted(set(re.findall(r'FROM "(\w+)"', sql)))
            timings.append((time.perf_counter() - start, ",".join(tables)))

    with connection.execute_wrapper(timed):
        area_report(area, year=YEAR)
    timings.sort(reverse=True)
    return "; ".join(f"{seconds * 1000:.1f} ms {tables}" for seconds, tables in timings[:shown])


def _assessments(area):
    rows = Assessment.objects.filter(year__in=(YEAR, YEAR - 1), citizen__isnull=False)
    if area.level != AreaLevel.CENTRAL:
        rows = rows.filter(under("area__path", area.path))
    return rows
