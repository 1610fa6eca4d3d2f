"""Public views: registration, log-in, passwords, and the area lists for the dependent selects."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.urls import reverse, reverse_lazy, translate_url
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET
from django.views.generic import FormView

from . import selectors
from .collation import sorted_by_name
from .conf import setting
from .forms import (
    ChangePasswordForm,
    ChooseOwnPasswordForm,
    CitizenLoginForm,
    CitizenPasswordResetForm,
    CitizenRegistrationForm,
    ResetPasswordForm,
)
from .layout import BaseTemplateMixin
from .models import Area, AreaLevel, Citizen
from .ratelimit import registration_throttled
from .return_urls import return_url
from .services import citizen_password_chosen, citizen_register

BACKEND = "learning_units.auth_backends.CitizenIdOrEmailBackend"


def home_url(name="HOME_URL"):
    """CDHT_HOME_URL (or another URL setting) in the visitor's language ("/" becomes "/en/").

    Not Django's LOGIN_REDIRECT_URL, whose default (/accounts/profile/) a host site rarely
    serves. The setting is written in the default language, so it is resolved in that language.
    """
    language = get_language()
    with override(settings.LANGUAGE_CODE):
        return translate_url(resolve_url(setting(name) or setting("HOME_URL")), language)


def must_choose_password(user):
    """An officer created this account with a temporary password (Citizen.must_change_password)."""
    return Citizen.objects.filter(user=user, must_change_password=True).exists()


@method_decorator(sensitive_post_parameters("password1", "password2"), name="dispatch")
class CitizenRegisterView(BaseTemplateMixin, FormView):
    template_name = "learning_units/register.html"
    form_class = CitizenRegistrationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            messages.info(request, _("You are already registered and logged in."))
            return redirect(home_url())
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        step = request.POST.get("step")
        if step in self.form_class.area_steps:
            # Without JavaScript: show the chosen parent's communes or residential areas, keeping
            # what was typed and judging nothing yet (an unbound form shows no errors).
            form = self.form_class(
                initial=request.POST.dict(), focus=self.form_class.area_steps[step]
            )
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if registration_throttled(self.request):
            form.add_error(
                None,
                ValidationError(
                    _(
                        "Too many accounts were registered from this network in the last hour. "
                        "Try again later, or ask your commune's officer to register you."
                    ),
                    code="too_many_registrations",
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        try:
            citizen = citizen_register(**form.service_arguments())
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        login(self.request, citizen.user, backend=BACKEND)
        messages.success(
            self.request,
            _("Welcome, %(name)s! You are registered and logged in.") % {"name": citizen.full_name},
        )
        return redirect(home_url("AFTER_REGISTRATION_URL"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["already_registered"] = form.is_bound and form.has_error("citizen_id", "registered")
        return context


@require_GET
@cache_control(public=True, max_age=600)
def area_children(request, parent_id):
    """Active communes of a province, or active residential areas of a commune, as JSON.

    Only one parent's children per request, so a cheap phone downloads a few kilobytes rather
    than the 3,321 communes of the country.
    """
    parent = get_object_or_404(
        Area, pk=parent_id, is_active=True, level__in=[AreaLevel.PROVINCE, AreaLevel.COMMUNE]
    )
    children = (
        selectors.communes_of(parent.pk)
        if parent.level == AreaLevel.PROVINCE
        else selectors.residential_areas_of(parent.pk)
    )
    areas = [{"id": area.pk, "name": area.name} for area in sorted_by_name(children.only("name"))]
    return JsonResponse({"areas": areas})


class CitizenLoginView(BaseTemplateMixin, auth_views.LoginView):
    """Log-in by citizen ID, e-mail or username; paused after failures (see login_lockout)."""

    # The apps' own templates (not registration/…, which django.contrib.admin also ships).
    template_name = "learning_units/registration/login.html"
    form_class = CitizenLoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        # The form itself says until when logging in is paused: axes keeps this page.
        response.cdht_explains_pause = form.has_error("__all__", "paused")
        return response

    def get_default_redirect_url(self):
        if self.next_page:
            return resolve_url(self.next_page)
        return home_url()

    def get_success_url(self):
        url = super().get_success_url()
        if must_choose_password(self.request.user):
            query = urlencode({"next": url})
            return f"{reverse('learning_units:password_change')}?{query}"
        return url


class ChooseOwnPasswordView(BaseTemplateMixin, auth_views.PasswordChangeView):
    """Change one's password; the forced first change after an officer created the account."""

    template_name = "learning_units/registration/password_change_form.html"

    @cached_property
    def must_choose(self):
        return must_choose_password(self.request.user)

    def get_form_class(self):
        return ChooseOwnPasswordForm if self.must_choose else ChangePasswordForm

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        citizen_password_chosen(user=form.user)
        messages.success(self.request, _("Your new password is saved."))
        return response

    def get_success_url(self):
        return return_url(self.request, "next", default=home_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            must_choose=self.must_choose, next=return_url(self.request, "next", default="")
        )
        return context


class CitizenPasswordResetView(BaseTemplateMixin, auth_views.PasswordResetView):
    template_name = "learning_units/registration/password_reset_form.html"
    email_template_name = "learning_units/registration/password_reset_email.html"
    subject_template_name = "learning_units/registration/password_reset_subject.txt"
    form_class = CitizenPasswordResetForm
    success_url = reverse_lazy("learning_units:password_reset_done")


class PasswordResetDoneView(BaseTemplateMixin, auth_views.PasswordResetDoneView):
    template_name = "learning_units/registration/password_reset_done.html"


class CitizenPasswordResetConfirmView(BaseTemplateMixin, auth_views.PasswordResetConfirmView):
    template_name = "learning_units/registration/password_reset_confirm.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("learning_units:password_reset_complete")
    # A citizen who just proved they own the e-mail should not have to log in again.
    post_reset_login = True
    post_reset_login_backend = BACKEND

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        citizen_password_chosen(user=form.user)
        return response


class PasswordResetCompleteView(BaseTemplateMixin, auth_views.PasswordResetCompleteView):
    template_name = "learning_units/registration/password_reset_complete.html"


class CitizenLogoutView(auth_views.LogoutView):
    """Log-out (POST) back to CDHT_HOME_URL unless LOGOUT_REDIRECT_URL or ?next= says otherwise;
    Django's own view would otherwise render admin's "logged out" template on a host site."""

    def get_default_redirect_url(self):
        if self.next_page or settings.LOGOUT_REDIRECT_URL:
            return super().get_default_redirect_url()
        return home_url()
