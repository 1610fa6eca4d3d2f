from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Figures against the 2025/2030 targets.

    Kept apart from `assessments` (DESIGN.md puts reports there) so that the assessments app
    stays small and the read-only report queries can be routed to a replica database.
    """

    name = "reports"
    # What the migrations were made with, whatever DEFAULT_AUTO_FIELD a host site sets.
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Reports")

    def ready(self):
        from assessments import listing_figures, queue_counts
        from assessments.signals import assessments_moved
        from learning_units.page_cache import public_pages_purged

        from . import signal_handlers, summaries
        from .services import summaries_on_moved
        from .templatetags.reports_tags import forget_public_figures

        assessments_moved.connect(summaries_on_moved, dispatch_uid="reports-summaries")
        public_pages_purged.connect(forget_public_figures, dispatch_uid="cdht-public-figures")
        signal_handlers.connect()
        listing_figures.register(years=summaries.recognition_years, counts=summaries.listing_counts)
        queue_counts.register(summaries.queue_status_counts)
