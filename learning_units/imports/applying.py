"""Applying a previewed upload: in the request for small files, as a background task for big ones.

A big import (more rows than `CDHT_IMPORT_TASK_MIN_ROWS`) would hold the request past the
server's time limit, so the view claims the upload and enqueues `import_apply_task`; the task
records its progress (rows done / total) in the upload's sidecar, which the preview page shows
and refreshes until the import is applied or refused.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from audit.models import AuditAction
from audit.services import actor_area_path, audit_record

from ..conf import setting
from . import storage
from .service import import_run


def runs_as_task(report):
    """Whether applying this previewed report goes to the task queue."""
    threshold = setting("IMPORT_TASK_MIN_ROWS")
    return report.total_rows > threshold


def upload_apply(*, token, user, request=None):
    """Run a claimed upload for real and record the outcome in its sidecar; returns the report.

    On an unexpected error the upload is given back (state pending) so it can be applied again.
    """
    meta = storage.upload_meta(token, user=user)

    def progress(stage, done, total):
        meta["progress"] = {"stage": stage, "done": done, "total": total}
        storage.write_meta(token, meta)

    try:
        upload = storage.upload_read(token, storage.APPLYING)
        report = import_run(
            kind=meta["kind"],
            file=upload,
            officer=user,
            dry_run=False,
            options=meta.get("options"),
            progress=progress,
        )
    except Exception:
        storage.upload_release(token)
        meta.update(state=storage.PENDING, progress=None)
        storage.write_meta(token, meta)
        raise
    applied = report.applied
    if applied:
        storage.upload_discard(token)
    else:
        storage.upload_release(token)
    meta.update(
        state=storage.APPLIED if applied else storage.PENDING,
        report=report.to_dict(),
        applied_at=timezone.now().isoformat() if applied else None,
        progress=None,
        refused=not applied,
    )
    storage.write_meta(token, meta)
    if applied:
        audit_record(
            request=request,
            actor=user,
            action=AuditAction.IMPORT,
            object_type=meta["kind"],
            area_path=actor_area_path(user),
            detail={"new": report.new, "updated": report.updated},
        )
    return report


@task()
def import_apply_task(token, user_id):
    """The background apply of a big upload (claimed by the view before enqueueing)."""
    user = get_user_model().objects.get(pk=user_id)
    upload_apply(token=token, user=user)
