"""Prepared reads (learning_units/prepared.py): compiled once, results equal to the queryset's."""

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from learning_units.models import Area, Citizen
from learning_units.prepared import attach_prefetched, prepared, update_rows
from tests.factories import CitizenFactory, CommuneFactory, ResidentialAreaFactory

pytestmark = pytest.mark.django_db


@prepared
def citizens_of(*, area_id):
    return Citizen.objects.filter(area_id=area_id).select_related("area__parent").order_by("pk")


@prepared
def names_in(*, area_ids):
    return Citizen.objects.filter(area_id__in=area_ids).values_list("pk", "full_name")


def fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def areas():
    commune = CommuneFactory()
    first, second = ResidentialAreaFactory(parent=commune), ResidentialAreaFactory(parent=commune)
    for area, count in ((first, 3), (second, 2)):
        CitizenFactory.create_batch(count, area=area)
    return first, second


def test_results_equal_the_querysets_whatever_the_values(areas):
    for area in areas:
        expected = list(
            Citizen.objects.filter(area_id=area.pk).select_related("area__parent").order_by("pk")
        )
        got = citizens_of(area_id=area.pk)
        assert [fields(c) for c in got] == [fields(c) for c in expected]
        with CaptureQueriesContext(connection) as queries:
            assert [c.area.parent.name for c in got] == [c.area.parent.name for c in expected]
        assert len(queries) == 0  # select_related objects came with the row
    assert citizens_of(area_id=0) == []


def test_list_arguments_of_any_length_and_value_tuples(areas):
    first, second = areas
    for ids in ([first.pk], [first.pk, second.pk], [second.pk, first.pk, 0]):
        expected = set(Citizen.objects.filter(area_id__in=ids).values_list("pk", "full_name"))
        assert set(names_in(area_ids=ids)) == expected


def test_compiled_once_then_only_executed(areas):
    citizens_of(area_id=areas[0].pk)
    with (
        mock.patch.object(SQLCompiler, "as_sql", autospec=True) as as_sql,
        CaptureQueriesContext(connection) as queries,
    ):
        citizens_of(area_id=areas[1].pk)
    assert as_sql.call_count == 0
    assert len(queries) == 1


def test_a_build_that_breaks_the_contract_is_refused():
    @prepared
    def ignores_its_argument(*, area_id):
        return Citizen.objects.all()

    @prepared
    def prefetches(*, area_id):
        return Area.objects.filter(pk=area_id).prefetch_related("citizens")

    with pytest.raises(ImproperlyConfigured, match="area_id"):
        ignores_its_argument(area_id=1)
    with pytest.raises(ImproperlyConfigured, match="prefetch"):
        prefetches(area_id=1)


def test_attach_prefetched_serves_all_without_a_query(areas):
    first, second = areas
    area_list = [Area.objects.get(pk=first.pk), Area.objects.get(pk=second.pk)]
    citizens = list(Citizen.objects.filter(area__in=area_list).order_by("-pk"))
    attach_prefetched(area_list, "citizens", citizens, key=lambda c: c.area_id)
    with CaptureQueriesContext(connection) as queries:
        for area in area_list:
            assert list(area.citizens.all()) == [c for c in citizens if c.area_id == area.pk]
    assert len(queries) == 0


def test_update_rows_writes_each_objects_fields(areas):
    from assessments.models import IndicatorAnswer
    from tests.factories.review import make_assessment, review_world

    assessment = make_assessment(review_world())
    answers = list(IndicatorAnswer.objects.filter(assessment=assessment).order_by("pk"))
    for number, answer in enumerate(answers):
        answer.self_points, answer.note = Decimal(number) + Decimal("0.5"), f"ghi chú “{number}”"
    with CaptureQueriesContext(connection) as queries:
        update_rows(answers, ["self_points", "note"])
    assert len(queries) == 1 or connection.vendor == "postgresql"
    for number, answer in enumerate(answers):
        answer.refresh_from_db()
        assert (answer.self_points, answer.note) == (
            Decimal(number) + Decimal("0.5"),
            f"ghi chú “{number}”",
        )


def test_a_filter_on_attached_results_stays_within_the_instance(areas):
    first, second = areas
    area = Area.objects.get(pk=first.pk)
    attach_prefetched([area], "citizens", list(first.citizens.all()), key=lambda c: c.area_id)
    assert set(area.citizens.filter(full_name__isnull=False)) == set(first.citizens.all())
