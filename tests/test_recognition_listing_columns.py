"""The public listing's copied columns on `Recognition` (issue #22: `province`, `commune`,
`subject_kind`, `listed_name`, `assessments/models/listing.py`): equal to what the assessment,
its area and its subject say after every write path, and the listing read from them showing
the same rows, in the same order, as one read from the truth."""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Site

from assessments import selectors
from assessments.models import (
    Assessment,
    AssessmentStatus,
    Recognition,
    RecognitionListingPage,
    SubjectKind,
)
from assessments.services.recognition import recognition_issue, recognition_revoke
from learning_units.data_protection import citizen_anonymise
from learning_units.models import Area, LearningUnit
from learning_units.text import search_key
from tests.factories.people import (
    CitizenFactory,
    CommuneFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
)
from tests.factories.review import (
    YEAR,
    bulk_assessments,
    make_assessment,
    make_unit_assessment,
    review_world,
)
from tests.test_imports import CITIZEN_HEADERS, UNIT_HEADERS, citizen_row, run, write_xlsx

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def world(db):
    return review_world()


def assert_columns_true():
    assert Recognition.objects.all().stale_listing_columns() == []
    for recognition in Recognition.objects.select_related(
        "assessment__area", "assessment__citizen", "assessment__learning_unit"
    ):
        assessment = recognition.assessment
        area = assessment.area
        commune = area.pk if area.level == 2 else area.parent_id
        assert recognition.province_id == assessment.province_id
        assert recognition.commune_id == commune
        assert recognition.listed_name == assessment.subject.search_name


def recognised(world, count=3, **values):
    bulk_assessments(world, count, status=S.RECOGNISED, **values)


def test_recognitions_written_in_bulk_or_one_by_one_carry_their_listing_columns(world):
    recognised(world, 3)
    make_assessment(world, status=S.RECOGNISED, area=world.commune)
    unit = make_unit_assessment(world, status=S.RECOGNISED, kind="clan")

    assert_columns_true()
    assert Recognition.objects.get(assessment=unit).subject_kind == "clan"
    assert set(Recognition.objects.values_list("province", flat=True)) == {world.commune.parent_id}


def test_the_recognition_service_fills_the_listing_columns(world):
    assessment = make_assessment(world, status=S.VERIFIED, full_name="Đỗ Thị Ngân")

    recognition_issue(
        assessments=Assessment.objects.filter(pk=assessment.pk),
        officer=world.officers["commune"],
        number="7/QĐ",
        decided_on=assessment.created_at.date(),
        signer="Chủ tịch",
        issuing_area=world.commune,
    )

    recognition = Recognition.objects.get(assessment=assessment)
    assert (recognition.subject_kind, recognition.listed_name) == ("citizen", "do thi ngan")
    assert_columns_true()


def test_a_renamed_citizen_or_unit_is_listed_under_the_new_name(world):
    citizen_assessment = make_assessment(world, status=S.RECOGNISED, full_name="Lê Văn Tám")
    unit_assessment = make_unit_assessment(world, status=S.RECOGNISED, name="Gia đình ông Tám")

    citizen = citizen_assessment.citizen
    citizen.full_name = "Lê Văn Tám Mới"
    citizen.save(update_fields=["full_name", "search_name"])
    unit = LearningUnit.objects.get(pk=unit_assessment.learning_unit_id)
    unit.name = "Gia đình bà Năm"
    unit.save()

    assert_columns_true()
    _citizens, listed = selectors.public_recognition_search(
        area=world.commune, year=YEAR, query="nam"
    )
    assert [row.assessment.learning_unit.name for row in listed] == ["Gia đình bà Năm"]


def test_an_erased_citizen_is_neither_listed_nor_kept_under_their_name(world):
    assessment = make_assessment(world, status=S.RECOGNISED, full_name="Vũ Thị Xoan")

    citizen_anonymise(citizen=assessment.citizen, officer=world.officers["commune"])

    assert_columns_true()
    assert not Recognition.objects.filter(listed_name__contains="xoan").exists()
    assert not selectors.public_citizen_recognitions(area=world.commune, year=YEAR).exists()


