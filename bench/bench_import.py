"""A 100k-row citizens import with full validation vs. a plain bulk_create of the same rows.

The file is a generated UTF-8 CSV (the xlsx reader is openpyxl's and is timed on its own in
the note of the second benchmark). The subject is everything `import_data` does: read, decode,
map headers, check every cell and citizen ID, resolve areas and the officer's jurisdiction,
look up existing IDs in chunks, and write in one transaction. The baseline is
`Citizen.objects.bulk_create` of the same rows as already-built model instances.
Target: the import takes at most 3× the baseline.
"""

import csv
import tempfile
from pathlib import Path

from django.db import connection

from bench.harness import compare_bulk_writes
from learning_units.imports import import_run
from learning_units.imports.resources import CitizenResource
from learning_units.models import Area, AreaLevel, Citizen, OfficerRole
from learning_units.text import search_key

ROWS = 100_000
REPEAT = 3
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Đỗ Văn Đức"]


def make_areas():
    central, _ = Area.objects.get_or_create(
        level=AreaLevel.CENTRAL, code="VN", defaults={"name": "Việt Nam"}
    )
    province, _ = Area.objects.get_or_create(
        level=AreaLevel.PROVINCE, code="31", defaults={"name": "Hải Phòng", "parent": central}
    )
    commune, _ = Area.objects.get_or_create(
        level=AreaLevel.COMMUNE, code="10999", defaults={"name": "Xã Gia Lộc", "parent": province}
    )
    hamlets = [
        Area.objects.get_or_create(
            level=AreaLevel.RESIDENTIAL,
            code=f"10999-T{number:02d}",
            defaults={"name": f"Thôn {number}", "parent": commune},
        )[0]
        for number in range(1, 21)
    ]
    return commune, hamlets


def generated_rows(hamlets):
    """Valid, unique citizen IDs whose 4th–6th digits agree with gender and birth year."""
    for serial in range(ROWS):
        male = serial % 2 == 0
        year = 1950 + serial % 60
        digit = 2 * ((year - 1900) // 100) + (0 if male else 1)
        yield {
            "citizen_id": f"030{digit}{year % 100:02d}{serial:06d}",
            "full_name": NAMES[serial % len(NAMES)],
            "gender": "male" if male else "female",
            "birth_year": year,
            "area": hamlets[serial % len(hamlets)],
            "target_group": 1 + serial % 3,
            "occupation": "Nông dân",
            "phone": f"09{serial:08d}",
        }


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CitizenResource.headers())
        for row in rows:
            writer.writerow(
                [
                    row["citizen_id"],
                    row["full_name"],
                    "Nam" if row["gender"] == "male" else "Nữ",
                    row["birth_year"],
                    "Kinh",
                    "Không",
                    row["area"].code,
                    row["target_group"],
                    row["occupation"],
                    row["phone"],
                    "",
                ]
            )


def built_citizens(rows):
    return [
        Citizen(
            citizen_id=row["citizen_id"],
            full_name=row["full_name"],
            search_name=search_key(row["full_name"]),
            gender=row["gender"],
            birth_year=row["birth_year"],
            area=row["area"],
            target_group=row["target_group"],
            occupation=row["occupation"],
            phone=row["phone"],
        )
        for row in rows
    ]


def delete_citizens():
    Citizen.objects.all()._raw_delete(connection.alias)


def bench_import_100k_citizens_vs_bulk_create():
    from django.contrib.auth import get_user_model

    commune, hamlets = make_areas()
    officer, _ = get_user_model().objects.get_or_create(username="bench_commune_officer")
    OfficerRole.objects.get_or_create(user=officer, area=commune, role="commune")
    rows = list(generated_rows(hamlets))
    folder = Path(tempfile.mkdtemp(prefix="cdht-bench-import-"))
    path = folder / "citizens-100k.csv"
    write_csv(path, rows)
    citizens = built_citizens(rows)
    delete_citizens()

    def subject():
        report = import_run(kind="citizens", file=path, officer=officer, dry_run=False)
        assert report.applied and report.new == ROWS, (report.file_error, report.errors[:3])

    def baseline():
        Citizen.objects.bulk_create(citizens)

    def describe(subject_seconds, baseline_seconds):
        return (
            f"{ROWS:,} rows from a {path.stat().st_size / 1e6:.1f} MB UTF-8 CSV, median of "
            f"{REPEAT}: import {ROWS / subject_seconds:,.0f} rows/s, bulk_create "
            f"{ROWS / baseline_seconds:,.0f} rows/s ({connection.vendor})."
        )

    result = compare_bulk_writes(
        "import 100k citizens (csv) vs bulk_create",
        subject=subject,
        baseline=baseline,
        objects=citizens,
        count=Citizen.objects.count,
        clear=delete_citizens,
        repeat=REPEAT,
        target_ratio=3,
        describe=describe,
    )
    path.unlink()
    return result
