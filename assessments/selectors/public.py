"""Reads of the public recognition listings: who is listed in an area and year, by name, with
the public columns only, and the totals kept for them."""

from django.db.models import Q

from learning_units import jurisdiction
from learning_units.models import Area, AreaLevel
from learning_units.pagination import CAP
from learning_units.text import search_key

from .. import listing_figures
from ..models import Recognition, SubjectKind


def _public_recognitions(*, area, year):
    """The area's unrevoked recognitions of a year. A province or a commune is matched on the
    copied column (`Recognition.province` / `.commune`, kept by every write path as
    `Assessment.province` is for the queue) that the listing's indexes start with, so a page
    is read from them in its order (issue #22); a path filter beside it would have PostgreSQL
    drive the page from the area's path and sort the whole province again. A residential area
    is its commune's rows under its path (a few hundred rows)."""
    if area.level == AreaLevel.PROVINCE:
        place = Q(province=area.pk)
    elif area.level == AreaLevel.COMMUNE:
        place = Q(commune=area.pk)
    else:
        place = jurisdiction.under("assessment__area__path", area.path)
        if area.level == AreaLevel.RESIDENTIAL:
            place &= Q(commune=area.parent_id)
    return Recognition.objects.filter(place, year=year, revoked=False).select_related(
        "assessment__area", "assessment__campaign"
    )


def recognition_years(*, area):
    """Years with at least one public recognition in the area, newest first: from a registered
    reader of pre-aggregated figures where one answers (`listing_figures`), else counted live."""
    years = listing_figures.years(area)
    if years is not None:
        return years
    return list(
        Recognition.objects.filter(
            jurisdiction.under("assessment__area__path", area.path), revoked=False
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def public_recognition_counts(*, area, year):
    """How many citizens and collectives the listing of an area and year shows, from a
    registered reader of pre-aggregated figures (`listing_figures`): `{"citizens": n,
    "collectives": m}`, or None where none answers (the listing then counts, capped)."""
    return listing_figures.counts(area, year)


def listing_residential_areas(*, area):
    """Residential areas and agency branches under an area, for the listing's filter."""
    return Area.objects.filter(
        jurisdiction.under("path", area.path), level=AreaLevel.RESIDENTIAL, is_active=True
    ).order_by("search_name")


# The only columns a public listing reads: no citizen ID, no birth year, ever. The
# verification code links each name to its public verification page (the facts listed here).
PUBLIC_FIELDS = [
    "year",
    "verification_code",
    "assessment__area__name",
    "assessment__area__level",
    "assessment__campaign__subject_kind",
    "assessment__band",
]


def public_citizen_recognitions(*, area, year):
    """Citizens recognised in an area and year, by name (then pk); opted-out citizens left out
    (the citizen's own flag, read with the row: a few rows more walked per opt-out)."""
    return (
        _public_recognitions(area=area, year=year)
        .filter(subject_kind=SubjectKind.CITIZEN, assessment__citizen__listing_opt_out=False)
        .select_related("assessment__citizen")
        .only(*PUBLIC_FIELDS, "assessment__citizen__full_name")
        .order_by("listed_name", "pk")
    )


def public_collective_recognitions(*, area, year):
    """Learning families, clans, communities and units recognised in an area and year, by
    kind, then name, then pk. The collective kinds all sort after "citizen" (a test holds them
    to it): "after citizen" is one range of the listing's index, read in its order. No filter
    on the unit itself: "the assessments of a unit" gave PostgreSQL a second way in, which it
    took, scanning the whole country's collective assessments."""
    return (
        _public_recognitions(area=area, year=year)
        .filter(subject_kind__gt=SubjectKind.CITIZEN)
        .select_related("assessment__learning_unit")
        .only(*PUBLIC_FIELDS, "assessment__learning_unit__name")
        .order_by("subject_kind", "listed_name", "pk")
    )


# A name search finds the matches of both tabs in one read of the name's index, up to this many
# (each tab's pages stop at the paginator's CAP); with more, each tab filters on the name.
FOUND_IDS = 2 * (CAP + 1)


def public_recognition_search(*, area, year, query=""):
    """(citizens, collectives) of the listing, as `public_citizen_recognitions` and
    `public_collective_recognitions` give them, matching `query` when one is given (the
    listing's only name search). The
    recognitions whose name matches are read once for both tabs (one pass over the trigram
    index on PostgreSQL), and each tab's count and page are then read by id: filtering each
    on the name cost four passes, about 25 ms each at a province's 270k recognitions."""
    citizens = public_citizen_recognitions(area=area, year=year)
    collectives = public_collective_recognitions(area=area, year=year)
    key = search_key(query)
    if not key:
        return citizens, collectives
    found = list(
        _public_recognitions(area=area, year=year)
        .filter(listed_name__contains=key)
        .order_by()
        .values_list("pk", flat=True)[: FOUND_IDS + 1]
    )
    match = Q(listed_name__contains=key) if len(found) > FOUND_IDS else Q(pk__in=found)
    return citizens.filter(match), collectives.filter(match)
