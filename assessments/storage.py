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
