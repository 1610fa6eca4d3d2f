"""A province's public recognition listing and its officers' queue, page 1 and a name search,
vs. the minimal indexed query of the same page (issue #22: each < 200 ms at 550k recognitions
/ 1M assessments in the province).

Runs on the rows `bench_reports` generated (the same test database, after it; generated here
when run alone). Subjects are the selectors and paginators of the views — every query the
listing (`RecognitionListingPage.render_year`: the years, the kept totals, the citizens' and
the collectives' pages; a search's counts, capped) and the queue (`AssessmentQueueView`: the
page of 50 of the submitted tab and of All, and the counts per status: the kept summaries',
live and capped for a search) make; template rendering is left out.
Baselines: the least a page needs — 50 ids of the province's rows in the page's order from an
index, and for a search the citizens whose folded name matches (trigram index on PostgreSQL).
"""

import os
import time

from django.contrib.auth import get_user_model
from django.db import connection

from assessments import queue_counts, selectors
from assessments.models import Assessment, AssessmentStatus
from assessments.models.pages import RECOGNITIONS_PER_PAGE
from bench.bench_reports import BIG, YEAR, make_world
from bench.harness import compare
from learning_units.models import Area, AreaLevel, OfficerRole
from learning_units.pagination import CAP, CappedPaginator
from learning_units.text import search_key

GOAL_MS = 200
QUEUE_PER_PAGE = 50
SEARCH = "Nguyễn Văn An 1000"  # a generated name: a handful of people


def _world():
    if not Assessment.objects.exists():
        make_world()
    province = Area.objects.get(level=AreaLevel.PROVINCE, code=BIG)
    officer, _created = get_user_model().objects.get_or_create(username="bench-province")
    OfficerRole.objects.get_or_create(user=officer, area=province, role="province")
    return province, officer


def _national_officer():
    """A superuser: the queue of the whole country, its counts summed over every kept row."""
    user, _created = get_user_model().objects.get_or_create(
        username="bench-national", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def _listing(province, year, query="", number=1):
    """What the listing view reads for a page (no template): the totals kept for the whole
    province, counted (capped) for a search."""
    years = list(selectors.recognition_years(area=province))
    counts = {} if query else selectors.public_recognition_counts(area=province, year=year)
    pages = []
    found = selectors.public_recognition_search(area=province, year=year, query=query)
    for kind, rows in zip(("citizens", "collectives"), found, strict=True):
        paginator = CappedPaginator(rows, RECOGNITIONS_PER_PAGE, count=(counts or {}).get(kind))
        page = paginator.get_page(number)
        pages.append((list(page), page.paginator.count_label))
    return years, pages


def _queue(officer, query="", status=AssessmentStatus.SUBMITTED):
    """What the queue view reads for page 1 of a tab (the submitted one by default, "" for
    All; no template): the counts per status — summed from the kept summaries
    (`queue_counts`), counted live and capped for a search, as the view does — and the page
    of 50 in the view's order."""
    queue = selectors.assessment_search(selectors.assessment_queue(user=officer), query)
    counts = None if query else queue_counts.kept_status_counts(user=officer, filters={})
    if counts is None:
        counts = selectors.assessment_status_counts(queue, cap=10_000 if query else None)
    rows = queue.filter(status=status) if status else queue
    page = list(rows.order_by("submitted_at", "pk")[:QUEUE_PER_PAGE])
    return counts, page


def _sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _slowest(call, shown=2):
    timings = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - start, sql[:90].replace("\n", " ")))

    with connection.execute_wrapper(timed):
        call()
    timings.sort(reverse=True)
    return "; ".join(f"{seconds * 1000:.0f} ms {sql}…" for seconds, sql in timings[:shown])


def _explain(name, call):
    """With BENCH_EXPLAIN=1 (PostgreSQL), prints EXPLAIN ANALYZE of every query `call` makes:
    the plans a figure comes from."""
    if not os.environ.get("BENCH_EXPLAIN") or connection.vendor != "postgresql":
        return
    queries = []

    def kept(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(kept):
        call()
    print(f"--- plans of {name}")
    for sql, params in queries:
        plan = _sql(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print(sql[:300], "\n  " + "\n  ".join(row[0] for row in plan), flush=True)


def bench_reports_province_listing_and_queue():
    province, officer = _world()
    national = _national_officer()
    year = YEAR
    recognitions = (
        selectors.public_citizen_recognitions(area=province, year=year).order_by().count()
    )
    assessments = selectors.assessments_in_jurisdiction(officer).count()
    last_page = max(1, -(-min(recognitions, CAP) // RECOGNITIONS_PER_PAGE))
    key = search_key(SEARCH)
    cases = [
        (
            f"province listing page 1, {recognitions:,} recognitions",
            lambda: _listing(province, year),
            lambda: _sql(
                "SELECT id FROM assessments_recognition WHERE year = %s AND NOT revoked "
                "ORDER BY id LIMIT %s",
                [year, RECOGNITIONS_PER_PAGE],
            ),
        ),
        (
            # The deepest page a visitor can reach (pages stop at the paginator's cap).
            f"province listing deepest page ({last_page})",
            lambda: _listing(province, year, number=last_page),
            lambda: _sql(
                "SELECT id FROM assessments_recognition WHERE year = %s AND NOT revoked "
                "ORDER BY id LIMIT %s OFFSET %s",
                [year, RECOGNITIONS_PER_PAGE, (last_page - 1) * RECOGNITIONS_PER_PAGE],
            ),
        ),
        (
            "province listing, name search",
            lambda: _listing(province, year, SEARCH),
            lambda: _sql(
                "SELECT id FROM learning_units_citizen WHERE search_name LIKE %s LIMIT %s",
                [f"%{key}%", RECOGNITIONS_PER_PAGE],
            ),
        ),
        (
            f"province queue page 1, {assessments:,} assessments",
            lambda: _queue(officer),
            lambda: _sql(
                "SELECT id FROM assessments_assessment WHERE status = 'submitted' "
                "ORDER BY submitted_at, id LIMIT %s",
                [QUEUE_PER_PAGE],
            ),
        ),
        (
            "province queue page 1, All tab",
            lambda: _queue(officer, status=""),
            lambda: _sql(
                "SELECT id FROM assessments_assessment WHERE province_id = %s "
                "ORDER BY submitted_at, id LIMIT %s",
                [province.pk, QUEUE_PER_PAGE],
            ),
        ),
        (
            "country queue page 1 (superuser), counts of every province",
            lambda: _queue(national),
            lambda: _sql(
                "SELECT id FROM assessments_assessment WHERE status = 'submitted' "
                "ORDER BY submitted_at, id LIMIT %s",
                [QUEUE_PER_PAGE],
            ),
        ),
        (
            "province queue, name search",
            lambda: _queue(officer, SEARCH),
            lambda: _sql(
                "SELECT id FROM learning_units_citizen WHERE search_name LIKE %s LIMIT %s",
                [f"%{key}%", QUEUE_PER_PAGE],
            ),
        ),
    ]
    results = []
    for name, subject, baseline in cases:
        _explain(name, subject)
        result = compare(
            f"{name} ({connection.vendor})",
            subject,
            baseline,
            repeat=5,
            warmup=1,
            note=f"goal < {GOAL_MS} ms",
        )
        result.goal_ms = GOAL_MS
        result.limit = "" if result.subject_seconds * 1000 < GOAL_MS else _slowest(subject)
        result.note += f" — NOT MET; slowest: {result.limit}" if result.limit else " — met"
        results.append(result)
    return results
