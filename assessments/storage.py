"""Private file storage: evidence is never reachable by a public media URL (DESIGN.md)."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

from .conf import setting


def private_storage():
    """Files under CDHT_PRIVATE_MEDIA_ROOT (default MEDIA_ROOT/private), served only by views
    that check permission first. A callable, so migrations do not freeze a machine's path.

    With several web machines, CDHT_PRIVATE_STORAGE names an entry of STORAGES instead (e.g. a
    private S3-compatible bucket, docs/deploy.md): every machine then sees the same files.
    """
    alias = setting("PRIVATE_STORAGE")
    if alias:
        return storages[alias]
    location = setting("PRIVATE_MEDIA_ROOT") or (Path(settings.MEDIA_ROOT) / "private")
    return FileSystemStorage(location=location, base_url=None)


def private_roots():
    """Every folder holding private files on this machine, resolved (symbolic links followed):
    the evidence folder and MEDIA_ROOT/private (import uploads, certificate archives)."""
    folders = {Path(settings.MEDIA_ROOT) / "private"}
    if setting("PRIVATE_MEDIA_ROOT"):
        folders.add(Path(setting("PRIVATE_MEDIA_ROOT")))
    return [folder.resolve() for folder in folders]


def is_private_path(path):
    """Whether `path` (relative to MEDIA_ROOT, as a URL gives it) lands in a private folder,
    however it is written: `//private/…`, `documents/../private/…`, a symbolic link. A path
    that cannot be a file name (a NUL byte) counts as private: it is refused too."""
    try:
        target = (Path(settings.MEDIA_ROOT) / path.lstrip("/")).resolve()
    except (ValueError, OSError):
        return True
    return any(target == root or root in target.parents for root in private_roots())
