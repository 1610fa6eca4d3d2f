"""The citizen's own completed courses (public site)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from ..layout import BaseTemplateMixin
from .selectors import completions_of_user


class MyCoursesView(LoginRequiredMixin, BaseTemplateMixin, ListView):
    template_name = "learning_units/courses.html"
    context_object_name = "completions"
    paginate_by = 50

    def get_queryset(self):
        return completions_of_user(self.request.user)
