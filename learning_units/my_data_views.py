"""A citizen downloads a copy of their own personal data (right of access, Decree 13/2023).

Only one's own record: the citizen is found from the logged-in account, never from the URL, so
there is nothing another person could ask for. Every download is written to the audit log.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from audit.models import AuditAction
from audit.services import audit_record

from .data_protection import citizen_data_export, export_json, export_xlsx
from .layout import render
from .models import Citizen
from .selectors import own_citizen

FORMATS = {
    "json": ("application/json; charset=utf-8", export_json),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export_xlsx),
}


@login_required
@never_cache
def my_data(request):
    citizen = own_citizen(request.user)
    return render(request, "learning_units/my_data.html", {"citizen": citizen})


@login_required
@never_cache
def my_data_download(request, file_format):
    if file_format not in FORMATS:
        raise Http404
    citizen = Citizen.objects.filter(user=request.user).select_related("area", "workplace").first()
    if citizen is None:
        raise Http404
    content_type, write = FORMATS[file_format]
    content = write(citizen_data_export(citizen=citizen))
    audit_record(
        request=request,
        action=AuditAction.OWN_DATA_EXPORT,
        obj=citizen,
        detail={"format": file_format},
    )
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = content_disposition_header(
        True, f"du-lieu-ca-nhan-{stamp}.{file_format}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
