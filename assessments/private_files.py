"""Answering with a private file once a view has checked permission (DESIGN.md: never a public
media URL).

By default Django streams the file. Behind nginx, set CDHT_PRIVATE_MEDIA_ACCEL_PREFIX to an
`internal` location aliased to the private folder (see docs/backup.md for the folder) and the
response carries only `X-Accel-Redirect`: nginx sends the bytes, no Python worker is held by a
slow phone download, and the file still cannot be reached without passing through the view.

    location /_private/ { internal; alias /srv/cdht/media/private/; }
"""

from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from .conf import setting


def private_file_response(field_file, *, filename, content_type, as_attachment=True):
    prefix = setting("PRIVATE_MEDIA_ACCEL_PREFIX")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(field_file.name)}"
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        response = FileResponse(
            field_file.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
