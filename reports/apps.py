from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Figures against the 2025/2030 targets.

    Kept apart from `assessments` (DESIGN.md puts reports there) so that the assessments app
    stays small and the read-only report queries can be routed to a replica database.
    """

    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from learning_units.page_cache import public_pages_purged

        from .templatetags.reports_tags import forget_public_figures

        public_pages_purged.connect(forget_public_figures, dispatch_uid="cdht-public-figures")
