from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    # What the migrations were made with, whatever DEFAULT_AUTO_FIELD a host site sets.
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Assessments and recognition")

    def ready(self):
        from learning_units.models import Citizen, LearningUnit

        from . import page_cache_hooks, signal_handlers
        from .audit_hooks import register_audit_sections
        from .certificates import checks  # noqa: F401  (registers the fonts and address checks)
        from .certificates.addresses import register_area_pages
        from .personal_data import register_personal_data_sections

        signal_handlers.connect()
        page_cache_hooks.connect_signals(Citizen, LearningUnit)
        register_audit_sections()
        register_personal_data_sections()
        register_area_pages(self.get_model("RecognitionListingPage"))
