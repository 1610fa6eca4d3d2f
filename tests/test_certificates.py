"""Certificate PDFs: Vietnamese text, numbers, QR to the verification URL, layout limits, fonts,
and who may download them (citizen: own only; officers: their subtree)."""

import io
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core import checks
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.certificates import documents, fonts, pdf
from assessments.certificates.checks import certificate_fonts_check
from assessments.models import AssessmentStatus, CertificateBatch, Recognition
from learning_units.models import Citizen
from tests.factories import CommuneFactory, OfficerRoleFactory, UserFactory
from tests.factories.review import (
    make_assessment,
    make_unit_assessment,
    review_world_in_admin,
)

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Ngọc Ánh"
OUTPUT_ROOT = Path(__file__).resolve().parents[1] / "test-output"


@pytest.fixture
def world(db):
    return review_world_in_admin()


def recognised(world, name=NAME, **values):
    assessment = make_assessment(
        world, status=AssessmentStatus.RECOGNISED, full_name=name, **values
    )
    return documents.certificate_queryset().get(assessment=assessment)


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def page_png(content, request, dpi=150):
    """Page 1 at `dpi` in test-output/<test>/ (kept as the test's artifact)."""
    folder = OUTPUT_ROOT / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "certificate.pdf").write_bytes(content)
    stem = "page1" if dpi == 150 else f"page1-{dpi}dpi"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(folder / "certificate.pdf"),
            str(folder / stem),
        ],
        check=True,
    )
    return folder / f"{stem}.png"


