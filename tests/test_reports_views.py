"""Officer report views: jurisdiction, drill-down, filters, exports, admin panel, public stats."""

import io
import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import AssessmentStatus
from reports.services import summaries_rebuild, targets_load_defaults
from tests.browser.conftest import OUTPUT_ROOT
from tests.factories import CommuneFactory, UserFactory
from tests.factories.review import YEAR, make_assessment, review_world
from tests.refusals import assert_refused_to_admin_home

pytestmark = pytest.mark.django_db
S = AssessmentStatus


@pytest.fixture
def world():
    world = review_world()
    world.commune.name = "Xã Gia Lộc"
    world.commune.save()
    world.commune.parent.name = "Thành phố Hải Phòng"
    world.commune.parent.save()
    targets_load_defaults()
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for user in world.officers.values():
        user.user_permissions.add(access)
    for status in (S.RECOGNISED, S.RECOGNISED, S.SUBMITTED, S.DRAFT):
        make_assessment(world, status=status)
    make_assessment(world, status=S.VERIFIED, area=world.other_branch_area)
    summaries_rebuild()  # made straight in the tables, past the services that keep them
    return world


def report_url(area, name="reports:area", **query):
    url = reverse(name, args=[area.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_province_officer_sees_the_province_and_drills_down(client, world):
    client.force_login(world.officers["province"])
    response = client.get(reverse("reports:index") + f"?year={YEAR}")
    assert response.status_code == 200
    assert response.context["report"].area == world.commune.parent
    drill = report_url(world.commune) + f"?year={YEAR}"
    assert drill in response.content.decode()
    response = client.get(drill)
    assert response.status_code == 200
    total = response.context["report"].total.current.counts
    assert total["taking_part"] == 5 and total["recognised"] == 2


def test_areas_outside_the_jurisdiction_are_404(client, world):
    client.force_login(world.officers["commune"])
    other = CommuneFactory()
    assert client.get(report_url(other)).status_code == 404
    assert client.get(report_url(world.commune.parent)).status_code == 404
    assert client.get(report_url(other, "reports:xlsx")).status_code == 404
    assert client.get(report_url(other, "reports:pdf")).status_code == 404
    assert client.get(report_url(world.branch_area)).status_code == 200


def test_editors_without_an_officer_role_see_nothing(client, world):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(editor)
    assert client.get(reverse("reports:index")).status_code == 404
    assert client.get(report_url(world.commune)).status_code == 404
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "cdht-report-panel" not in home
    assert reverse("reports:index") not in home


def test_the_admin_home_shows_the_officers_panel(client, world):
    client.force_login(world.officers["province"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "cdht-report-panel" in home
    assert "Thành phố Hải Phòng" in home


def test_the_report_counts_only_the_chosen_target_group_and_year(client, world):
    client.force_login(world.officers["province"])
    response = client.get(report_url(world.commune, year=YEAR, target_group=2))
    assert response.context["report"].total.current.counts["taking_part"] == 0
    response = client.get(report_url(world.commune, year=YEAR - 1))
    assert response.context["report"].total.previous.counts["taking_part"] == 0


def test_the_report_view_runs_a_constant_number_of_queries(client, world):
    client.force_login(world.officers["province"])
    url = report_url(world.commune.parent, year=YEAR)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(5):
        make_assessment(world, status=S.RECOGNISED, area=world.other_branch_area)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(before) == len(after)


def test_the_xlsx_holds_the_figures_of_the_screen(client, world):
    client.force_login(world.officers["province"])
    screen = client.get(report_url(world.commune, year=YEAR))
    from reports import table

    report = screen.context["report"]
    expected = [table.cells(report, row) for row in report.rows]
    response = client.get(report_url(world.commune, "reports:xlsx", year=YEAR))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = [row[1] for row in values[1:6]]
    assert header[0] == "Xã Gia Lộc" and header[1] == YEAR
    start = next(i for i, row in enumerate(values) if row[0] == expected[0][0])
    for offset, cells in enumerate(expected):
        got = values[start + offset][: len(cells)]
        assert [_number(v) for v in got] == [_number(v) for v in cells]


def test_export_file_names_keep_the_area_name_in_ascii(client, world):
    world.commune.name = "Phường Đà Nẵng"
    world.commune.save()
    client.force_login(world.officers["province"])
    for kind in ("xlsx", "pdf"):
        response = client.get(report_url(world.commune, f"reports:{kind}", year=YEAR))
        assert response.status_code == 200
        assert f'filename="bao-cao-phuong-da-nang-{YEAR}.{kind}"' in response["Content-Disposition"]


def _number(value):
    if isinstance(value, Decimal | float):
        return round(float(value), 1)
    return value


def test_the_pdf_summary_prints_vietnamese_names_and_figures(client, world):
    client.force_login(world.officers["province"])
    response = client.get(report_url(world.commune.parent, "reports:pdf", year=YEAR))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Thành phố Hải Phòng" in text
    assert "Xã Gia Lộc" in text
    assert "40,0" in text  # recognition rate of the commune: 2 of 5
    artifact = OUTPUT_ROOT / "test_the_pdf_summary_prints_vietnamese_names_and_figures"
    artifact.mkdir(parents=True, exist_ok=True)
    (artifact / "summary.pdf").write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
         str(artifact / "summary.pdf"), str(artifact / "page1")],
        check=True,
    )  # fmt: skip


def test_public_stats_are_aggregates_and_cached(world):
    from django.template import Context, Template

    cache.clear()
    template = Template("{% load reports_tags %}{% public_stats area year %}")
    html = template.render(Context({"area": world.commune, "year": YEAR}))
    assert "public-stats" in html
    assert "Nguyễn" not in html  # no names, only counts
    make_assessment(world, status=S.RECOGNISED)
    with CaptureQueriesContext(connection) as queries:
        again = template.render(Context({"area": world.commune, "year": YEAR}))
    assert len(queries) == 0 and again == html


def test_superusers_edit_targets_and_officers_cannot(client, world):
    client.force_login(world.officers["province"])
    assert_refused_to_admin_home(client.get(reverse("report_targets:index")))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("report_targets:index")).status_code == 200
    assert client.get(reverse("area_populations:add")).status_code == 200


def test_generate_load_data_refuses_without_debug(db, settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_load_data", "--citizens", "10")
