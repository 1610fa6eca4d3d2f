"""Admin menus and viewsets of the learning_units app."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from .admin.areas import AreaViewSet
from .admin.choosers import citizen_chooser_viewset
from .admin.citizens import CitizenViewSet
from .admin.lms import CourseCompletionViewSet, LearnerMappingViewSet, LmsSourceViewSet
from .admin.lms_pending import PendingCompletionViewSet
from .admin.roles import OfficerRoleViewSet
from .admin.units import LearningUnitViewSet
from .imports.viewset import ImportViewSet
from .services import ONE_TIME_PASSWORD_LOG_ACTION


class LearningCitizensViewSetGroup(ViewSetGroup):
    """The officers' menu: shown to officers (and superusers) with the matching permissions."""

    menu_label = _("Learning citizens")
    menu_icon = "group"
    menu_order = 150
    items = (
        CitizenViewSet("learning_units_citizens"),
        LearningUnitViewSet("learning_units_units"),
        AreaViewSet("learning_units_areas"),
        OfficerRoleViewSet("learning_units_roles"),
        ImportViewSet(),
        CourseCompletionViewSet("learning_units_completions"),
        PendingCompletionViewSet("learning_units_pending_completions"),
        LmsSourceViewSet("learning_units_lms_sources"),
        LearnerMappingViewSet("learning_units_learner_mappings"),
    )


@hooks.register("register_admin_viewset")
def register_learning_citizens_viewsets():
    return [LearningCitizensViewSetGroup(), citizen_chooser_viewset]


@hooks.register("register_log_actions")
def register_learning_units_log_actions(actions):
    actions.register_action(
        ONE_TIME_PASSWORD_LOG_ACTION,
        _("Issue a one-time password"),
        _("Login created or reset with a one-time password"),
    )