def test_the_citizens_import_renames_listed_citizens(world, tmp_path):
    known = CitizenFactory(area=world.branch_area, full_name="Nguyen Van Cu", gender="male")
    make_assessment(world, status=S.RECOGNISED, citizen=known)
    row = citizen_row(
        known.citizen_id, "Hoàng Văn Cũ", "Nam", known.birth_year, area=world.branch_area.code
    )
    path = write_xlsx(tmp_path / "citizens.xlsx", CITIZEN_HEADERS, [row])

    with translation.override("en"):
        report = run(path, world.officers["commune"])

    assert report.applied and report.updated == 1
    assert Recognition.objects.get().listed_name == "hoang van cu"
    assert_columns_true()


def test_the_units_import_renames_listed_units(world, tmp_path):
    assessment = make_unit_assessment(world, status=S.RECOGNISED, name="Gia đình ông Cũ")
    LearningUnit.objects.filter(pk=assessment.learning_unit_id).update(code="GD-01")
    row = ["Gia đình", "Gia đình ông Mới", "GD-01", world.branch_area.code, "", ""]
    path = write_xlsx(tmp_path / "units.xlsx", UNIT_HEADERS, [row])

    with translation.override("en"):
        report = run(path, world.officers["commune"], kind="units")

    assert report.applied and report.updated == 1
    assert Recognition.objects.get().listed_name == search_key("Gia đình ông Mới")
    assert_columns_true()


def test_moved_areas_move_their_listed_recognitions(world):
    recognised(world, 2)
    recognised(world, 1, area=world.other_branch_area)
    new_province, new_commune = ProvinceFactory(), CommuneFactory()

    branch = Area.objects.get(pk=world.branch_area.pk)  # as loaded: `Area.save` tells a move
    branch.parent = new_commune
    branch.save()
    assert_columns_true()
    assert Recognition.objects.filter(commune=new_commune).count() == 2

    commune = Area.objects.get(pk=world.commune.pk)
    commune.parent = new_province
    commune.save()
    assert_columns_true()
    assert Recognition.objects.filter(province=new_province).count() == 1


def test_an_assessment_given_another_area_takes_its_recognition_along(world):
    recognised(world, 3)
    elsewhere = ResidentialAreaFactory(parent=CommuneFactory())

    assessment = Assessment.objects.first()
    assessment.area = elsewhere
    assessment.save(update_fields=["area"])
    assert_columns_true()

    Assessment.objects.filter(area=world.branch_area).update(area=elsewhere)
    assert_columns_true()

    rows = list(Assessment.objects.all())
    for row in rows:
        row.area_id = world.other_branch_area.pk
    Assessment.objects.bulk_update(rows, ["area"])
    assert_columns_true()


def test_the_migration_fills_every_recognition(world):
    recognised(world, 2)
    make_unit_assessment(world, status=S.RECOGNISED)
    Recognition.objects.update(province=None, commune=None, subject_kind="", listed_name="")
    migration = importlib.import_module("assessments.migrations.0012_recognition_listing_columns")

    migration.fill_listing_columns(django_apps, None)

    assert_columns_true()


def test_every_collective_kind_sorts_after_citizen():
    """The collectives' tab is one range of the listing's index ("after citizen")."""
    assert all(kind > SubjectKind.CITIZEN for kind in SubjectKind.values if kind != "citizen")


