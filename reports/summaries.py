"""The kept summaries of the assessments (`AssessmentSummary`): how they are counted live, and
how a province or country report reads them.

One live count serves three purposes — the refresh of a commune after a transition
(`services.summaries_refresh`), the rebuild and the check (`manage.py
check_report_summaries`) — so the rows kept can only disagree with a recount when a write
bypassed the services. Reports of a commune or below still aggregate live (one commune at most).
"""

from collections import Counter, defaultdict
from decimal import Decimal

from django.apps import apps as global_apps
from django.db import router
from django.db.models import BooleanField, Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from assessments.models import AssessmentStatus
from assessments.models.criteria import SubjectKind
from learning_units import jurisdiction
from learning_units.models import AreaLevel

from .figures import NO_BAND
from .models import AssessmentSummary

ASSESSED = (AssessmentStatus.SUBMITTED, AssessmentStatus.VERIFIED, AssessmentStatus.RECOGNISED)
# What a summary row is kept per, besides its commune.
# `listing_opt_out`: the citizen's (False for a collective), so the public listings' totals are
# read here too (`listing_counts`).
KEY_FIELDS = (
    "year",
    "subject_kind",
    "target_group",
    "status",
    "revoked",
    "band",
    "listing_opt_out",
)
VALUE_FIELDS = (
    "assessments",
    "score_sum",
    "scored",
    "digital_answers",
    "digital_basic",
    "digital_proficient",
)
STATUS_COUNTS = {
    AssessmentStatus.DRAFT: "self_assessing",
    AssessmentStatus.RETURNED: "self_assessing",
    AssessmentStatus.SUBMITTED: "submitted",
    AssessmentStatus.VERIFIED: "verified",
    AssessmentStatus.RECOGNISED: "recognised",
    AssessmentStatus.REJECTED: "rejected",
}


def summary_path(path):
    """The path of the area a summary row of an assessment recorded at `path` is kept under:
    its commune, or the area itself when recorded above a commune."""
    ancestors = jurisdiction.ancestor_paths(path)
    return ancestors[AreaLevel.COMMUNE] if len(ancestors) > AreaLevel.COMMUNE else path


def summary_areas(area_ids, *, apps=global_apps):
    """{recording area id: (summary area id, province id or None, summary area path)} — one
    query: where each area lies is `jurisdiction.places_of`'s rule."""
    area_model = apps.get_model("learning_units", "Area")  # a data migration's, if given
    return {
        pk: (place.commune, place.province, summary_path(place.path))
        for pk, place in jurisdiction.places_of(area_ids, area_model=area_model).items()
    }


def _keys(prefix=""):
    """The summary keys as SQL expressions over assessments (or over `prefix`ed relations)."""
    status = f"{prefix}status"
    return {
        "area_key": F(f"{prefix}area_id"),
        "year_": F(f"{prefix}year"),
        "kind": Coalesce(f"{prefix}learning_unit__kind", Value(str(SubjectKind.CITIZEN))),
        "group": F(f"{prefix}target_group"),
        "status_": F(status),
        "is_revoked": Coalesce(
            f"{prefix}recognition__revoked", Value(False), output_field=BooleanField()
        ),
        "band_": Case(
            When(**{f"{status}__in": ASSESSED}, then=F(f"{prefix}band")), default=Value("")
        ),
        "opted_out": Coalesce(
            f"{prefix}citizen__listing_opt_out", Value(False), output_field=BooleanField()
        ),
    }


def live_counts(assessments, *, apps=global_apps):
    """The summary rows of `assessments` (a queryset), counted live: {(area id, province id,
    *KEY_FIELDS): {value field: value}}, with the areas folded to their communes. Three
    queries (assessments, digital answers, areas), whatever the number of rows. `apps`: the
    registry of a data migration, whose historical models are used."""
    answer_model = apps.get_model("assessments", "IndicatorAnswer")
    keys = _keys()
    assessed = Q(status__in=ASSESSED)
    score = Coalesce("verified_total", "self_total")
    counted = (
        assessments.annotate(**keys)
        .values(*keys)
        .annotate(
            assessments=Count("pk"),
            score_sum=Sum(score, filter=assessed),
            scored=Count(score, filter=assessed),
        )
        .order_by()
    )
    answer_keys = _keys("assessment__")
    points = Coalesce("verified_points", "self_points")
    digital = (
        answer_model.objects.filter(
            assessment__in=assessments.filter(assessed).values("pk"),
            indicator__is_digital_skill=True,
        )
        .annotate(**answer_keys, points=points)
        .values(*answer_keys)
        .annotate(
            digital_answers=Count("pk"),
            digital_basic=Count("pk", filter=Q(points__gt=0)),
            digital_proficient=Count("pk", filter=Q(points__gte=F("indicator__max_points"))),
        )
        .order_by()
    )
    records = [*counted, *digital]
    areas = summary_areas((record["area_key"] for record in records), apps=apps)
    rows = defaultdict(lambda: dict.fromkeys(VALUE_FIELDS, 0))
    for record in records:
        key = (
            *areas[record["area_key"]][:2],
            record["year_"],
            record["kind"],
            record["group"],
            record["status_"],
            record["is_revoked"],
            record["band_"],
            record["opted_out"],
        )
        values = rows[key]
        for name in VALUE_FIELDS:
            values[name] += record.get(name) or 0
    return dict(rows)


