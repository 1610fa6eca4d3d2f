"""The officers' queue filters, shared by the queue listing and its “select all matching”
bulk actions, so that both select exactly the same rows."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import NumberRangeWidget
from wagtail.admin.widgets import BooleanRadioSelect

from learning_units.filters import JurisdictionFilterSet
from learning_units.models import TargetGroup

from . import selectors
from .models import Assessment, AssessmentStatus

SEARCH_PARAM = "q"  # Wagtail's search box of the listing


class AssessmentQueueFilterSet(JurisdictionFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssessmentStatus.choices)
    target_group = django_filters.ChoiceFilter(label=_("Target group"), choices=TargetGroup.choices)
    year = django_filters.NumberFilter(label=_("Year"))
    score = django_filters.RangeFilter(
        label=_("Points"), widget=NumberRangeWidget(attrs={"min": 0, "step": "0.5"})
    )
    has_evidence = django_filters.BooleanFilter(label=_("Has evidence"), widget=BooleanRadioSelect)

    class Meta:
        model = Assessment
        fields = ["province", "area", "status", "target_group", "year", "score", "has_evidence"]


def queue_matching(request, params=None):
    """The queue rows the listing shows under the request's filters and search (or those of
    `params`, a queue's query string kept by the review screen), all pages.

    As in the listing (Wagtail's `IndexView.filter_queryset`), filters that do not validate
    are ignored rather than failing; the rows never leave the officer's subtree.
    """
    params = request.GET if params is None else params
    queryset = selectors.assessment_queue(user=request.user)
    filters = AssessmentQueueFilterSet(params, queryset=queryset, request=request)
    if filters.is_valid():
        queryset = filters.filter_queryset(queryset)
    return selectors.assessment_search(queryset, params.get(SEARCH_PARAM, "")[:255])
