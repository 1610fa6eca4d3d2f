"""The officers' review admin (menu “Assessments”): queues per status for the officer's subtree,
the review screen, bulk verify / return / recognise, and revocation.

Rows reach an officer only through `AssessmentPermissionPolicy.scope` (the jurisdiction layer of
`learning_units.admin`), so an assessment outside the subtree is a 404 everywhere, crafted POSTs
included. What an officer may *do* to a row is the services' rule (`services.review.review_refusal`:
role, campaign settings, status); this policy only opens the screens.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from learning_units.admin.jurisdiction import (
    JurisdictionHistoryView,
    JurisdictionUsageView,
)
from learning_units.admin.policies import JurisdictionPermissionPolicy
from learning_units.jurisdiction import is_officer

from . import queue_counts, selectors
from .filters import AssessmentQueueFilterSet
from .models import Assessment, AssessmentStatus
from .views import review as views
from .views.queue_export import (
    QUEUE_EXPORT,
    QueueExportJobView,
    QueueExportView,
    export_job_download,
)


class AssessmentPermissionPolicy(JurisdictionPermissionPolicy):
    """Officers view the assessments of their subtree; nobody edits them through a model form.

    Group permissions are not asked for: the officer's role and the campaign decide each
    transition, and the services check them on every call.
    """

    def scope(self, user):
        return selectors.assessment_queue(user=user)

    def user_has_permission(self, user, action):
        return action == "view" and is_officer(user)


assessment_policy = AssessmentPermissionPolicy(Assessment)


class AssessmentQueueViewSet(ModelViewSet):
    model = Assessment
    icon = "tasks"
    menu_label = _("All assessments")
    url_prefix = "assessments/review"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = QueueExportView
    history_view_class = JurisdictionHistoryView
    usage_view_class = JurisdictionUsageView
    index_template_name = "assessments/review/queue_index.html"
    index_results_template_name = "assessments/review/queue_results.html"
    filterset_class = AssessmentQueueFilterSet
    search_fields = ["citizen__search_name"]  # enables the box; the view searches its own way
    search_backend_name = None
    list_per_page = 50
    # “Download XLSX/CSV” in the header: the queue under its filters, status and search.
    list_export = list(QUEUE_EXPORT)
    export_headings = {field: heading for field, (heading, _value) in QUEUE_EXPORT.items()}
    export_filename = "hang-doi-danh-gia"
    # A model form would bypass the workflow: reviewing happens on the review screen only.
    form_fields = ["status"]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(review_url_name=self.get_url_name("review"), **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/", self.review_view, name="review"),
            path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
            path("exports/<int:pk>/", QueueExportJobView.as_view(), name="export_job"),
            path("exports/<int:pk>/download/", export_job_download, name="export_download"),
        ]

    @property
    def review_view(self):
        return self.construct_view(
            views.AssessmentReviewView, index_url_name=self.get_url_name("index")
        )


# The queues of the menu: one per status an officer acts on, then everything. Each is named
# by its status's label, so the menu item and the tab it opens say the same (docs/glossary.md).
QUEUES = [
    (AssessmentStatus.SUBMITTED, "time"),
    (AssessmentStatus.VERIFIED, "success"),
    (AssessmentStatus.RETURNED, "undo"),
    (AssessmentStatus.RECOGNISED, "tick-inverse"),
    (AssessmentStatus.REJECTED, "cross"),
]


# What waits for an officer's action, in the order of the round (the admin home's panel).
WAITING = (AssessmentStatus.SUBMITTED, AssessmentStatus.VERIFIED)


def waiting_queues(user):
    """[{status, label, count, url}] of the queues that wait for action in the user's subtree,
    read from the kept figures (`queue_counts`), else counted in one grouped query."""
    index_url = reverse("assessment_review:index")
    counts = queue_counts.kept_status_counts(user=user, filters={})
    if counts is None:
        counts = selectors.assessment_status_counts(selectors.assessment_queue(user=user))
    return [
        {
            "status": status.value,
            "label": status.label,
            "count": counts[status.value],
            "url": f"{index_url}?status={status.value}",
        }
        for status in WAITING
    ]


class QueueMenuItem(MenuItem):
    def is_shown(self, request):
        return assessment_policy.user_has_permission(request.user, "view")


class ReviewViewSetGroup(ViewSetGroup):
    menu_label = _("Assessments")
    menu_icon = "tasks"
    menu_order = 160
    items = (AssessmentQueueViewSet("assessment_review"),)

    def get_submenu_items(self):
        queue_viewset = self.registerables[0]
        index_url = reverse(queue_viewset.get_url_name("index"))
        items = [
            QueueMenuItem(
                status.label,
                f"{index_url}?status={status.value}",
                name=f"assessment-queue-{status.value}",
                icon_name=icon,
                order=order,
            )
            for order, (status, icon) in enumerate(QUEUES, start=1)
        ]
        return [*items, queue_viewset.get_menu_item(order=len(items) + 1)]
