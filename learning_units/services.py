"""State-changing actions of the learning_units app (keyword-only, transactional)."""

from django.db import transaction

from .models import Area, AreaLevel
from .text import nfc, search_key

CENTRAL_CODE = "VN"


@transaction.atomic
def areas_load_official(*, provinces, wards):
    """Create or update the official provinces and communes; never duplicates, never deletes.

    `provinces` are (code, name, division_type); `wards` are (code, name, division_type,
    province_code), as published in the `vietnam-provinces` package. Returns counts per level.
    """
    central, _ = Area.objects.get_or_create(
        level=AreaLevel.CENTRAL,
        code=CENTRAL_CODE,
        defaults={"name": "Việt Nam", "division_type": "quốc gia"},
    )
    province_by_code = {}
    counts = {}
    counts["provinces"], province_by_code = _upsert_level(
        AreaLevel.PROVINCE,
        [(code, name, division, central) for code, name, division in provinces],
    )
    counts["communes"], _ = _upsert_level(
        AreaLevel.COMMUNE,
        [
            (code, name, division, province_by_code[province_code])
            for code, name, division, province_code in wards
        ],
    )
    return counts


def _upsert_level(level, rows):
    existing = {area.code: area for area in Area.objects.filter(level=level)}
    created, updated, moved = [], [], []
    for code, name, division_type, parent in rows:
        name = nfc(name)
        area = existing.get(code)
        if area is None:
            area = Area(
                level=level,
                code=code,
                name=name,
                division_type=division_type,
                parent=parent,
                path=f"{parent.path}{code}/",
                search_name=search_key(name),
            )
            created.append(area)
            existing[code] = area
        elif area.parent_id != parent.pk:
            area.parent, area.name, area.division_type = parent, name, division_type
            moved.append(area)
        elif (area.name, area.division_type) != (name, division_type):
            area.name, area.division_type, area.search_name = name, division_type, search_key(name)
            updated.append(area)
    Area.objects.bulk_create(created, batch_size=1000)
    Area.objects.bulk_update(updated, ["name", "division_type", "search_name"], batch_size=1000)
    for area in moved:
        area.save()  # recomputes the path and moves the subtree
    counts = {
        "created": len(created),
        "updated": len(updated) + len(moved),
        "unchanged": len(rows) - len(created) - len(updated) - len(moved),
    }
    return counts, {area.code: area for area in Area.objects.filter(level=level)}
