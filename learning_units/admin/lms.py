"""LMS sources (with their API tokens) and the course completions they bring, in the admin.

Managing sources is for superusers and officers of a province or above, each over the
sources of their subtree; completions are read-only for every officer, within their
jurisdiction (by the citizen's area). Both are role-based rather than group-based: the officer
groups of `officer_groups.officer_group_permissions` need no new permission for them.
"""

from django.contrib.admin.utils import quote
from django.db.models import Q
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_filters import ChoiceFilter, FilterSet, NumberFilter
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import CreateView
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from .. import jurisdiction, selectors
from ..admin_forms import AreaChoiceField
from ..filters import AreaFilter, BoundedNumbersMixin
from ..lms import selectors as lms_selectors
from ..lms.services import lms_source_rotate_token, lms_source_token_set
from ..models import AreaLevel, CourseCompletion, LearnerMapping, LmsSource
from ..text import search_key
from .choosers import citizen_chooser_viewset
from .jurisdiction import (
    JurisdictionEditView,
    JurisdictionIndexView,
    JurisdictionMixin,
    JurisdictionViewSet,
)
from .labels import area_label, citizen_label
from .policies import JurisdictionPermissionPolicy

# --- permissions ------------------------------------------------------------------------


class LmsSourcePermissionPolicy(JurisdictionPermissionPolicy):
    role_actions = ("add", "change", "view")  # deactivated, never deleted: completions name it

    def user_allowed(self, user):
        level = jurisdiction.top_level(user)
        return level is not None and level <= AreaLevel.PROVINCE

    def scope(self, user):
        return lms_selectors.lms_sources_for_officer(user).select_related("area__parent")

    def area_path(self, instance):
        return instance.area.path


class CourseCompletionPermissionPolicy(JurisdictionPermissionPolicy):
    role_actions = ("view",)

    def scope(self, user):
        return lms_selectors.completions_for_officer(user).select_related("citizen__area__parent")

    def area_path(self, instance):
        return instance.citizen.area.path


class LearnerMappingPermissionPolicy(LmsSourcePermissionPolicy):
    role_actions = ("add", "change", "delete", "view")

    def scope(self, user):
        return LearnerMapping.objects.filter(
            source__in=lms_selectors.lms_sources_for_officer(user)
        ).select_related("source__area", "citizen")

    def area_path(self, instance):
        return instance.source.area.path


register_permission_policy(LmsSource, LmsSourcePermissionPolicy(LmsSource))
register_permission_policy(LearnerMapping, LearnerMappingPermissionPolicy(LearnerMapping))
register_permission_policy(CourseCompletion, CourseCompletionPermissionPolicy(CourseCompletion))


# --- LMS sources ------------------------------------------------------------------------


class LmsSourceForm(WagtailAdminModelForm):
    class Meta:
        model = LmsSource
        fields = ["name", "provider", "area", "matching", "is_active"]
        field_classes = {"area": AreaChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (
            selectors.areas_for_officer(self.for_user)
            .filter(level__lte=AreaLevel.COMMUNE, is_active=True)
            .select_related("parent")
            .order_by("path")
        )


def render_token(view, source, token):
    """The page that shows a token, once: never stored, never put in a message."""
    response = render(
        view.request,
        "learning_units/admin/lms_source_token.html",
        {
            **view.get_context_data(),
            "source": source,
            "token": token,
            "api_url": view.request.build_absolute_uri(
                reverse("learning_units_api:lms_completions")
            ),
            # The xAPI base (senders append "statements" and "about" themselves).
            "xapi_url": view.request.build_absolute_uri(reverse("xapi:about"))[: -len("about")],
            "index_url": reverse(view.index_url_name),
        },
    )
    add_never_cache_headers(response)
    return response


class LmsSourceCreateView(CreateView):
    def save_instance(self):
        self.token = lms_source_token_set(source=self.form.instance)
        self.form.instance.created_by = self.request.user
        return super().save_instance()

    def save_action(self):
        return render_token(self, self.object, self.token)


class LmsSourceEditView(JurisdictionEditView):
    rotate_token_url_name = None

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Rotate token"),
                url=reverse(self.rotate_token_url_name, args=(quote(self.object.pk),)),
                icon_name="key",
                priority=40,
            ),
        ]


class LmsSourceIndexView(JurisdictionIndexView):
    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(name__icontains=self.search_query)

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class("name", label=_("Name"), sort_key="name", get_url=self.get_edit_url),
            Column("provider", label=_("Provider"), accessor="get_provider_display"),
            Column("area", label=_("Area"), accessor=lambda source: area_label(source.area)),
            Column("matching", label=_("Learner matching"), accessor="get_matching_display"),
            Column(
                "is_active",
                label=_("Active"),
                accessor=lambda source: _("yes") if source.is_active else _("no"),
            ),
            Column("token_prefix", label=_("Token starts with")),
            DateColumn("last_used_at", label=_("Last used"), sort_key="last_used_at"),
        ]


class LmsSourceRotateTokenView(
    JurisdictionMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView
):
    """GET asks; POST replaces the token (the old one stops working) and shows the new once."""

    model = LmsSource
    permission_required = "change"
    template_name = "learning_units/admin/lms_source_rotate.html"
    page_title = gettext_lazy("Rotate token")
    header_icon = "key"
    http_method_names = ["get", "post"]
    index_url_name = None
    edit_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.get_object_in_jurisdiction(kwargs["pk"])
        self.check_instance_permission("change", self.object)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(LmsSource._meta.verbose_name_plural),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            source=self.object,
            edit_url=reverse(self.edit_url_name, args=(quote(self.object.pk),)),
        )
        return context

    def post(self, request, *args, **kwargs):
        token = lms_source_rotate_token(source=self.object)
        return render_token(self, self.object, token)


