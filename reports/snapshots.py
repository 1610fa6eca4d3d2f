"""The country report as a snapshot: a Report to JSON and back.

Only the counts are stored; shares, averages and target comparisons are derived again when the
snapshot is read (targets may change between refreshes).
"""

from collections import Counter
from decimal import Decimal

from assessments.models.criteria import SubjectKind
from learning_units.models import Area, AreaLevel

from .figures import Report, Row, YearFigures
from .models import ReportSnapshot
from .selectors import area_report, target_comparisons

ROW_FIELDS = (
    "registered",
    "population",
    "cadres",
    "cadres_in_units",
    "in_collectives",
    "digital_answers",
    "digital_basic",
    "digital_proficient",
)


def _figures_to_json(figures):
    return {
        "counts": dict(figures.counts),
        "bands": dict(figures.bands),
        "score_sum": str(figures.score_sum),
        "scored": figures.scored,
    }


def _figures_from_json(data):
    return YearFigures(
        counts=Counter(data["counts"]),
        bands=Counter(data["bands"]),
        score_sum=Decimal(data["score_sum"]),
        scored=data["scored"],
    )


def row_to_json(row):
    return {
        "path": row.path,
        "name": row.name,
        "area_id": row.area.pk if row.area is not None else None,
        "current": _figures_to_json(row.current),
        "previous": _figures_to_json(row.previous),
        **{name: getattr(row, name) for name in ROW_FIELDS},
    }


def row_from_json(data, areas):
    return Row(
        path=data["path"],
        name=data["name"],
        area=areas.get(data["area_id"]),
        current=_figures_from_json(data["current"]),
        previous=_figures_from_json(data["previous"]),
        **{name: data[name] for name in ROW_FIELDS},
    )


def report_to_json(report):
    return {
        "rows": [row_to_json(row) for row in report.rows],
        "total": row_to_json(report.total),
        "band_labels": report.band_labels,
    }


def report_for(area, *, year, target_group=None, subject_kind=SubjectKind.CITIZEN):
    """The report of an area: from its snapshot at the central level (the whole country would
    otherwise be scanned on every view), else live. Returns (report, refreshed_at or None)."""
    if area.level == AreaLevel.CENTRAL:
        snapshot = (
            ReportSnapshot.objects.filter(
                area=area, year=year, target_group=target_group, subject_kind=subject_kind
            )
            .select_related("area")
            .first()
        )
        if snapshot is not None:
            return report_from_snapshot(snapshot), snapshot.refreshed_at
    report = area_report(area, year=year, target_group=target_group, subject_kind=subject_kind)
    return report, None


def report_from_snapshot(snapshot):
    data = snapshot.data
    ids = [row["area_id"] for row in data["rows"] if row["area_id"]]
    areas = Area.objects.in_bulk(ids)
    total = row_from_json(data["total"], {snapshot.area_id: snapshot.area})
    return Report(
        area=snapshot.area,
        year=snapshot.year,
        target_group=snapshot.target_group,
        subject_kind=snapshot.subject_kind,
        rows=[row_from_json(row, areas) for row in data["rows"]],
        total=total,
        targets=target_comparisons(snapshot.area, snapshot.year, total),
        band_labels=data["band_labels"],
    )
