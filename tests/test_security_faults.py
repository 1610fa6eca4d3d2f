"""Fault tests (issue 11): each asserts that nothing is lost and the person gets a clear answer.

Concurrent recognise is covered on PostgreSQL by test_review_concurrency.py.
"""

import datetime
import errno

import pytest
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Assessment, AssessmentStatus, Evidence, Recognition
from audit import outbox
from audit.models import OutgoingMail
from learning_units.imports import import_run
from learning_units.imports.citizens import CitizenImportResource
from learning_units.models import Citizen
from tests.factories import CitizenFactory, UserFactory
from tests.factories.review import make_assessment, review_world
from tests.test_imports import CITIZEN_HEADERS, citizen_row, write_xlsx
from tests.test_review_workflow import recognise

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(db):
    return review_world()


@pytest.fixture
def draft(world):
    citizen = CitizenFactory(area=world.branch_area, user=UserFactory(), email="an@example.com")
    return make_assessment(world, citizen=citizen, status=AssessmentStatus.DRAFT)


# --- a database error in the middle of an import ----------------------------------------


def test_a_database_error_mid_import_writes_nothing_and_says_so(world, tmp_path, monkeypatch):
    rows = [citizen_row(area=world.branch_area.code) for _n in range(3)]
    path = write_xlsx(tmp_path / "c.xlsx", CITIZEN_HEADERS, rows)
    original_write = CitizenImportResource.bulk_create

    def write_then_fail(self, *args, **kwargs):
        original_write(self, *args, **kwargs)  # the rows are in the transaction…
        raise OperationalError("server closed the connection unexpectedly")  # …then it dies

    monkeypatch.setattr(CitizenImportResource, "bulk_create", write_then_fail)
    with translation.override("en"):
        report = import_run(
            kind="citizens", file=path, officer=world.officers["commune"], dry_run=False
        )
        assert "Nothing was written" in str(report.file_error.message)
    assert not report.applied
    assert report.file_error.code == "database"
    assert Citizen.objects.filter(area=world.branch_area).count() == 0


# --- double submit of the self-assessment ----------------------------------------------


