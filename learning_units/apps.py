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
        connect()
        self.connect_officer_groups()

    def connect_officer_groups(self):
        """Officers' groups are made by `migrate` and follow their roles (officer_groups)."""
        from django.db.models.signals import post_delete, post_migrate, post_save

        from .models import OfficerRole
        from .officer_groups import officer_groups_ensure, officer_groups_sync

        user_model = OfficerRole._meta.get_field("user").related_model

        def role_changed(sender, instance, raw=False, origin=None, **kwargs):
            if raw:
                return  # fixtures load rows as they are
            if isinstance(origin, user_model):
                return  # the user is being deleted: their memberships go with them
            officer_groups_sync(instance.user)

        post_migrate.connect(officer_groups_ensure, dispatch_uid="cdht_officer_groups")
        post_save.connect(
            role_changed, sender=OfficerRole, weak=False, dispatch_uid="cdht_role_saved"
        )
        post_delete.connect(
            role_changed, sender=OfficerRole, weak=False, dispatch_uid="cdht_role_deleted"
        )
