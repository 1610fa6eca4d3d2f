"""The English text of a criteria set, editable even once assessments use the set (issue #19):
scores never depend on it (the freeze rule: `services.criteria`)."""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..forms import CriteriaSetTranslationForm
from ..models import CriteriaSet
from ..selectors import criteria_set_tree
from ..services.criteria import criteria_set_translate
from .criteria_sets import CriteriaSetUrlsMixin


class CriteriaSetTranslateView(
    CriteriaSetUrlsMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    permission_required = "change"
    page_title = gettext_lazy("English text")
    template_name = "assessments/admin/criteria_set_translate.html"
    header_icon = "globe"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.object = criteria_set_tree(unquote(str(kwargs["pk"])))
        except (CriteriaSet.DoesNotExist, ValueError):
            raise Http404 from None

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.set_breadcrumbs(self.object)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "criteria_set": self.object}

    def get_form_class(self):
        return CriteriaSetTranslationForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object,
            cancel_url=self.url_for("inspect", self.object.pk),
            **kwargs,
        )

    def form_valid(self, form):
        if criteria_set_translate(criteria_set=self.object, texts=form.texts()):
            messages.success(self.request, _("The English text is saved."))
        return redirect(self.url_for("inspect", self.object.pk))