def test_a_double_submit_from_the_page_submits_once_and_says_it_was_sent(client, draft):
    client.force_login(draft.citizen.user)
    url = reverse("assessments:submit", args=[draft.pk])
    first = client.post(url)
    second = client.post(url)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("assessments:overview", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED
    assert draft.events.filter(action="submit").count() == 1
    assert list(draft.answers.values_list("self_points", flat=True)) == [16] * 5


# --- the session expires during a draft --------------------------------------------------


def test_autosave_after_the_session_expired_is_a_clear_401_and_the_draft_can_be_saved_after(
    client, draft
):
    answer = draft.answers.order_by("indicator__code").first()
    url = reverse("assessments:autosave", args=[draft.pk, 1])
    data = {"revision": draft.revision, f"points_{answer.indicator_id}": "12"}
    expired = client.post(url, data)
    assert expired.status_code == 401
    body = expired.json()
    assert body["error"] and "next=" in body["login"]
    answer.refresh_from_db()
    assert answer.self_points == 16  # nothing half-written
    # The script kept the values on the device; after logging in it sends them again and,
    # as nobody changed the draft meanwhile, they are saved without a conflict.
    client.force_login(draft.citizen.user)
    saved = client.post(url, data)
    assert saved.status_code == 200
    answer.refresh_from_db()
    assert answer.self_points == 12


def test_the_script_forgets_its_copy_only_once_the_server_confirms():
    from pathlib import Path

    from django.conf import settings

    script = (
        Path(settings.BASE_DIR) / "assessments/static/assessments/self_assessment.js"
    ).read_text()
    confirm = script.index("localStorage.removeItem(key)")
    assert script.rfind("response.ok", 0, confirm) != -1 or "code === 200" in script[:confirm]
    assert "code === 401" in script


# --- a full disk while saving an upload ----------------------------------------------------


def test_a_full_disk_keeps_the_points_and_explains_the_file_was_not_saved(
    client, draft, monkeypatch
):
    def full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    answer = draft.answers.order_by("indicator__code").first()
    client.force_login(draft.citizen.user)
    response = client.post(
        reverse("assessments:step", args=[draft.pk, 1]),
        {
            "revision": draft.revision,
            f"points_{answer.indicator_id}": "11",
            f"file_{answer.indicator_id}": SimpleUploadedFile("bang.pdf", PDF),
            "action": "save",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.get(f"file_{answer.indicator_id}")
    assert errors  # the message sits next to the file field
    assert not Evidence.objects.exists()
    answer.refresh_from_db()
    assert answer.self_points == 11


# --- the mail server is down at recognition time -----------------------------------------


class DownBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_recognition_stands_when_the_mail_server_is_down_and_the_mail_is_retried(
    world, settings, django_capture_on_commit_callbacks
):
    verified = make_assessment(world, status=AssessmentStatus.VERIFIED)
    Citizen.objects.filter(pk=verified.citizen_id).update(email="an@example.com")
    settings.EMAIL_BACKEND = "tests.test_security_faults.DownBackend"

    with django_capture_on_commit_callbacks(execute=True):
        recognise(world, [verified])

    assert Assessment.objects.get(pk=verified.pk).status == AssessmentStatus.RECOGNISED
    assert Recognition.objects.filter(assessment=verified).exists()
    queued = OutgoingMail.objects.get()
    assert (queued.attempts, queued.sent_at) == (1, None)
    assert "Connection refused" in queued.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMail.objects.update(next_attempt_at=queued.created_at)  # due now
    assert outbox.retry_due_mails() == 1
    assert [message.to for message in mail.outbox] == [["an@example.com"]]
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.attempts == 2


class BrokerDown:
    """The task queue refuses the first send's job after the commit (or the worker dies
    before running it): the outbox row is written and nothing ever sends it on its own."""

    def enqueue(self, *args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")


def test_a_mail_whose_first_send_never_ran_is_sent_later_exactly_once(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    verified = make_assessment(world, status=AssessmentStatus.VERIFIED)
    Citizen.objects.filter(pk=verified.citizen_id).update(email="an@example.com")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setattr(outbox, "deliver_mails", BrokerDown())

    with django_capture_on_commit_callbacks(execute=True):
        recognise(world, [verified])

    assert Assessment.objects.get(pk=verified.pk).status == AssessmentStatus.RECOGNISED
    lost = OutgoingMail.objects.get()
    assert (lost.attempts, lost.next_attempt_at, lost.sent_at) == (0, None, None)
    assert mail.outbox == []

    assert outbox.retry_due_mails() == 0  # the first send may still be on its way
    later = timezone.now() + outbox.FIRST_SEND_GRACE + datetime.timedelta(seconds=1)
    assert outbox.retry_due_mails(now=later) == 1
    assert [message.to for message in mail.outbox] == [["an@example.com"]]

    # The first send turning up late, or the job run again, sends nothing more.
    assert outbox._deliver([lost]) == 0
    assert outbox.retry_due_mails(now=later + datetime.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1
    lost.refresh_from_db()
    assert lost.sent_at is not None and lost.attempts == 1


def test_a_mail_that_keeps_failing_stops_after_the_last_attempt(world, settings):
    settings.EMAIL_BACKEND = "tests.test_security_faults.DownBackend"
    (mail_id,) = outbox.mail_queue([["Tiêu đề", "Nội dung", "an@example.com"]])
    for _attempt in range(outbox.MAX_ATTEMPTS + 2):
        outbox._deliver(OutgoingMail.objects.filter(pk=mail_id, sent_at__isnull=True))
        OutgoingMail.objects.filter(pk=mail_id).update(next_attempt_at=None)
    OutgoingMail.objects.filter(pk=mail_id).update(
        next_attempt_at=OutgoingMail.objects.get().created_at
    )
    assert outbox.retry_due_mails() == 0
    assert OutgoingMail.objects.get().attempts >= outbox.MAX_ATTEMPTS