def decoded_qr(png):
    if not shutil.which("zbarimg"):
        pytest.fail("zbarimg is missing: install zbar-tools")
    return subprocess.run(
        ["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_certificate_prints_the_exact_name_numbers_and_a_qr_to_the_verification_url(
    world, request, public_site
):
    recognition = recognised(world)
    address = f"https://hoikhuyenhoc.example.vn/verify/{recognition.verification_code}/"

    content = documents.render_certificate(recognition)

    text, pages = pdf_text(content)
    assert pages == 1
    assert NAME in text
    assert recognition.certificate_number in text
    assert recognition.decision.number in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "CÔNG DÂN HỌC TẬP" in text
    assert address in text  # printed under the QR, for typing it in
    # The QR code reads back as the address, from a good scan and from a coarse one.
    assert decoded_qr(page_png(content, request)) == address
    assert decoded_qr(page_png(content, request, dpi=72)) == address


def test_a_name_typed_with_combining_marks_prints_composed(world):
    recognition = recognised(world)
    decomposed = unicodedata.normalize("NFD", NAME)
    assert decomposed != NAME
    Citizen.objects.filter(pk=recognition.assessment.citizen_id).update(full_name=decomposed)
    recognition = documents.certificate_queryset().get(pk=recognition.pk)

    text, _pages = pdf_text(documents.render_certificate(recognition))

    assert NAME in text
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize(
    ("gender", "phrase"),
    [("male", "chứng nhận Ông\n"), ("female", "chứng nhận Bà\n"), ("", "chứng nhận Ông/Bà\n")],
)
def test_the_certificate_addresses_the_citizen_by_the_recorded_gender(world, gender, phrase):
    recognition = recognised(world)
    Citizen.objects.filter(pk=recognition.assessment.citizen_id).update(gender=gender)
    recognition = documents.certificate_queryset().get(pk=recognition.pk)

    text, _pages = pdf_text(documents.render_certificate(recognition))

    assert phrase in text


def test_a_collective_title_has_its_own_certificate(world, request):
    assessment = make_unit_assessment(
        world, status=AssessmentStatus.RECOGNISED, name="Gia đình ông Lê Văn Thắng"
    )
    recognition = documents.certificate_queryset().get(assessment=assessment)

    assert documents.template_for(recognition) == documents.COLLECTIVE_TEMPLATE
    content = documents.render_certificate(recognition)
    text, pages = pdf_text(content)
    assert pages == 1
    assert "Gia đình ông Lê Văn Thắng" in text and "GIA ĐÌNH HỌC TẬP" in text
    page_png(content, request)


def test_a_very_long_name_and_area_shrink_and_stay_on_one_page(world, request):
    world.commune.name = "Xã " + "Thượng Lâm Phong Điền Hòa Bình " * 3
    world.commune.save()
    long_name = "Công Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Ngọc Bích Trâm Anh Lê Diệu Linh"
    recognition = recognised(world, name=long_name)

    context = documents.certificate_context(recognition)
    content = documents.render_certificate(recognition)

    assert context["name"].size < documents.NAME_SIZES[0]
    assert context["issuer"].size < documents.HEADER_SIZES[0]
    text, pages = pdf_text(content)
    assert pages == 1
    assert "Phương Thảo" in text
    page_png(content, request)


def test_fitted_size_keeps_short_text_at_full_size():
    assert documents.fitted_size("An", box_cm=10, sizes=(30, 18)) == 30
    assert documents.fitted_size("Nguyễn " * 40, box_cm=10, sizes=(30, 18)) == 18


def test_link_callback_resolves_only_the_shipped_fonts():
    assert fonts.link_callback("NotoSerif-Bold.ttf") == str(fonts.FONTS_DIR / "NotoSerif-Bold.ttf")
    assert fonts.link_callback("data:image/png;base64,AAAA") is None
    for uri in (
        "/etc/passwd",
        "../settings.py",
        "http://169.254.169.254/",
        "file:///etc/hosts",
        "fonts/../../../manage.py",
        "NotoSerif-Bold.ttf/../x",
    ):
        with pytest.raises(fonts.ResourceRefused):
            fonts.link_callback(uri)


def test_a_template_cannot_fetch_a_remote_or_local_file():
    html = (
        '<html><body><p>x</p><img src="http://127.0.0.1:1/x.png">'
        '<img src="/etc/passwd"></body></html>'
    )
    with pytest.raises((fonts.ResourceRefused, pdf.RenderError)):
        pdf.html_to_pdf(html)


def test_a_missing_font_fails_the_system_check_and_the_render(monkeypatch, world):
    assert certificate_fonts_check() == []
    monkeypatch.setitem(fonts.FONT_FILES, "bold", "NotoSerif-Missing.ttf")

    errors = certificate_fonts_check()

    assert [error.id for error in errors] == ["assessments.E001"]
    assert errors[0].level == checks.ERROR
    with pytest.raises(pdf.RenderError):
        documents.render_certificate(recognised(world))


def test_the_check_is_registered_with_django():
    assert certificate_fonts_check in checks.registry.registry.get_checks()


# --- Downloads and permissions. ---


def test_a_citizen_downloads_their_own_certificate_and_not_anyone_elses(client, world):
    mine = recognised(world)
    owner = UserFactory()
    Citizen.objects.filter(pk=mine.assessment.citizen_id).update(user=owner)
    other = recognised(world, name="Trần Văn Khác")
    url = reverse("assessments:certificate", args=[mine.pk])

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert NAME in pdf_text(response.content)[0]
    assert client.get(reverse("assessments:certificate", args=[other.pk])).status_code == 404

    client.force_login(world.officers["citizen"])
    assert client.get(url).status_code == 404


def test_a_revoked_certificate_is_not_downloadable_by_the_citizen(client, world):
    mine = recognised(world)
    owner = UserFactory()
    Citizen.objects.filter(pk=mine.assessment.citizen_id).update(user=owner)
    Recognition.objects.filter(pk=mine.pk).update(revoked=True, revoked_reason="Sai sót")

    client.force_login(owner)

    assert client.get(reverse("assessments:certificate", args=[mine.pk])).status_code == 404


def test_my_assessments_links_the_certificate(client, world):
    mine = recognised(world)
    owner = UserFactory()
    Citizen.objects.filter(pk=mine.assessment.citizen_id).update(user=owner)
    client.force_login(owner)

    response = client.get(reverse("assessments:mine"))

    assert reverse("assessments:certificate", args=[mine.pk]) in response.content.decode()


def test_a_recognised_assessments_page_links_its_certificate_verification_and_badge(client, world):
    mine = recognised(world)
    owner = UserFactory()
    Citizen.objects.filter(pk=mine.assessment.citizen_id).update(user=owner)
    client.force_login(owner)

    page = client.get(reverse("assessments:overview", args=[mine.assessment_id])).content.decode()

    assert reverse("assessments:certificate", args=[mine.pk]) in page
    assert reverse("assessments:verify", args=[mine.verification_code]) in page
    assert reverse("assessments:badge_assertion", args=[mine.verification_code]) in page
    assert mine.certificate_number in page


def test_a_revoked_certificate_is_not_offered_on_the_assessments_page(client, world):
    mine = recognised(world)
    owner = UserFactory()
    Citizen.objects.filter(pk=mine.assessment.citizen_id).update(user=owner)
    Recognition.objects.filter(pk=mine.pk).update(revoked=True, revoked_reason="Sai sót")
    client.force_login(owner)

    page = client.get(reverse("assessments:overview", args=[mine.assessment_id])).content.decode()

    assert reverse("assessments:certificate", args=[mine.pk]) not in page
    assert mine.verification_code not in page


def test_someone_elses_recognised_assessment_page_is_404_and_links_nothing(client, world):
    theirs = recognised(world)
    client.force_login(world.officers["citizen"])

    response = client.get(reverse("assessments:overview", args=[theirs.assessment_id]))

    assert response.status_code == 404
    assert theirs.verification_code not in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("assessments:certificate", args=[recognised(world).pk]))

    assert response.status_code == 302


