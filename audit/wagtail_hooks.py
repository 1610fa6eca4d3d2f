from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", include((views.admin_urls(), "audit")))]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return views.AuditMenuItem(
        _("Audit log"), reverse("audit:log"), name="audit", icon_name="history", order=900
    )
