"""Private file storage: evidence is never reachable by a public media URL (DESIGN.md)."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    """Files under CDHT_PRIVATE_MEDIA_ROOT (default MEDIA_ROOT/private), served only by views
    that check permission first. A callable, so migrations do not freeze a machine's path."""
    location = getattr(settings, "CDHT_PRIVATE_MEDIA_ROOT", None) or (
        Path(settings.MEDIA_ROOT) / "private"
    )
    return FileSystemStorage(location=location, base_url=None)