def outsider(world):
    """A commune officer of another commune (same province)."""
    other_commune = CommuneFactory(parent=world.commune.parent)
    user = OfficerRoleFactory(area=other_commune).user
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_officers_download_within_their_area_only(client, world):
    recognition = recognised(world)
    decision = recognition.decision
    urls = [
        reverse("assessments_certificates:certificate", args=[recognition.pk]),
        reverse("assessments_certificates:decision_zip", args=[decision.pk]),
        reverse(
            "assessments_certificates:dossier_download",
            args=[world.campaign.pk, world.commune.pk, "pdf"],
        ),
        reverse(
            "assessments_certificates:dossier_download",
            args=[world.campaign.pk, world.commune.pk, "xlsx"],
        ),
    ]
    client.force_login(world.officers["commune"])
    for url in urls:
        assert client.get(url).status_code == 200, url

    client.force_login(outsider(world))
    for url in urls:
        assert client.get(url).status_code == 404, url
    start = reverse("assessments_certificates:batch_start", args=[decision.pk])
    assert client.post(start).status_code == 404


def test_the_decision_zip_holds_one_pdf_per_unrevoked_certificate(client, world):
    first = recognised(world)
    assessments = [make_assessment(world, status=AssessmentStatus.VERIFIED) for _ in range(2)]
    from tests.factories.review import recognise_directly

    decision = recognise_directly(assessments, world.commune)
    Recognition.objects.filter(assessment=assessments[0]).update(revoked=True)
    client.force_login(world.officers["commune"])

    response = client.get(reverse("assessments_certificates:decision_zip", args=[decision.pk]))

    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 1 and names[0].endswith(".pdf")
    assert first.decision_id != decision.pk


def test_a_batch_runs_in_the_background_and_offers_its_zip(
    client, world, django_capture_on_commit_callbacks
):
    recognition = recognised(world)
    client.force_login(world.officers["commune"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessments_certificates:batch_start", args=[recognition.decision_id])
        )

    batch = CertificateBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments_certificates:batch", args=[batch.pk])
    assert batch.status == CertificateBatch.Status.DONE
    assert (batch.done, batch.total, batch.percent) == (1, 1, 100)
    page = client.get(reverse("assessments_certificates:batch", args=[batch.pk]))
    assert page.status_code == 200
    download = reverse("assessments_certificates:batch_download", args=[batch.pk])
    assert download in page.content.decode()
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(download).streaming_content)))
    assert len(archive.namelist()) == 1

    client.force_login(outsider(world))
    assert client.get(download).status_code == 404
    assert client.get(reverse("assessments_certificates:batch", args=[batch.pk])).status_code == 404


def test_the_decisions_page_opens_to_officers_and_is_404_to_a_citizen(client, world):
    recognised(world)
    client.force_login(world.officers["commune"])
    assert client.get(reverse("assessments_certificates:decisions")).status_code == 200

    client.force_login(world.officers["citizen"])
    # Not Wagtail's redirect to the admin home (as the queue does): this page is 404 to
    # anyone who is not an officer.
    assert client.get(reverse("assessments_certificates:decisions")).status_code == 404


