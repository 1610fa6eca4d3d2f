import logging

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessments.storage import is_private_path

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness for load balancers: 200 only after a real database round trip."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def media_serve(request, path):
    """Uploads served by Django in development (DEBUG) only, never a private file: evidence
    and import uploads are read through the permission-checking views alone. The path is
    resolved before it is judged, because `//private/…` or `documents/%2e%2e/private/…` reach
    the same file as `private/…`."""
    if is_private_path(path):
        raise Http404
    try:
        return static.serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation as error:  # a path leading out of MEDIA_ROOT
        raise Http404 from error
