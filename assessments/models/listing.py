"""The columns a public recognition listing is read by (issue #22), copied onto `Recognition`.

A province's listing is ordered by the listed name, which lives two joins away (recognition →
assessment → citizen or unit): no index can serve that order, so every deep page sorted the
whole province (338 ms at 55k recognitions). Each recognition therefore keeps where it is listed
(`province`, `commune`), under which tab and group (`subject_kind`) and under which name
(`listed_name`, the subject's accent-folded `search_name`), and the partial indexes
`recognition_province_listing` / `recognition_commune_listing` (place, year, subject_kind,
listed_name, id) WHERE NOT revoked serve every reachable page in the listing's order.

They are copies, and the listing trusts the place (as the queue trusts `Assessment.province`:
a path filter beside it had PostgreSQL drive the page from the area and sort the province
again); the citizen's opt-out and the row's own `revoked` are read from the truth, so a stale
copy can misplace a row but never list an opted-out citizen or a revoked title.
`manage.py check_listing_columns --fix` repairs what raw SQL or fixtures left stale.
Who keeps them:
`Recognition.save` and `RecognitionQuerySet.bulk_create` (the recognition service, the load
generator), the assessment's area writes (`Assessment.save`, `AssessmentQuerySet`), and
`assessments.signal_handlers` for renames (a citizen's or unit's save, the imports'
`names_changed`) and area moves (`areas_moved`); `RecognitionQuerySet.stale_listing_columns`
is the check.
"""

from django.apps import apps
from django.db import models
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from learning_units.jurisdiction import commune_id_sql

from .criteria import SubjectKind

PLACE_FIELDS = ("province", "commune")
NAME_FIELDS = ("listed_name",)
FIELDS = (*PLACE_FIELDS, "subject_kind", *NAME_FIELDS)

# The tab and group it is listed in: "citizen" for a citizen, else its campaign's collective kind
# (a unit in a citizens' campaign, which only set-ups write, by the unit's own kind).
SUBJECT_KIND = Case(
    When(citizen__isnull=False, then=Value(SubjectKind.CITIZEN)),
    When(campaign__subject_kind=SubjectKind.CITIZEN, then=F("learning_unit__kind")),
    default=F("campaign__subject_kind"),
    output_field=models.CharField(),
)
# What each column is on the assessment it copies.
SOURCES = {
    "province": F("province_id"),
    "commune": commune_id_sql("area"),
    "subject_kind": SUBJECT_KIND,
    "listed_name": Coalesce(F("citizen__search_name"), F("learning_unit__search_name"), Value("")),
}


def _assessments():
    return apps.get_model("assessments", "Assessment").objects


def _truth(assessment_ref, field):
    row = _assessments().filter(pk=assessment_ref).annotate(value=SOURCES[field])
    return Subquery(row.values("value")[:1])


def with_listing_columns(recognitions):
    """Fills the listing columns of unsaved recognitions from their assessments (one query
    for them all); for writers that insert past `save` (`bulk_create`, the load generator's
    COPY)."""
    recognitions = list(recognitions)
    rows = (
        _assessments()
        .filter(pk__in={recognition.assessment_id for recognition in recognitions})
        .annotate(**{f"listing_{field}": SOURCES[field] for field in FIELDS})
        .values_list("pk", *(f"listing_{field}" for field in FIELDS))
    )
    values = {pk: rest for pk, *rest in rows}
    for recognition in recognitions:
        province, commune, kind, name = values[recognition.assessment_id]
        recognition.province_id, recognition.commune_id = province, commune
        recognition.subject_kind, recognition.listed_name = kind, name or ""
    return recognitions


def _column(field):
    return f"{field}_id" if field in PLACE_FIELDS else field


class RecognitionQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        return super().bulk_create(with_listing_columns(objs), *args, **kwargs)

    def listing_columns_refresh(self, fields=FIELDS):
        """Copies `fields` again from each recognition's assessment, in one UPDATE; returns
        how many rows were written. Callers narrow the queryset to the rows a write touched."""
        return self.update(
            **{_column(field): _truth(OuterRef("assessment_id"), field) for field in fields}
        )

    def stale_listing_columns(self):
        """Ids of the recognitions whose listing columns differ from their assessment's (a
        raw write, a fixture): none when every write path kept them."""
        rows = self.annotate(
            **{f"truth_{field}": _truth(OuterRef("assessment_id"), field) for field in FIELDS}
        ).values("pk", *map(_column, FIELDS), *(f"truth_{field}" for field in FIELDS))
        return [
            row["pk"]
            for row in rows.iterator(chunk_size=2_000)
            if any(
                row[_column(field)] != (row[f"truth_{field}"] or EMPTY.get(field))
                for field in FIELDS
            )
        ]


EMPTY = {"listed_name": "", "subject_kind": ""}  # the text columns are never NULL
