"""Queue exports as background jobs: an officer's "Download XLSX/CSV" of more rows than
CDHT_QUEUE_EXPORT_BACKGROUND_ROWS is written by a worker, with its progress on a page, instead of
holding a web process (and the officer) for the minutes a province's queue takes.

The worker writes the file by running the queue's own export view (`QueueExportView`) on a
request rebuilt from what the officer asked for: the same user, the same filters, status tab and
search. So the file holds exactly what the screen lists, inside the officer's subtree, with no
second copy of the queue's scoping or columns that could drift from the first.
"""

import re
import tempfile

from django.core.files import File
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django_tasks import task

from .models import QueueExport

# Write progress at most this often (rows): a row update per row would cost more than it shows.
PROGRESS_EVERY = 1000
FILE_NAME = re.compile(r'filename="?([^";]+)"?')


def queue_export_start(*, user, query, file_format, total, language) -> QueueExport:
    """Create the job and enqueue it after the commit; returns the job."""
    job = QueueExport.objects.create(
        requested_by=user, query=query, file_format=file_format, total=total, language=language
    )
    transaction.on_commit(lambda: run_queue_export.enqueue(job.pk))
    return job


def queue_export_progress(*, job_id, done) -> None:
    QueueExport.objects.filter(pk=job_id).update(done=done)


def queue_export_run(*, job_id) -> None:
    """Write the job's file; marks it failed (with the error) rather than leaving it "running"
    forever if anything goes wrong."""
    claimed = QueueExport.objects.filter(pk=job_id, status=QueueExport.Status.QUEUED).update(
        status=QueueExport.Status.RUNNING
    )
    if not claimed:
        return  # already run by another worker, or gone
    job = QueueExport.objects.select_related("requested_by").get(pk=job_id)
    try:
        with translation.override(job.language or None), tempfile.TemporaryFile() as output:
            response = _export_response(job)
            if response.status_code != 200:
                raise RuntimeError(f"the export view answered {response.status_code}")
            for chunk in response.streaming_content:
                output.write(chunk)
            name = FILE_NAME.search(response["Content-Disposition"]).group(1)
            output.seek(0)
            job.file.save(name, File(output), save=False)
    except Exception as error:
        QueueExport.objects.filter(pk=job_id).update(
            status=QueueExport.Status.FAILED, error=repr(error), finished_at=timezone.now()
        )
        raise
    QueueExport.objects.filter(pk=job_id).update(
        status=QueueExport.Status.DONE,
        file=job.file.name,
        file_name=name,
        done=job.total,
        finished_at=timezone.now(),
    )


def _export_response(job):
    """The queue view's answer to the officer's own GET, built without a web server: the
    same path, query and user (no session, cookies or CSRF: the view reads none of them)."""
    path = reverse("assessment_review:index")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(job.query, mutable=True)
    request.GET["export"] = job.file_format
    request.GET._mutable = False
    request.META["SERVER_NAME"], request.META["SERVER_PORT"] = "localhost", "80"
    request.user = job.requested_by
    request.queue_export = job  # tells the view to write here and report progress
    return resolve(path).func(request)


def queue_exports_purge(*, before) -> int:
    """Delete the files of exports finished before `before` (they hold names of people and
    were downloaded long ago); the records stay, and their page says to export again.
    Returns how many files were removed."""
    removed = 0
    old = QueueExport.objects.filter(finished_at__lt=before).exclude(file="")
    for job in old.iterator():
        job.file.delete(save=False)  # the file first: a record without one is harmless
        QueueExport.objects.filter(pk=job.pk).update(file="")
        removed += 1
    return removed


@task()
def run_queue_export(job_id):
    queue_export_run(job_id=job_id)