def test_the_dossier_lists_names_areas_groups_and_scores(client, world, request):
    recognition = recognised(world)
    client.force_login(world.officers["commune"])
    base = [world.campaign.pk, world.commune.pk]

    pdf_response = client.get(
        reverse("assessments_certificates:dossier_download", args=[*base, "pdf"])
    )
    xlsx_response = client.get(
        reverse("assessments_certificates:dossier_download", args=[*base, "xlsx"])
    )

    text, _pages = pdf_text(pdf_response.content)
    assert NAME in text and world.branch_area.name in text and "80" in text
    assert recognition.certificate_number in text and "Tổng cộng" in text
    assert page_png(pdf_response.content, request).stat().st_size
    workbook = load_workbook(io.BytesIO(xlsx_response.content))
    rows = list(workbook["Danh sách"].iter_rows(values_only=True))
    assert rows[2][1] == NAME and rows[2][2] == world.branch_area.name
    assert rows[2][6] == recognition.certificate_number
    summary = list(workbook["Tổng hợp"].iter_rows(values_only=True))
    assert summary[-1] == ("Tổng cộng", 1, 1, 0)


def test_a_failing_batch_is_marked_failed_not_left_running(world, monkeypatch):
    from assessments.certificates import archives

    recognition = recognised(world)

    def broken(recognition):
        raise pdf.RenderError("boom")

    monkeypatch.setattr(archives, "render_certificate", broken)
    batch = CertificateBatch.objects.create(decision=recognition.decision, total=1)

    with pytest.raises(pdf.RenderError):
        archives.certificate_batch_run(batch_id=batch.pk)

    batch.refresh_from_db()
    assert batch.status == CertificateBatch.Status.FAILED
    assert "boom" in batch.error and batch.is_finished


def test_a_second_click_returns_the_batch_already_queued(world):
    from assessments.certificates import services

    recognition = recognised(world)
    queued = CertificateBatch.objects.create(decision=recognition.decision, total=1)

    again = services.certificate_batch_start(decision=recognition.decision, user=None)

    assert again == queued


def test_the_decisions_page_costs_the_same_queries_for_more_decisions(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    recognised(world)
    client.force_login(world.officers["commune"])
    url = reverse("assessments_certificates:decisions")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        recognised(world, name="Lê Thị Mai")
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)

    assert len(response.context["rows"]) == 5
    assert len(five) == len(one)


def test_a_dossier_pdf_too_long_to_make_in_the_request_is_refused_clearly(client, world, settings):
    recognised(world)
    settings.CDHT_DOSSIER_PDF_MAX_ROWS = 0
    client.force_login(world.officers["commune"])
    base = [world.campaign.pk, world.commune.pk]

    response = client.get(
        reverse("assessments_certificates:dossier_download", args=[*base, "pdf"]), follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("assessments_certificates:dossier")
    assert "Excel" in html and "1 " in html  # the size and the way out
    form_response = client.get(
        reverse("assessments_certificates:dossier"),
        {"campaign": world.campaign.pk, "area": world.commune.pk, "format": "pdf"},
    )
    assert form_response["Content-Type"].startswith("text/html")
    assert "Excel" in form_response.content.decode()
    xlsx = client.get(reverse("assessments_certificates:dossier_download", args=[*base, "xlsx"]))
    assert xlsx.status_code == 200 and "spreadsheet" in xlsx["Content-Type"]


def test_old_batch_archives_are_removed_and_the_page_says_so(
    client, world, django_capture_on_commit_callbacks
):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    recognition = recognised(world)
    client.force_login(world.officers["commune"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments_certificates:batch_start", args=[recognition.decision_id]))
    batch = CertificateBatch.objects.get()
    storage, name = batch.file.storage, batch.file.name
    assert storage.exists(name)

    call_command("purge_certificate_batches", stdout=io.StringIO())  # 30 days: kept
    assert storage.exists(name)
    CertificateBatch.objects.filter(pk=batch.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=31)
    )
    out = io.StringIO()
    call_command("purge_certificate_batches", stdout=out)
    assert out.getvalue().startswith("1 ")
    batch.refresh_from_db()
    assert not storage.exists(name) and not batch.file
    page = client.get(reverse("assessments_certificates:batch", args=[batch.pk])).content.decode()
    download = reverse("assessments_certificates:batch_download", args=[batch.pk])
    assert download not in page
    assert client.get(download).status_code == 404


def test_a_background_batch_prints_the_public_sites_address(world, public_site):
    """A worker renders without a request: the address still comes from the Site."""
    from assessments.certificates import archives

    recognition = recognised(world)
    batch = CertificateBatch.objects.create(decision=recognition.decision, total=1)

    archives.certificate_batch_run(batch_id=batch.pk)

    batch.refresh_from_db()
    with batch.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    text, _pages = pdf_text(archive.read(archive.namelist()[0]))
    assert f"https://hoikhuyenhoc.example.vn/verify/{recognition.verification_code}/" in text
