from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Public site")

    def ready(self):
        from assessments.certificates.addresses import register_area_pages

        from .models import CommunePage, ProvincePage
        from .page_cache import connect_signals

        connect_signals()
        # With several Sites, a certificate names the one holding its association's pages.
        register_area_pages(CommunePage)
        register_area_pages(ProvincePage)
