"""A citizen's own data: a copy to download (access), and anonymisation on request (erasure)
that keeps the figures and recognitions true."""

import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assessment, AssessmentStatus, Evidence, Recognition
from assessments.services.evidence import evidence_add_file
from audit.models import AuditAction, AuditEvent
from learning_units.data_protection import citizen_anonymise, is_anonymised
from learning_units.models import Citizen, OfficerRole
from tests.factories import CitizenFactory, ResidentialAreaFactory, UserFactory
from tests.factories.review import make_assessment, review_world
from tests.refusals import assert_refused_to_admin_home
from tests.test_learning_units_admin import make_officer

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(db):
    return review_world()


@pytest.fixture
def citizen(world):
    person = CitizenFactory(
        area=world.branch_area,
        user=UserFactory(),
        full_name="Nguyễn Thị Hoa",
        phone="0912345678",
        email="hoa@example.com",
        religion="Phật giáo",
        birth_year=1987,
    )
    draft = make_assessment(world, citizen=person, status=AssessmentStatus.DRAFT)
    evidence_add_file(
        answer=draft.answers.first(),
        actor=person.user,
        uploaded_file=SimpleUploadedFile("giay.pdf", PDF),
    )
    return person


def test_a_citizen_downloads_their_own_data_as_json(client, citizen):
    client.force_login(citizen.user)
    response = client.get(reverse("learning_units:my_data_download", args=["json"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["citizen"]["full_name"] == "Nguyễn Thị Hoa"
    assert data["citizen"]["citizen_id"] == citizen.citizen_id
    assert len(data["assessments"]) == 1 and len(data["assessments"][0]["answers"]) == 5
    assert data["evidence"][0]["file_name"] == "giay.pdf"
    event = AuditEvent.objects.get()
    assert (event.action, event.actor) == (AuditAction.OWN_DATA_EXPORT, citizen.user)


def test_the_export_gathers_the_sections_every_app_registered_in_one_order(citizen):
    """learning_units asks its registry; assessments registered its sections in ready()."""
    from learning_units.data_protection import citizen_data_export

    assert list(citizen_data_export(citizen=citizen)) == [
        "exported_at",
        "citizen",
        "account",
        "assessments",
        "evidence",
        "history",
        "recognitions",
        "courses",
        "notices",
    ]


def test_a_citizen_downloads_their_own_data_as_a_spreadsheet(client, citizen):
    client.force_login(citizen.user)
    response = client.get(reverse("learning_units:my_data_download", args=["xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"citizen", "assessments", "evidence"} <= set(workbook.sheetnames)
    rows = {row[0]: row[1] for row in workbook["citizen"].iter_rows(values_only=True)}
    assert rows["full_name"] == "Nguyễn Thị Hoa"


def test_the_data_page_and_download_are_for_the_logged_in_citizen_only(client, citizen):
    download = reverse("learning_units:my_data_download", args=["json"])
    assert client.get(download).status_code == 302  # to the log-in page
    client.force_login(UserFactory())  # an account without a citizen record
    assert client.get(download).status_code == 404
    assert client.get(reverse("learning_units:my_data")).status_code == 200
    assert client.get(reverse("learning_units:my_data_download", args=["exe"])).status_code == 404


def test_anonymisation_removes_what_identifies(world, citizen, django_capture_on_commit_callbacks):
    officer = world.officers["commune"]
    file_name = Evidence.objects.get().file.name
    storage = Evidence.file.field.storage
    user = citizen.user

    with django_capture_on_commit_callbacks(execute=True):
        anonymised = citizen_anonymise(citizen=citizen, officer=officer)

    anonymised.refresh_from_db()
    assert is_anonymised(anonymised)
    assert "Hoa" not in anonymised.full_name
    assert citizen.citizen_id != anonymised.citizen_id
    assert (anonymised.phone, anonymised.email, anonymised.religion) == ("", "", "")
    assert anonymised.birth_year == 1980
    assert anonymised.listing_opt_out and anonymised.user is None
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password() and not user.email
    assert not Evidence.objects.exists()
    assert not storage.exists(file_name)
    assert AuditEvent.objects.filter(action=AuditAction.ANONYMISE, actor=officer).exists()


def test_anonymisation_keeps_the_counts_and_the_recognition(world):
    recognised = make_assessment(world, status=AssessmentStatus.RECOGNISED)
    counts = (
        Assessment.objects.filter(area=world.branch_area, status=AssessmentStatus.RECOGNISED)
        .values("citizen__gender", "target_group")
        .count()
    )
    certificate = Recognition.objects.get(assessment=recognised).certificate_number

    citizen_anonymise(citizen=recognised.citizen, officer=world.officers["commune"])

    recognised.refresh_from_db()
    assert recognised.status == AssessmentStatus.RECOGNISED
    assert recognised.self_total == 80
    assert Recognition.objects.get(assessment=recognised).certificate_number == certificate
    assert (
        Assessment.objects.filter(area=world.branch_area, status=AssessmentStatus.RECOGNISED)
        .values("citizen__gender", "target_group")
        .count()
        == counts
    )


def test_anonymising_twice_is_refused(world, citizen):
    citizen_anonymise(citizen=citizen, officer=world.officers["commune"])
    with pytest.raises(ValidationError):
        citizen_anonymise(citizen=Citizen.objects.get(pk=citizen.pk), officer=None)


def anonymise_url(citizen):
    return reverse("learning_units_citizens:anonymise", args=[citizen.pk])


def test_the_admin_action_asks_for_confirmation_first(client, world, citizen):
    client.force_login(make_officer(world.commune, OfficerRole.Role.COMMUNE))
    assert client.get(anonymise_url(citizen)).status_code == 200
    client.post(anonymise_url(citizen), {})
    assert not is_anonymised(Citizen.objects.get(pk=citizen.pk))
    client.post(anonymise_url(citizen), {"confirm": "yes"})
    assert is_anonymised(Citizen.objects.get(pk=citizen.pk))


def test_the_admin_action_is_404_outside_the_jurisdiction(client, world, citizen):
    client.force_login(make_officer(ResidentialAreaFactory().parent, OfficerRole.Role.COMMUNE))
    assert client.get(anonymise_url(citizen)).status_code == 404
    assert client.post(anonymise_url(citizen), {"confirm": "yes"}).status_code == 404
    assert not is_anonymised(Citizen.objects.get(pk=citizen.pk))


def test_a_branch_officer_may_not_anonymise(client, world, citizen):
    client.force_login(make_officer(world.branch_area, OfficerRole.Role.BRANCH))
    response = client.post(anonymise_url(citizen), {"confirm": "yes"})
    assert_refused_to_admin_home(response)
    assert not is_anonymised(Citizen.objects.get(pk=citizen.pk))
