from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningUnitsConfig(AppConfig):
    name = "learning_units"
    # What the migrations were made with, whatever DEFAULT_AUTO_FIELD a host site sets.
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Areas, citizens and learning units")

    def ready(self):
        # Registered before any hook module asks the registry, so that Wagtail never creates
        # a fallback (jurisdiction-blind) policy for these models.
        from wagtail.permissions import register_permission_policy

        from . import checks, template_checks  # noqa: F401 (register the system checks)
        from .admin.policies import POLICIES
        from .audit_scope import register_audit_scope
        from .data_protection import register_personal_data_sections
        from .signal_handlers import connect

        for model, policy in POLICIES.items():
            register_permission_policy(model, policy)
        register_audit_scope()
        register_personal_data_sections()
        connect()  # every signal of the app: signal_handlers