def kept_counts(summaries):
    """The same mapping as `live_counts`, read from summary rows (a queryset)."""
    return {
        (row.area_id, row.province_id, *(getattr(row, name) for name in KEY_FIELDS)): {
            name: getattr(row, name) for name in VALUE_FIELDS
        }
        for row in summaries
    }


def summary_objects(counts, *, apps=global_apps):
    """AssessmentSummary objects (unsaved) for a `live_counts` mapping."""
    summary_model = apps.get_model("reports", "AssessmentSummary")
    return [
        summary_model(
            area_id=area_id,
            province_id=province_id,
            **dict(zip(KEY_FIELDS, key, strict=True)),
            **values,
        )
        for (area_id, province_id, *key), values in counts.items()
    ]


# --- Reading them for a report ------------------------------------------------------------------


def read_by_summaries(area):
    """A province's or the country's report reads the summaries; below, it aggregates live."""
    return area.level in (AreaLevel.CENTRAL, AreaLevel.PROVINCE)


def _summary_rows(area, *, year, target_group, subject_kind):
    """The summary rows of the report's filters and the child they belong to (the province at
    the central level, else the commune, which `key_of` maps to its child)."""
    rows = AssessmentSummary.objects.filter(
        year__in=(year, year - 1), subject_kind=str(subject_kind)
    )
    if area.level == AreaLevel.PROVINCE:
        rows = rows.filter(province=area)
    if target_group:
        rows = rows.filter(target_group=target_group)
    return rows.order_by(), F("province_id" if area.level == AreaLevel.CENTRAL else "area_id")


def _sums(filters, names=("assessments",)):
    return {f"{name}_{key}": Sum(name, filter=q) for key, q in filters.items() for name in names}


STANDING = Q(revoked=False)
SCORED = Q(status__in=ASSESSED, revoked=False)
BY_STATUS = {status: Q(status=status) & STANDING for status in AssessmentStatus.values}


def add_summary_figures(area, row_for, key_of, band_labels, *, year, target_group, subject_kind):
    """Add the assessments' figures of the summaries to the report's rows (`row_for(key)`;
    `key_of` maps an area id — a province's, a commune's or the report area's — to its row key).

    The same figures as the live aggregation: `recognised` counts the titles that stand,
    `revoked` the others; bands and scores cover submitted, verified and standing titles;
    digital answers those of the report's year. One query, summed in SQL per child, year and
    band, so the summary rows are read once (a country's 300k at 5M assessments: a second
    read for the bands cost a third of the report) and the groups assembled in Python stay a
    few hundred for the country, about a thousand for a province.
    """
    rows, child = _summary_rows(
        area, year=year, target_group=target_group, subject_kind=subject_kind
    )
    digital = ("score_sum", "scored", "digital_answers", "digital_basic", "digital_proficient")
    groups = rows.values("year", "band", child=child).annotate(
        taking_part=Sum("assessments"),
        **_sums(BY_STATUS),
        **_sums({"revoked": Q(revoked=True)}),
        **_sums({"scored": SCORED}, digital),
        # Bands are those of submitted, verified and standing titles (a group of other
        # statuses only has the empty band and shows in no band's column).
        assessed_rows=Count("pk", filter=Q(status__in=ASSESSED)),
        **_sums({"standing": STANDING & Q(status__in=ASSESSED)}),
    )
    for record in groups:
        # At the central level the child is the province (none: recorded on the country).
        row = row_for(key_of(record["child"] or area.pk))
        figures = row.current if record["year"] == year else row.previous
        counts = Counter({"taking_part": record["taking_part"]})
        for status, key in STATUS_COUNTS.items():
            counts[key] += record[f"assessments_{status}"] or 0
        counts["revoked"] = record["assessments_revoked"] or 0
        figures.counts.update(counts)
        figures.score_sum += record["score_sum_scored"] or Decimal(0)
        figures.scored += record["scored_scored"] or 0
        if record["year"] == year:
            row.digital_answers += record["digital_answers_scored"] or 0
            row.digital_basic += record["digital_basic_scored"] or 0
            row.digital_proficient += record["digital_proficient_scored"] or 0
        if record["assessed_rows"]:
            band = record["band"] or NO_BAND
            band_labels.add(band)
            figures.bands[band] += record["assessments_standing"] or 0


