"""A queue export of more rows than CDHT_QUEUE_EXPORT_BACKGROUND_ROWS runs as a background job
(assessments.queue_exports): the officer gets a progress page, then the same file the request
would have written, under the same filters and subtree."""

import io

import openpyxl
import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus, QueueExport
from audit.models import AuditAction, AuditEvent
from tests.factories.review import make_assessment, review_world_in_admin

pytestmark = pytest.mark.django_db

QUEUE = "assessment_review:index"


@pytest.fixture
def world(db, settings):
    settings.CDHT_QUEUE_EXPORT_BACKGROUND_ROWS = 1
    return review_world_in_admin()


def start(client, world, django_capture_on_commit_callbacks, **params):
    client.force_login(world.officers["commune"])
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(reverse(QUEUE), params)


def test_a_long_export_runs_in_the_background_and_is_downloaded_when_done(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    from assessments.views import queue_export

    progress = []
    monkeypatch.setattr(queue_export, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(
        queue_export, "queue_export_progress", lambda job_id, done: progress.append(done)
    )
    make_assessment(world, full_name="Nguyễn Thị Hoa")
    make_assessment(world, full_name="Trần Văn Bình")
    make_assessment(world, full_name="Lê Văn Cường", status=AssessmentStatus.VERIFIED)

    response = start(
        client, world, django_capture_on_commit_callbacks, export="xlsx", status="submitted"
    )

    job = QueueExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_review:export_job", args=[job.pk])
    assert (job.status, job.total, job.done, job.file_format) == ("done", 2, 2, "xlsx")
    assert progress == [1, 2]
    assert job.file_name.startswith("hang-doi-danh-gia") and job.file_name.endswith(".xlsx")
    page = client.get(response["Location"]).content.decode()
    download = reverse("assessment_review:export_download", args=[job.pk])
    assert download in page
    content = b"".join(client.get(download).streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert sorted(row[0] for row in rows[1:]) == ["Nguyễn Thị Hoa", "Trần Văn Bình"]
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert exports.count() == 1 and "status=submitted" in exports.get().detail["query"]


def test_a_short_export_is_still_written_in_the_request(client, world, settings):
    settings.CDHT_QUEUE_EXPORT_BACKGROUND_ROWS = 5
    make_assessment(world)
    client.force_login(world.officers["commune"])
    response = client.get(reverse(QUEUE), {"export": "csv"})
    assert response.status_code == 200 and not QueueExport.objects.exists()


def test_only_the_officer_who_asked_sees_the_job_and_its_file(
    client, world, django_capture_on_commit_callbacks
):
    make_assessment(world)
    make_assessment(world)
    start(client, world, django_capture_on_commit_callbacks, export="csv")
    job = QueueExport.objects.get()
    assert job.status == "done"

    client.force_login(world.officers["branch"])
    assert client.get(reverse("assessment_review:export_job", args=[job.pk])).status_code == 404
    download = reverse("assessment_review:export_download", args=[job.pk])
    assert client.get(download).status_code == 404


def test_purge_removes_old_export_files_and_the_page_says_to_export_again(
    client, world, django_capture_on_commit_callbacks
):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    make_assessment(world, full_name="Nguyễn Thị Hoa")
    make_assessment(world, full_name="Trần Văn Bình")
    start(client, world, django_capture_on_commit_callbacks, export="csv")
    old, recent = QueueExport.objects.get(), None
    start(client, world, django_capture_on_commit_callbacks, export="csv")
    recent = QueueExport.objects.exclude(pk=old.pk).get()
    QueueExport.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=8)
    )
    storage, old_name = old.file.storage, old.file.name
    assert storage.exists(old_name)

    call_command("purge_queue_exports", stdout=io.StringIO())

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.file.name == "" and not storage.exists(old_name)
    assert recent.file and storage.exists(recent.file.name)
    page = client.get(reverse("assessment_review:export_job", args=[old.pk])).content.decode()
    assert "Xuất lại hàng đợi" in page or "Export the queue again" in page
    download = client.get(reverse("assessment_review:export_download", args=[old.pk]))
    assert download.status_code == 404
