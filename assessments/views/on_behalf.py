"""A branch officer helps a citizen of their area on the public site (DOMAIN.md: many citizens
have few digital skills). The officer finds the citizen here, then uses the same step views;
the services record `entered_by` and mark the events as on the citizen's behalf."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from learning_units.jurisdiction import is_officer
from learning_units.layout import render
from learning_units.selectors import citizens_for_officer

from ..models import SubjectKind
from .public import subject_rounds


def _officer_only(user):
    if not is_officer(user):
        raise Http404


@login_required
def citizen_list(request):
    _officer_only(request.user)
    query = request.GET.get("q", "").strip()
    citizens = citizens_for_officer(request.user).search(query).order_by("search_name", "pk")
    # Not "page": the site's base template reads `page` as the Wagtail page being shown.
    citizens = Paginator(citizens, 20).get_page(request.GET.get("page"))
    return render(
        request, "assessments/public/on_behalf_list.html", {"citizens": citizens, "query": query}
    )


@login_required
def citizen_detail(request, citizen_id):
    _officer_only(request.user)
    citizen = get_object_or_404(citizens_for_officer(request.user), pk=citizen_id)
    audit_record(request=request, action=AuditAction.VIEW, obj=citizen)
    today = timezone.localdate()
    return render(
        request,
        "assessments/public/on_behalf_citizen.html",
        {
            "citizen": citizen,
            "own": subject_rounds(citizen, SubjectKind.CITIZEN, today),
            "year": today.year,
        },
    )
