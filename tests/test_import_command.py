"""`import_data`: the same checks as the admin screens, from the command line."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from learning_units.imports.resources import CitizenResource
from learning_units.models import Citizen
from tests.factories import (
    CommuneFactory,
    OfficerRoleFactory,
    ResidentialAreaFactory,
    make_citizen_id,
)

HEADERS = CitizenResource.headers()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def hamlets(db):
    home = ResidentialAreaFactory(code="10999-T01", parent=CommuneFactory(code="10999"))
    away = ResidentialAreaFactory(code="10813-T01", parent=CommuneFactory(code="10813"))
    return home, away


def citizens_file(path, areas):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for area in areas:
        sheet.append(
            [
                make_citizen_id(1990, "male"),
                "Lê Văn Cường",
                "Nam",
                1990,
                "",
                "",
                area,
                2,
                "",
                "",
                "",
            ]
        )
    workbook.save(path)
    return str(path)


def import_data(*args):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_data", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_command_imports_a_valid_file_and_reports_progress(hamlets, tmp_path):
    path = citizens_file(tmp_path / "c.xlsx", ["10999-T01", "10813-T01"])

    stdout, stderr = import_data("citizens", path)

    assert "2 rows — 2 new, 0 updated, 0 unchanged, 0 invalid" in stdout
    assert "checking: 2/2 rows (100%)" in stderr
    assert Citizen.objects.count() == 2


def test_command_dry_run_writes_nothing(hamlets, tmp_path):
    path = citizens_file(tmp_path / "c.xlsx", ["10999-T01"])

    stdout, _stderr = import_data("citizens", path, "--dry-run")

    assert "1 new" in stdout and "Dry run: nothing was written." in stdout
    assert Citizen.objects.count() == 0


def test_command_lists_row_errors_and_exits_non_zero(hamlets, tmp_path):
    path = citizens_file(tmp_path / "c.xlsx", ["10999-T01", "00000"])

    with pytest.raises(CommandError, match="1 invalid rows: nothing was written"):
        import_data("citizens", path)
    assert Citizen.objects.count() == 0


def test_command_prints_each_row_error_with_its_row_and_column(hamlets, tmp_path, capsys):
    path = citizens_file(tmp_path / "c.xlsx", ["10999-T01", "00000"])
    stderr = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_data", "citizens", path, stdout=io.StringIO(), stderr=stderr)

    assert "row 3 [Mã địa bàn]: No commune, ward or residential area has the code" in (
        stderr.getvalue()
    )


def test_command_as_an_officer_stays_within_their_jurisdiction(hamlets, tmp_path):
    home, _away = hamlets
    officer = OfficerRoleFactory(area=home.parent).user
    path = citizens_file(tmp_path / "c.xlsx", ["10813-T01"])

    with pytest.raises(CommandError):
        import_data("citizens", path, "--officer", officer.username)
    assert Citizen.objects.count() == 0


def test_command_refuses_an_unreadable_file(db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="The file is empty"):
        import_data("citizens", str(path))
