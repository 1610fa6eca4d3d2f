"""Private file storage: evidence is never reachable by a public media URL (DESIGN.md)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    """Files under CDHT_PRIVATE_MEDIA_ROOT (default MEDIA_ROOT/private), served only by views
    that check permission first."""

    def _setup(self):
        location = getattr(settings, "CDHT_PRIVATE_MEDIA_ROOT", None) or (
            settings.MEDIA_ROOT / "private"
            if hasattr(settings.MEDIA_ROOT, "joinpath")
            else f"{settings.MEDIA_ROOT}/private"
        )
        self._wrapped = FileSystemStorage(location=location, base_url=None)


private_storage = PrivateStorage()