def summary_differences(kept, live):
    """[(key, kept values or None, live values or None)] where two `live_counts`-shaped
    mappings disagree, in key order."""
    empty = dict.fromkeys(VALUE_FIELDS, 0)
    differences = []
    for key in sorted(set(kept) | set(live), key=repr):
        mine, theirs = kept.get(key), live.get(key)
        if {n: Decimal(v) for n, v in (mine or empty).items()} != {
            n: Decimal(v) for n, v in (theirs or empty).items()
        }:
            differences.append((key, mine, theirs))
    return differences


def recognition_years(area):
    """Years with a standing recognition in a commune, a province or the country, newest
    first, from the kept summaries (one indexed query); None below a commune, whose summaries
    are its commune's (registered in `apps.py` with `assessments.listing_figures`)."""
    rows = AssessmentSummary.objects.filter(
        status=AssessmentStatus.RECOGNISED, revoked=False, assessments__gt=0
    )
    if area.level == AreaLevel.PROVINCE:
        rows = rows.filter(province=area)
    elif area.level == AreaLevel.COMMUNE:
        rows = rows.filter(area=area)
    elif area.level != AreaLevel.CENTRAL:
        return None
    return list(rows.order_by("-year").values_list("year", flat=True).distinct())


def listing_counts(area, year):
    """How many citizens and collectives a commune's or province's public listing of `year`
    shows — standing titles, citizens who opted out left out — from the kept summaries (one
    indexed query instead of counting the recognitions); None for any other area (registered
    in `apps.py` with `assessments.listing_figures`)."""
    rows = AssessmentSummary.objects.filter(
        year=year, status=AssessmentStatus.RECOGNISED, revoked=False
    )
    if area.level == AreaLevel.PROVINCE:
        rows = rows.filter(province=area)
    elif area.level == AreaLevel.COMMUNE:
        rows = rows.filter(area=area)
    else:
        return None
    citizen = Q(subject_kind=SubjectKind.CITIZEN)
    totals = rows.aggregate(
        citizens=Sum("assessments", filter=citizen & Q(listing_opt_out=False)),
        collectives=Sum("assessments", filter=~citizen),
    )
    return {name: total or 0 for name, total in totals.items()}


def queue_status_counts(subtrees, *, year=None, target_group=None):
    """{status: n} of the assessments in `subtrees` ([(path, area id)]; None for the country)
    of `year` and `target_group` when given, summed from the kept summaries (a few hundred rows
    for a province, read by its index) instead of counting the assessments: the officers'
    queue (registered in `apps.py` with `assessments.queue_counts`). None when a subtree lies
    below a commune: its rows are counted in its commune's.

    Read where they are written (the primary), not on a report replica: an officer's action
    shows in the counts at once, and a stopped replica does not take the queue down."""
    rows = AssessmentSummary.objects.using(router.db_for_write(AssessmentSummary))
    if subtrees is not None:
        levels = {path: jurisdiction.path_level(path) for path, _pk in subtrees}
        if any(level > AreaLevel.COMMUNE for level in levels.values()):
            return None
        where = Q(pk__in=[])
        for path, pk in subtrees:
            where |= {
                # A country's rows: its provinces', and its own (recorded at the centre).
                AreaLevel.CENTRAL: Q(province__parent_id=pk) | Q(area_id=pk),
                AreaLevel.PROVINCE: Q(province_id=pk),
                AreaLevel.COMMUNE: Q(area_id=pk),
            }[levels[path]]
        rows = rows.filter(where)
    if year is not None:
        rows = rows.filter(year=year)
    if target_group is not None:
        rows = rows.filter(target_group=target_group)
    counts = dict.fromkeys(AssessmentStatus.values, 0)
    counts.update(rows.order_by().values_list("status").annotate(n=Sum("assessments")))
    return counts
