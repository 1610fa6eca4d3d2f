"""Certificate batches: start one for a decision (the task runs `archives.certificate_batch_run`),
purge old archives.

The task module never imports this one (a contract in pyproject.toml): the work the task does
lives below both, in `certificates.archives`.
"""

from django.db import transaction

from ..models import CertificateBatch
from .selectors import decision_certificates
from .tasks import generate_certificate_batch


def certificate_batch_start(*, decision, user):
    """Create the job and enqueue it after the commit; returns the batch.

    A batch already queued or running for the decision is returned instead of a second one:
    an officer clicking twice gets the same progress page.
    """
    with transaction.atomic():
        running = (
            CertificateBatch.objects.select_for_update()
            .filter(
                decision=decision,
                status__in=[CertificateBatch.Status.QUEUED, CertificateBatch.Status.RUNNING],
            )
            .first()
        )
        if running is not None:
            return running
        batch = CertificateBatch.objects.create(
            decision=decision,
            requested_by=user,
            total=decision_certificates(decision).count(),
        )
        transaction.on_commit(lambda: generate_certificate_batch.enqueue(batch.pk))
    return batch


def certificate_batches_purge(*, before):
    """Delete the zip archives of batches finished before `before`; the records stay (the
    batch page then offers to run it again). Returns how many archives were removed."""
    removed = 0
    old = CertificateBatch.objects.filter(finished_at__lt=before).exclude(file="")
    for batch in old.iterator():
        batch.file.delete(save=False)  # the file first: a record without one is harmless
        CertificateBatch.objects.filter(pk=batch.pk).update(file="")
        removed += 1
    return removed
