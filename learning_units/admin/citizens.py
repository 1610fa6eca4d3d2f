"""Citizens in the officer admin: list (masked IDs), inspect (full ID), export, and the
“create login / one-time password” action for registering a citizen on their behalf."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button, HeaderButton

from .. import selectors, services
from ..admin_forms import CitizenAdminForm
from ..filters import CitizenFilterSet
from ..models import AreaLevel, Citizen, LearningUnit
from .citizen_actions import CitizenActionView
from .data_protection import CitizenAnonymiseView
from .jurisdiction import (
    JurisdictionEditView,
    JurisdictionIndexView,
    JurisdictionInspectView,
    JurisdictionViewSet,
)
from .labels import area_label

# Exported columns: the ID stays masked and choices carry their human labels.
CITIZEN_EXPORT = {
    "full_name": (gettext_lazy("Full name"), lambda c: c.full_name),
    "citizen_id": (gettext_lazy("Citizen ID"), lambda c: c.masked_citizen_id),
    "gender": (gettext_lazy("Gender"), lambda c: c.get_gender_display()),
    "birth_year": (gettext_lazy("Birth year"), lambda c: c.birth_year),
    "area": (gettext_lazy("Area"), lambda c: area_label(c.area)),
    "target_group": (gettext_lazy("Target group"), lambda c: c.get_target_group_display()),
    "occupation": (gettext_lazy("Occupation"), lambda c: c.occupation),
    "ethnicity": (gettext_lazy("Ethnicity"), lambda c: c.ethnicity),
    "has_login": (gettext_lazy("Has a login"), lambda c: _("Yes") if c.user_id else _("No")),
}


def one_time_password_label(citizen):
    if citizen.user_id:
        return _("Reset to a one-time password")
    return _("Create login")


class OneTimePasswordLinkMixin:
    one_time_password_url_name = None

    def get_one_time_password_url(self, citizen):
        return reverse(self.one_time_password_url_name, args=(quote(citizen.pk),))


class CitizenIndexView(JurisdictionIndexView):
    list_export = list(CITIZEN_EXPORT)
    export_headings = {field: label for field, (label, _getter) in CITIZEN_EXPORT.items()}

    def search_queryset(self, queryset):
        """Accent-insensitive on the name, or the ID's first digits (Citizen.objects.search)."""
        return queryset.search(self.search_query) if self.is_searching else queryset

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "full_name",
                label=_("Full name"),
                sort_key="search_name",
                get_url=self.get_inspect_url,
            ),
            Column("masked_citizen_id", label=_("Citizen ID")),
            Column("gender", label=_("Gender"), accessor="get_gender_display"),
            Column("birth_year", label=_("Birth year"), sort_key="birth_year"),
            Column(
                "area",
                label=_("Area"),
                accessor=lambda citizen: area_label(citizen.area),
                sort_key="area__path",
            ),
            Column(
                "target_group",
                label=_("Target group"),
                accessor="get_target_group_display",
                sort_key="target_group",
            ),
        ]

    def to_row_dict(self, item):
        return {field: getter(item) for field, (_label, getter) in CITIZEN_EXPORT.items()}


class CitizenCreateView(OneTimePasswordLinkMixin, generic.CreateView):
    """After creating, the officer lands on the record, one click from creating the login."""

    inspect_url_name = None

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=(quote(self.object.pk),))

    def get_success_buttons(self):
        return [messages.button(self.get_one_time_password_url(self.object), _("Create login"))]


class CitizenEditView(OneTimePasswordLinkMixin, JurisdictionEditView):
    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                one_time_password_label(self.object),
                url=self.get_one_time_password_url(self.object),
                icon_name="key",
                priority=40,
            ),
        ]


class CitizenInspectView(OneTimePasswordLinkMixin, JurisdictionInspectView):
    """The full record: only officers of the citizen's area reach it, so the ID is unmasked."""

    template_name = "learning_units/admin/citizen_inspect.html"

    @cached_property
    def header_buttons(self):
        if not self.user_has_permission_for_instance("change", self.object):
            return []
        buttons = [
            HeaderButton(
                one_time_password_label(self.object),
                url=self.get_one_time_password_url(self.object),
                icon_name="key",
            )
        ]
        if self.user_has_permission_for_instance("delete", self.object):
            namespace = self.index_url_name.rsplit(":", 1)[0]
            buttons.append(
                HeaderButton(
                    _("Anonymise on request"),
                    url=reverse(f"{namespace}:anonymise", args=(quote(self.object.pk),)),
                    icon_name="warning",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        citizen = self.object
        url_finder = AdminURLFinder(self.request.user)
        ancestors = list(selectors.area_ancestors(citizen.area))
        commune = next((area for area in ancestors if area.level == AreaLevel.COMMUNE), None)
        units = (
            LearningUnit.objects.filter(Q(members=citizen) | Q(head=citizen))
            .select_related("area")
            .distinct()
            .order_by("kind", "search_name")
        )
        context.update(
            citizen=citizen,
            area_path=[area for area in ancestors if area.level > AreaLevel.CENTRAL],
            commune=commune,
            learning_units=[
                (unit, unit.head_id == citizen.pk, url_finder.get_edit_url(unit)) for unit in units
            ],
            account=citizen.user,
        )
        return context


class CitizenOneTimePasswordView(OneTimePasswordLinkMixin, CitizenActionView):
    """GET explains and asks; POST creates or resets the login and shows the password once.

    The password is rendered in the POST response only: never stored in clear, never put in a
    message or the session, and the page is marked no-store.
    """

    permission_required = "change"
    template_name = "learning_units/admin/citizen_one_time_password.html"
    page_title = gettext_lazy("Login and one-time password")
    header_icon = "key"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            citizen=self.object,
            account=self.object.user,
            inspect_url=self.inspect_url,
            action_url=self.get_one_time_password_url(self.object),
            action_label=one_time_password_label(self.object),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            password = services.citizen_issue_one_time_password(
                citizen=self.object, officer=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            reason = getattr(error, "messages", None) or [str(arg) for arg in error.args]
            messages.error(request, " ".join(reason) or _("The login could not be changed."))
            return redirect(self.inspect_url)
        self.object.refresh_from_db()
        response = self.render_to_response(self.get_context_data(password=password))
        add_never_cache_headers(response)
        return response


class CitizenViewSet(JurisdictionViewSet):
    model = Citizen
    icon = "user"
    url_prefix = "learning-citizens/citizens"
    index_view_class = CitizenIndexView
    add_view_class = CitizenCreateView
    edit_view_class = CitizenEditView
    inspect_view_class = CitizenInspectView
    one_time_password_view_class = CitizenOneTimePasswordView
    anonymise_view_class = CitizenAnonymiseView
    copy_view_enabled = False  # a copy of a person is never what an officer wants
    filterset_class = CitizenFilterSet
    export_filename = "cong-dan"

    def get_form_class(self, for_update=False):
        return CitizenAdminForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            one_time_password_url_name=self.get_url_name("one_time_password"), **kwargs
        )

    @property
    def one_time_password_view(self):
        return self.construct_view(self.one_time_password_view_class)

    @property
    def anonymise_view(self):
        return self.construct_view(self.anonymise_view_class)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "one-time-password/<int:pk>/",
                self.one_time_password_view,
                name="one_time_password",
            ),
            path("anonymise/<int:pk>/", self.anonymise_view, name="anonymise"),
        ]
