"""The work of a certificate batch: render each certificate of a decision into a zip archive,
recording progress (run by `certificates.tasks.generate_certificate_batch`; also the small
decisions' download served at once).

Progress is written to the CertificateBatch row every few certificates with a conditional
UPDATE, so the admin page that polls it works with the in-process backend as with Celery.
"""

import tempfile
import zipfile

from django.core.files import File
from django.utils import timezone

from ..models import CertificateBatch
from .documents import certificate_filename, render_certificate
from .selectors import decision_certificates

# Write progress at most this often (certificates): a row update per PDF would cost more than
# the rendering is worth at 40 PDFs/s; 25 keeps the bar moving every second or so.
PROGRESS_EVERY = 25


def write_certificates_zip(recognitions, target, *, on_progress=None):
    """Render each recognition's certificate into the zip file `target` (a path or file).

    PDFs are already compressed: stored, not deflated again.
    """
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for recognition in recognitions:
            archive.writestr(certificate_filename(recognition), render_certificate(recognition))
            count += 1
            if on_progress is not None and count % PROGRESS_EVERY == 0:
                on_progress(count)
    return count


def certificate_batch_run(*, batch_id):
    """Generate the batch's archive; marks it failed (with the error) rather than leaving it
    "running" forever if anything goes wrong."""
    claimed = CertificateBatch.objects.filter(
        pk=batch_id, status=CertificateBatch.Status.QUEUED
    ).update(status=CertificateBatch.Status.RUNNING)
    if not claimed:
        return  # already run by another worker, or gone
    batch = CertificateBatch.objects.select_related("decision").get(pk=batch_id)
    recognitions = decision_certificates(batch.decision)

    def progress(count):
        CertificateBatch.objects.filter(pk=batch_id).update(done=count)

    try:
        with tempfile.TemporaryFile() as archive:
            count = write_certificates_zip(
                recognitions.iterator(chunk_size=200), archive, on_progress=progress
            )
            archive.seek(0)
            name = f"giay-chung-nhan-qd-{batch.decision.pk}.zip"
            batch.file.save(name, File(archive), save=False)
        CertificateBatch.objects.filter(pk=batch_id).update(
            status=CertificateBatch.Status.DONE,
            done=count,
            total=count,
            file=batch.file.name,
            finished_at=timezone.now(),
        )
    except Exception as error:
        CertificateBatch.objects.filter(pk=batch_id).update(
            status=CertificateBatch.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