class LmsSourceViewSet(JurisdictionViewSet):
    model = LmsSource
    icon = "link"
    menu_label = gettext_lazy("LMS sources")
    url_prefix = "learning-citizens/lms-sources"
    index_view_class = LmsSourceIndexView
    add_view_class = LmsSourceCreateView
    edit_view_class = LmsSourceEditView
    rotate_token_view_class = LmsSourceRotateTokenView
    inspect_view_enabled = False
    copy_view_enabled = False
    list_filter = ["provider", "is_active"]
    search_fields = ["name"]

    def get_form_class(self, for_update=False):
        return LmsSourceForm

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            rotate_token_url_name=self.get_url_name("rotate_token"), **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "rotate-token/<int:pk>/",
                self.construct_view(
                    self.rotate_token_view_class,
                    index_url_name=self.get_url_name("index"),
                    edit_url_name=self.get_url_name("edit"),
                ),
                name="rotate_token",
            ),
        ]


# --- learner mappings (sources that match learners by LMS username) ----------------------


class LearnerMappingForm(WagtailAdminModelForm):
    class Meta:
        model = LearnerMapping
        fields = ["source", "username", "citizen"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = lms_selectors.lms_sources_for_officer(
            self.for_user
        ).filter(matching=LmsSource.Matching.USERNAME)
        self.fields["citizen"].queryset = selectors.citizens_for_officer(self.for_user)
        self.fields["citizen"].widget = citizen_chooser_viewset.widget_class()

    def clean_username(self):
        return self.cleaned_data["username"].strip()

    def clean(self):
        cleaned_data = super().clean()
        source, username = cleaned_data.get("source"), cleaned_data.get("username")
        if source and username:
            taken = LearnerMapping.objects.filter(source=source, username__iexact=username).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                self.add_error("username", _("This username is already mapped for this source."))
        return cleaned_data


class LearnerMappingIndexView(JurisdictionIndexView):
    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(
            Q(username__icontains=self.search_query)
            | Q(citizen__search_name__contains=search_key(self.search_query))
        )

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "username", label=_("LMS username"), sort_key="username", get_url=self.get_edit_url
            ),
            Column("source", label=_("LMS source")),
            Column(
                "citizen",
                label=_("Citizen"),
                accessor=lambda mapping: citizen_label(mapping.citizen),
            ),
        ]


class LearnerMappingViewSet(JurisdictionViewSet):
    model = LearnerMapping
    icon = "user"
    url_prefix = "learning-citizens/learner-mappings"
    index_view_class = LearnerMappingIndexView
    inspect_view_enabled = False
    copy_view_enabled = False
    search_fields = ["username"]
    list_filter = ["source"]

    def get_form_class(self, for_update=False):
        return LearnerMappingForm


# --- course completions -----------------------------------------------------------------


class CourseCompletionFilterSet(BoundedNumbersMixin, FilterSet):
    provider = ChoiceFilter(
        label=gettext_lazy("Provider"), choices=CourseCompletion.Provider.choices
    )
    source = ChoiceFilter(label=gettext_lazy("Source"), choices=CourseCompletion.Source.choices)
    year = NumberFilter(
        label=gettext_lazy("Year completed"), field_name="completed_on", lookup_expr="year"
    )
    citizen__area = AreaFilter(
        label=gettext_lazy("Area"),
        queryset=lambda request: selectors.areas_for_officer(request.user).filter(
            level__lte=AreaLevel.COMMUNE
        ),
        method="in_area",
    )

    class Meta:
        model = CourseCompletion
        fields = ["provider", "source", "year"]

    def in_area(self, queryset, name, area):
        return queryset.filter(jurisdiction.under("citizen__area__path", area.path))


class CourseCompletionIndexView(JurisdictionIndexView):
    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return selectors.search_by_name(queryset, self.search_query, "citizen__search_name")

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "course_title",
                label=_("Course"),
                sort_key="course_title",
                get_url=self.get_inspect_url,
            ),
            Column(
                "citizen",
                label=_("Citizen"),
                accessor=lambda completion: citizen_label(completion.citizen),
                sort_key="citizen__search_name",
            ),
            Column("provider", label=_("Provider"), accessor="get_provider_display"),
            DateColumn("completed_on", label=_("Completed on"), sort_key="completed_on"),
            Column("hours", label=_("Hours")),
            Column("source", label=_("Source"), accessor="get_source_display"),
        ]


class CourseCompletionViewSet(JurisdictionViewSet):
    model = CourseCompletion
    icon = "tick-inverse"
    url_prefix = "learning-citizens/course-completions"
    index_view_class = CourseCompletionIndexView
    filterset_class = CourseCompletionFilterSet
    inspect_view_fields = [
        "citizen",
        "course_title",
        "provider",
        "course_id",
        "course_url",
        "completed_on",
        "hours",
        "grade",
        "certificate_url",
        "competency_tags",
        "source",
        "external_id",
        "created_at",
    ]
    copy_view_enabled = False
    form_fields = ["course_title"]  # read-only: the policy allows no add, change or delete
    export_filename = "khoa-hoc-hoan-thanh"
    list_export = ["citizen", "course_title", "provider", "course_id", "completed_on", "hours"]
    search_fields = ["course_title"]
