"""Pending course completions in the admin: learners of an LMS report who are no citizens yet.

Read-only for officers whose jurisdiction covers the source's area (`lms.pending`); listed,
searched by learner and exported (the officers follow the learners up, or wait for them to
register: the completion then attaches by itself).
"""

from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.permissions import register_permission_policy

from ..lms.pending import pending_for_officer
from ..models import PendingCompletion
from .jurisdiction import JurisdictionIndexView, JurisdictionViewSet
from .policies import JurisdictionPermissionPolicy


class PendingCompletionPermissionPolicy(JurisdictionPermissionPolicy):
    role_actions = ("view",)

    def scope(self, user):
        return pending_for_officer(user).select_related("source__area")

    def area_path(self, instance):
        return instance.source.area.path


register_permission_policy(PendingCompletion, PendingCompletionPermissionPolicy(PendingCompletion))


class PendingCompletionIndexView(JurisdictionIndexView):
    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(
            Q(learner_key__icontains=self.search_query)
            | Q(learner_name__icontains=self.search_query)
        )

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "learner_key",
                label=_("Learner"),
                sort_key="learner_key",
                get_url=self.get_inspect_url,
            ),
            Column("learner_name", label=_("Name in the LMS")),
            Column("source", label=_("LMS source")),
            Column("course_title", label=_("Course"), sort_key="course_title"),
            DateColumn("completed_on", label=_("Completed on"), sort_key="completed_on"),
        ]


class PendingCompletionViewSet(JurisdictionViewSet):
    model = PendingCompletion
    icon = "time"
    url_prefix = "learning-citizens/pending-completions"
    index_view_class = PendingCompletionIndexView
    inspect_view_enabled = True
    inspect_view_fields = [
        "source",
        "learner_key",
        "learner_name",
        "course_id",
        "course_title",
        "completed_on",
        "grade",
        "created_at",
        "updated_at",
    ]
    copy_view_enabled = False
    form_fields = ["learner_name"]  # read-only: the policy allows no add, change or delete
    export_filename = "hoc-vien-chua-dang-ky"
    list_export = [
        "learner_key",
        "learner_name",
        "source",
        "course_id",
        "course_title",
        "completed_on",
    ]
    list_filter = ["source"]
    search_fields = ["learner_key"]  # enables the search box; the index view searches
