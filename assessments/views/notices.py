"""The citizen's notices about their assessments: marking them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..notifications import notices_mark_read


@login_required
@require_POST
def mark_read(request):
    """One button under the notices; repeating it (double click, back button) changes nothing."""
    if notices_mark_read(user=request.user):
        messages.success(request, _("Your messages are marked as read."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("assessments:mine")
    # Always a URL: `redirect` would take a bare "123" for a view name (NoReverseMatch).
    return HttpResponseRedirect(back)
