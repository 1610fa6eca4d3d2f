"""The audit log in the Wagtail admin: access events of one's subtree, and the sections other
apps register (`audit.registry`: the assessments app's state changes)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import registry, selectors
from .models import AuditAction

PAGE_SIZE = 50


class AuditLogView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "audit/log.html"
    page_title = gettext_lazy("Audit log")
    header_icon = "history"
    _show_breadcrumbs = True

    def dispatch(self, request, *args, **kwargs):
        if not selectors.can_read_audit(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        sections = {section.key: section for section in registry.log_sections()}
        section = sections.get(self.request.GET.get("show", ""))
        actor = self.request.GET.get("actor", "").strip()[:150]
        action = self.request.GET.get("action", "")
        if action not in AuditAction.values:
            action = ""
        if section is not None:
            rows = selectors.log_section_rows(self.request.user, section=section, actor=actor)
        else:
            rows = selectors.audit_events_for(self.request.user, action=action, actor=actor)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            page=page,
            show=section.key if section is not None else "access",
            section=section,
            sections=sections.values(),
            actor=actor,
            action=action,
            actions=AuditAction.choices,
            **kwargs,
        )


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.can_read_audit(request.user)


def admin_urls():
    return [path("", AuditLogView.as_view(), name="log")]
