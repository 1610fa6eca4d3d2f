"""Admin menus and viewsets of the assessments app: criteria sets and campaigns.

Criteria and their indicators are edited on the set's own page through nested InlinePanels
(formally supported since Wagtail 2.8 via django-modelcluster's nested ClusterForms), so an
editor sees the whole tree and the totals are checked together before anything is saved.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from . import review_admin
from .forms import CampaignAdminForm, CriteriaSetAdminForm
from .models import Assessment, Campaign, CriteriaSet
from .rules import format_points
from .views import bulk_actions
from .views import certificates as certificate_views
from .views import criteria_sets as views
from .views.criteria_import import CriteriaSetImportView
from .views.criteria_translation import CriteriaSetTranslateView

INDICATOR_PANELS = [
    FieldRowPanel([FieldPanel("code"), FieldPanel("max_points")]),
    FieldPanel("title"),
    FieldPanel("guidance"),
    FieldRowPanel(
        [
            FieldPanel("evidence_required"),
            FieldPanel("is_digital_skill"),
            FieldPanel("is_members_result"),
        ]
    ),
    FieldPanel("competency_tags"),
    FieldPanel("guidance_pages"),
]
CRITERION_PANELS = [
    FieldRowPanel([FieldPanel("code"), FieldPanel("max_points"), FieldPanel("min_points")]),
    FieldPanel("title"),
    FieldPanel("description"),
    InlinePanel(
        "indicators", panels=INDICATOR_PANELS, heading=_("Indicators"), label=_("indicator")
    ),
]


class CriteriaSetViewSet(ModelViewSet):
    model = CriteriaSet
    icon = "tasks"
    menu_label = _("Criteria sets")
    add_to_admin_menu = False
    copy_view_enabled = False  # "New version" copies the whole tree; a plain copy would not
    inspect_view_enabled = True
    index_view_class = views.CriteriaSetIndexView
    inspect_view_class = views.CriteriaSetInspectView
    edit_view_class = views.CriteriaSetEditView
    delete_view_class = views.CriteriaSetDeleteView
    inspect_template_name = "assessments/admin/criteria_set_inspect.html"
    list_display = [
        "title",
        "code",
        "version",
        "subject_kind",
        "target_group",
        "years_display",
        "status",
        Column(
            "total_points",
            label=_("Total points"),
            accessor=lambda criteria_set: format_points(criteria_set.total_points),
            sort_key="total_points",
        ),
    ]
    list_filter = ["subject_kind", "target_group", "status"]
    search_fields = ["code", "title", "legal_basis_number"]
    ordering = ["code", "-version"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("code"), FieldPanel("version"), FieldPanel("status")]
                    ),
                    FieldPanel("title"),
                    FieldPanel("description"),
                ],
                heading=_("Criteria set"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("legal_basis_number"), FieldPanel("legal_basis_date")]
                    ),
                    FieldRowPanel([FieldPanel("subject_kind"), FieldPanel("target_group")]),
                    FieldRowPanel([FieldPanel("valid_from_year"), FieldPanel("valid_to_year")]),
                ],
                heading=_("Legal basis and scope"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("total_points"), FieldPanel("pass_mark")])],
                heading=_("Points and pass mark"),
            ),
            InlinePanel(
                "rating_bands",
                panels=[FieldRowPanel([FieldPanel("label"), FieldPanel("min_points")])],
                heading=_("Rating bands"),
                label=_("rating band"),
                help_text=_(
                    "Each band runs from its points up to the next band, e.g. Tốt 85, Khá 70, "
                    "Trung bình 50: below the lowest band nothing is recognised."
                ),
            ),
            InlinePanel(
                "criteria", panels=CRITERION_PANELS, heading=_("Criteria"), label=_("criterion")
            ),
        ],
        base_form_class=CriteriaSetAdminForm,
    )

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                f"{name}_url_name": self.get_url_name(name)
                for name in ("inspect", "new_version", "compare", "export", "import", "translate")
            },
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("new-version/<int:pk>/", self.new_version_view, name="new_version"),
            path("compare/", self.compare_view, name="compare"),
            path("export/<int:pk>/", self.export_view, name="export"),
            path("import/", self.import_view, name="import"),
            path("translate/<int:pk>/", self.translate_view, name="translate"),
        ]

    @property
    def new_version_view(self):
        return self.construct_view(views.CriteriaSetNewVersionView)

    @property
    def compare_view(self):
        return self.construct_view(views.CriteriaSetCompareView)

    @property
    def export_view(self):
        return self.construct_view(views.CriteriaSetExportView)

    @property
    def import_view(self):
        return self.construct_view(CriteriaSetImportView)

    @property
    def translate_view(self):
        return self.construct_view(CriteriaSetTranslateView)


class CampaignViewSet(ModelViewSet):
    model = Campaign
    icon = "date"
    menu_label = _("Campaigns")
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["__str__", "year", "scope", "subject_kind", "opens_on", "closes_on", "status"]
    list_filter = ["year", "subject_kind", "status"]
    ordering = ["-year", "scope__path", "subject_kind"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("year"), FieldPanel("subject_kind"), FieldPanel("status")]
                    ),
                    FieldPanel("scope"),
                    FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                    FieldRowPanel([FieldPanel("verifying_role"), FieldPanel("recognising_role")]),
                    FieldPanel("title"),
                ],
                heading=_("Campaign"),
            ),
            InlinePanel(
                "assigned_sets",
                panels=[FieldPanel("target_group"), FieldPanel("criteria_set")],
                heading=_("Criteria sets"),
                label=_("criteria set"),
                help_text=_("Citizens: one set per target group. Other titles: one set."),
            ),
            InlinePanel(
                "province_deadlines",
                panels=[FieldRowPanel([FieldPanel("province"), FieldPanel("closes_on")])],
                heading=_("Province deadlines"),
                label=_("province deadline"),
                help_text=_("Optional: a province's own closing date."),
            ),
        ],
        base_form_class=CampaignAdminForm,
    )


class CriteriaAndCampaignsGroup(ViewSetGroup):
    menu_label = _("Criteria and campaigns")
    menu_icon = "tasks"
    menu_order = 250
    items = (CriteriaSetViewSet("criteria_sets"), CampaignViewSet("campaigns"))


@hooks.register("register_admin_viewset")
def register_criteria_and_campaigns():
    return CriteriaAndCampaignsGroup()


# --- Review and recognition: the officers' menu, bulk actions and permission policy. ---

register_permission_policy(Assessment, review_admin.assessment_policy)


@hooks.register("register_admin_viewset")
def register_review():
    return review_admin.ReviewViewSetGroup()


for bulk_action in bulk_actions.BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


class WaitingPanel(Component):
    """First on the admin home: how many assessments of the officer's subtree wait in each
    queue the officer works through, each a link to that queue."""

    name = "cdht_waiting"
    order = 10  # before Wagtail's panels and the reports (90)
    template_name = "assessments/review/waiting_panel.html"

    def __init__(self, queues):
        self.queues = queues

    def get_context_data(self, parent_context=None):
        return {"queues": self.queues, "total": sum(queue["count"] for queue in self.queues)}

    class Media:
        css = {"all": ["assessments/review.css"]}


@hooks.register("construct_homepage_panels")
def add_waiting_panel(request, panels):
    if not review_admin.assessment_policy.user_has_permission(request.user, "view"):
        return
    panels.append(WaitingPanel(review_admin.waiting_queues(request.user)))


# --- Certificates and dossiers (issue #8): decisions, batches, dossiers under /admin/certificates/.


@hooks.register("register_admin_urls")
def register_certificate_urls():
    urls = (certificate_views.admin_urls(), "assessments_certificates")
    return [path("certificates/", include(urls))]


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return certificate_views.CertificatesMenuItem(
        _("Certificates and dossiers"),
        reverse("assessments_certificates:decisions"),
        name="certificates",
        icon_name="doc-full",
        order=170,
    )
