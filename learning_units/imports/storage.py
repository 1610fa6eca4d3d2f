"""Uploads kept between the preview and the apply: private, owned, short-lived.

Files live under MEDIA_ROOT/private/imports/, named by an HMAC of the token so that the token in
an admin URL never names a file, and are never given a URL. Each upload has a JSON sidecar
with its owner, kind and last report. Applying claims the upload by renaming it, which only one
request can do: a double submit finds it gone and reads the recorded outcome instead.
"""

import json
import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils.crypto import salted_hmac

from .parsing import Upload

LIFETIME = timedelta(days=1)
PENDING, APPLYING, APPLIED = "pending", "applying", "applied"


class UploadMissing(Exception):
    """No upload with this token belongs to this user (unknown, expired or someone else's)."""


def folder():
    path = Path(settings.MEDIA_ROOT) / "private" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def base_path(token):
    digest = salted_hmac("learning_units.imports.upload", token).hexdigest()[:40]
    return folder() / digest


def upload_path(token, state=PENDING):
    suffix = ".upload" if state == PENDING else ".applying"
    return base_path(token).with_suffix(suffix)


def meta_path(token):
    return base_path(token).with_suffix(".json")


def upload_store(*, user, kind, upload, report, options=None):
    """Keep an upload and its dry-run report for its owner; returns the token naming it."""
    token = secrets.token_urlsafe(24)
    upload_path(token).write_bytes(upload.content)
    write_meta(
        token,
        {
            "user_id": user.pk,
            "kind": kind,
            "name": upload.name,
            "state": PENDING,
            "report": report.to_dict(),
            "options": options or {},
        },
    )
    return token


def upload_meta(token, *, user):
    """The sidecar of an upload the user owns."""
    try:
        meta = json.loads(meta_path(token).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UploadMissing(token) from error
    if meta.get("user_id") != user.pk:
        raise UploadMissing(token)
    return meta


def write_meta(token, meta):
    path = meta_path(token)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)  # readers never see a half-written file


def upload_read(token, state=PENDING):
    meta = json.loads(meta_path(token).read_text(encoding="utf-8"))
    return Upload(meta["name"], upload_path(token, state).read_bytes())


def upload_claim(token):
    """Take the upload for applying; False when another request already took it."""
    try:
        os.rename(upload_path(token), upload_path(token, APPLYING))
    except FileNotFoundError:
        return False
    return True


def upload_release(token):
    """Give a claimed upload back (the apply found errors and wrote nothing)."""
    os.rename(upload_path(token, APPLYING), upload_path(token))


def upload_discard(token):
    for state in (PENDING, APPLYING):
        upload_path(token, state).unlink(missing_ok=True)


def uploads_purge(*, older_than=LIFETIME):
    """Delete uploads and sidecars older than `older_than`; returns how many files went."""
    limit = time.time() - older_than.total_seconds()
    removed = 0
    for path in folder().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