def truth_order(area, year):
    """The listing as read before the copies: by the citizen's own folded name, then pk."""
    return list(
        Recognition.objects.filter(
            assessment__area__path__startswith=area.path,
            year=year,
            revoked=False,
            assessment__citizen__listing_opt_out=False,
            assessment__citizen__isnull=False,
        )
        .order_by("assessment__citizen__search_name", "pk")
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize("level", ["province", "commune", "residential"])
def test_the_listing_shows_the_same_rows_in_the_same_order_as_the_truth(world, level):
    names = ["Đặng Văn Ánh", "Dương Thị An", "Nguyễn Văn An", "Ngô Thị Ân", "Nguyễn Văn An"]
    recognised(world, 10, names=names)
    recognised(world, 4, names=names, area=world.other_branch_area)
    recognised(world, 3, area=ResidentialAreaFactory(parent=CommuneFactory()))
    area = {
        "province": world.commune.parent,
        "commune": world.commune,
        "residential": world.branch_area,
    }[level]

    listed = selectors.public_citizen_recognitions(area=area, year=YEAR)

    assert [row.pk for row in listed] == truth_order(area, YEAR)
    assert len(listed) == {"province": 14, "commune": 14, "residential": 10}[level]


def test_opted_out_revoked_and_other_provinces_rows_are_never_listed(world):
    recognised(world, 3, names=["Phan Văn Mới"])
    hidden, revoked, moved = Recognition.objects.order_by("pk")[:3]
    # The opt-out is read from the citizen and `revoked` from the row itself: never copied.
    Recognition.objects.filter(pk=hidden.pk).update(listed_name="phan van moi")
    hidden.assessment.citizen.listing_opt_out = True
    hidden.assessment.citizen.save(update_fields=["listing_opt_out"])
    recognition_revoke(recognition=revoked, officer=world.officers["commune"], reason="Sai")
    Assessment.objects.filter(pk=moved.assessment_id).update(
        area=ResidentialAreaFactory(parent=CommuneFactory())
    )
    bulk_assessments(
        world, 2, status=S.RECOGNISED, area=ResidentialAreaFactory(parent=CommuneFactory())
    )

    for area in (world.commune.parent, world.commune, world.branch_area):
        for query in ("", "phan"):
            listed, _collectives = selectors.public_recognition_search(
                area=area, year=YEAR, query=query
            )
            assert list(listed) == [], (area, query)


@pytest.fixture
def page(world):
    root = Site.objects.get(is_default_site=True).root_page
    page = RecognitionListingPage(title="Danh sách tỉnh", slug="tinh", area=world.commune.parent)
    root.add_child(instance=page)
    page.save_revision().publish()
    return page


def queries_of(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_a_deep_page_makes_as_many_queries_as_the_first(client, world, page):
    recognised(world, 160)
    make_unit_assessment(world, status=S.RECOGNISED)
    url = f"{page.url}{YEAR}/"

    first = queries_of(client, url, {})
    assert queries_of(client, url, {"page": "4"}) == first
    assert queries_of(client, url, {"page": "3", "page_tt": "1", "q": "an"}) == queries_of(
        client, url, {"q": "an"}
    )


@pytest.mark.parametrize(
    "params",
    [
        {"page": "\x00"},
        {"page": "9" * 30},
        {"page": "-" + "9" * 30},
        {"page_tt": "1e400"},
        {"q": "an\x00"},
        {"q": "9" * 30, "page": "2"},
        {"q": "\x00" * 5, "area": "9" * 30},
        {"area": "\x00"},
    ],
)
def test_hostile_page_and_search_values_never_break_the_listing(client, world, page, params):
    recognised(world, 3)

    response = client.get(f"{page.url}{YEAR}/", params)

    assert response.status_code < 500


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize("level", ["province", "commune"])
@pytest.mark.parametrize("tab", ["citizens", "collectives"])
def test_an_index_serves_every_page_in_the_listings_order(world, level, tab):
    """With sorting priced out, the deepest reachable page is planned from the listing's index,
    which gives its rows in order (no Sort node); the figures at scale: bench/goals.py."""
    recognised(world, 5)
    make_unit_assessment(world, status=S.RECOGNISED)
    area = world.commune.parent if level == "province" else world.commune
    read = {
        "citizens": selectors.public_citizen_recognitions,
        "collectives": selectors.public_collective_recognitions,
    }[tab]
    sql, params = read(area=area, year=YEAR)[950:1000].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert f"recognition_{level}_listing" in plan, plan
    assert "Sort" not in plan, plan


def test_check_listing_columns_finds_and_fixes_a_raw_write(world):
    recognised(world, 2)
    Recognition.objects.filter(pk=Recognition.objects.first().pk).update(listed_name="x")
    with pytest.raises(CommandError, match="1 recognitions"):
        call_command("check_listing_columns", stdout=io.StringIO())

    call_command("check_listing_columns", "--fix", stdout=io.StringIO())

    assert_columns_true()
