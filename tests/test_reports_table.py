"""The figures table as an officer moves through it: empty areas hidden, a name filter,
sorting by any column, a column chooser; the PDF summary without empty rows."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import AssessmentStatus
from reports.listing import sort_links, table_view
from tests.factories import CommuneFactory
from tests.factories.review import YEAR, make_assessment, review_world

S = AssessmentStatus


def row(name, *values):
    return {"cells": [name, *values]}


def names(view):
    return [r["cells"][0] for r in view.rows]


# --- The rules, without a database ---


def test_rows_without_any_figure_are_hidden_unless_asked_for():
    rows = [row("Thôn A", 3, 1), row("Thôn B", 0, None), row("Thôn C", 0, 2)]

    assert names(table_view(rows)) == ["Thôn A", "Thôn C"]
    assert table_view(rows).hidden_empty == 1
    assert names(table_view(rows, show_empty=True)) == ["Thôn A", "Thôn B", "Thôn C"]


def test_the_name_filter_ignores_accents_and_case():
    rows = [row("Xã Gia Lộc", 1), row("Phường Đà Nẵng", 1), row("Xã Gia Lương", 1)]

    view = table_view(rows, query="gia loc")

    assert names(view) == ["Xã Gia Lộc"] and view.filtered_out == 2
    assert names(table_view(rows, query="da nang")) == ["Phường Đà Nẵng"]


def test_sorting_by_a_figure_puts_unknown_values_last_both_ways():
    rows = [row("A", Decimal("40.0")), row("B", None), row("C", Decimal("75.5")), row("D", 3)]

    assert names(table_view(rows, sort=-2, show_empty=True)) == ["C", "A", "D", "B"]
    assert names(table_view(rows, sort=2, show_empty=True)) == ["D", "A", "C", "B"]


def test_sorting_by_name_follows_the_letters_not_the_accents():
    rows = [row("Xã Đông", 1), row("Xã Ân Thi", 1), row("Xã Bình", 1)]

    assert names(table_view(rows, sort=1)) == ["Xã Ân Thi", "Xã Bình", "Xã Đông"]


def test_a_header_link_reverses_the_sorted_column_and_starts_figures_from_the_largest():
    links = sort_links(3, sort=-2)

    assert links[1] == (2, "descending")
    assert links[0] == (1, "none") and links[2] == (-3, "none")
    assert sort_links(3, sort=2)[1] == (-2, "ascending")


# --- The report page ---


@pytest.fixture
def world(db):
    world = review_world()
    access = Permission.objects.get(codename="access_admin")
    for user in world.officers.values():
        user.user_permissions.add(access)
    make_assessment(world, status=S.RECOGNISED)
    make_assessment(world, status=S.SUBMITTED, area=world.other_branch_area)
    return world


def report(client, world, area=None, **params):
    client.force_login(world.officers["province"])
    url = reverse("reports:area", args=[(area or world.commune).pk])
    response = client.get(url, {"year": YEAR, **params})
    assert response.status_code == 200
    return response


def shown_names(response):
    return [str(r["cells"][0]) for r in response.context["rows"]]


def test_the_commune_report_hides_the_branch_without_figures(client, world):
    hidden = report(client, world)
    shown = report(client, world, empty="on")

    assert world.agency.name not in shown_names(hidden)
    assert hidden.context["hidden_empty"] == 1
    assert world.agency.name in shown_names(shown)
    assert "empty=on" in hidden.context["show_empty_url"]


def test_the_report_filters_areas_by_name(client, world):
    response = report(client, world, q="phuong diem")

    assert shown_names(response) == [world.branch_area.name]


def test_the_report_sorts_by_any_column_from_its_header(client, world):
    response = report(client, world, sort="-4")  # "registered", largest first

    headers = response.context["columns"]
    assert headers[3]["aria_sort"] == "descending"
    assert "sort=4" in headers[3]["url"]
    html = response.content.decode()
    assert 'aria-sort="descending"' in html


def test_the_column_chooser_keeps_the_name_and_the_chosen_columns(client, world):
    response = report(client, world, cols=["3", "4"])

    assert len(response.context["columns"]) == 3
    assert all(len(r["cells"]) == 3 for r in response.context["rows"])
    assert len(response.context["total"]) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "abc"},
        {"sort": "999"},
        {"sort": "-0"},
        {"sort": "1e9"},
        {"cols": ["x", "-1", "999"]},
        {"q": "%" * 500},
        {"empty": "maybe"},
    ],
)
def test_malformed_table_options_are_ignored(client, world, params):
    response = report(client, world, **params)

    assert response.context["rows"]


def test_table_options_do_not_open_an_area_outside_the_jurisdiction(client, world):
    client.force_login(world.officers["branch"])
    url = reverse("reports:area", args=[world.commune.parent.pk])

    assert client.get(url, {"sort": "2", "empty": "on", "q": "x"}).status_code == 404


def test_the_pdf_summary_leaves_out_areas_without_figures(client, world):
    CommuneFactory(parent=world.commune.parent, name="Xã Trống Không")
    client.force_login(world.officers["province"])

    response = client.get(reverse("reports:pdf", args=[world.commune.parent.pk]), {"year": YEAR})

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert world.commune.name.split()[-1] in text
    assert "Trống Không" not in text
