"""The citizen's notices about their assessments: marking them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learning_units.return_urls import return_url

from ..notifications import notices_mark_read


@login_required
@require_POST
def mark_read(request):
    """One button under the notices; repeating it (double click, back button) changes nothing."""
    if notices_mark_read(user=request.user):
        messages.success(request, _("Your messages are marked as read."))
    return redirect(return_url(request, "next", default="assessments:mine"))
