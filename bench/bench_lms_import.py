"""A 100k-row course completions import (our template, CSV) vs. bulk_create of the same rows.

The subject is what `import_data completions` does: read, map headers, check every cell
(dates not in the future, hours, URLs), match learners by citizen ID within the officer's
jurisdiction, derive the stable external IDs, look up recorded completions in chunks and
write in one transaction. The baseline is `CourseCompletion.objects.bulk_create` of the same
rows as already-built instances. Target: at most 3× the baseline.
"""

import csv
import datetime
import tempfile
from decimal import Decimal
from pathlib import Path

from django.db import connection

from bench.harness import compare_bulk_writes
from bench.lms_data import REPEAT, ROWS, commune_officer, delete_completions, make_learners
from learning_units.imports import import_run
from learning_units.imports.completion_columns import CompletionResource
from learning_units.models import CourseCompletion

CITIZENS = max(ROWS // 5, 1)  # five courses per citizen
COURSES = ["Kỹ năng số cơ bản", "Tiếng Anh giao tiếp", "Tin học văn phòng", "An toàn thông tin"]


def generated_rows(citizens):
    start = datetime.date(2024, 1, 1)
    for serial in range(ROWS):
        pk, number = citizens[serial % len(citizens)]
        course = serial // len(citizens)  # five distinct courses per citizen
        yield {
            "citizen_pk": pk,
            "citizen_id": number,
            "course_title": f"{COURSES[course % len(COURSES)]} {course}",
            "course_id": f"KNS-{course:03d}",
            "completed_on": start + datetime.timedelta(days=serial % 500),
            "hours": Decimal(serial % 40) / 2,
            "external_id": f"moodle-cc-{serial}",
        }


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CompletionResource.headers())
        for row in rows:
            writer.writerow(
                [
                    row["citizen_id"],
                    row["course_title"],
                    "moodle",
                    row["course_id"],
                    "https://lms.example.vn/course/view.php?id=12",
                    row["completed_on"].strftime("%d/%m/%Y"),
                    row["hours"],
                    "Đạt",
                    "",
                    row["external_id"],
                    "digital-skills",
                ]
            )


def built_completions(rows):
    return [
        CourseCompletion(
            citizen_id=row["citizen_pk"],
            course_title=row["course_title"],
            provider="moodle",
            course_id=row["course_id"],
            course_url="https://lms.example.vn/course/view.php?id=12",
            completed_on=row["completed_on"],
            hours=row["hours"],
            grade="Đạt",
            competency_tags="digital-skills",
            source="import",
            external_id=row["external_id"],
        )
        for row in rows
    ]


def bench_import_100k_completions_vs_bulk_create():
    officer, _commune, hamlets = commune_officer("bench_lms_officer")
    learners = make_learners(
        hamlets, count=CITIZENS, province="030", first=500_000, name="Nguyễn Văn An"
    )
    citizens = [(pk, number) for pk, number, _email in learners]
    rows = list(generated_rows(citizens))
    folder = Path(tempfile.mkdtemp(prefix="cdht-bench-lms-"))
    path = folder / f"completions-{ROWS}.csv"
    write_csv(path, rows)
    completions = built_completions(rows)
    delete_completions()

    def subject():
        report = import_run(kind="completions", file=path, officer=officer, dry_run=False)
        assert report.applied and report.new == ROWS, (report.file_error, report.errors[:3])

    def baseline():
        CourseCompletion.objects.bulk_create(completions, batch_size=5000)

    def describe(subject_seconds, baseline_seconds):
        return (
            f"{ROWS:,} completions of {CITIZENS:,} citizens from a "
            f"{path.stat().st_size / 1e6:.1f} MB UTF-8 CSV, median of {REPEAT}: import "
            f"{ROWS / subject_seconds:,.0f} rows/s, bulk_create {ROWS / baseline_seconds:,.0f} "
            f"rows/s ({connection.vendor})."
        )

    result = compare_bulk_writes(
        f"import {ROWS:,} course completions (csv) vs bulk_create",
        subject=subject,
        baseline=baseline,
        objects=completions,
        count=CourseCompletion.objects.count,
        clear=delete_completions,
        repeat=REPEAT,
        target_ratio=3,
        describe=describe,
    )
    path.unlink()
    return result
