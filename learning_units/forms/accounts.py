"""Log-in by citizen ID or e-mail, and the citizen's passwords (choose, change, reset)."""

import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UsernameField,
)
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _

from .. import citizen_id as cid
from ..email_lookup import ids_of_accounts, with_email
from ..form_mixins import ThrottledPasswordResetMixin
from ..login_lockout import paused_until
from ..models import Citizen

UserModel = get_user_model()

PASSWORD_HELP = _(
    "At least 8 characters, not only digits, not a common password and not like your name "
    "or citizen ID."
)


def citizen_id_length_error(number):
    """A number of digits that is neither a CCCD nor a CMND: most often a zero was left out."""
    return ValidationError(
        _(
            "%(length)s digits is not a citizen ID: a CCCD has 12 digits and an old CMND 9. "
            "Check that no digit is missing, such as the zeros at the start."
        ),
        code="length",
        params={"length": len(number)},
    )


class CitizenLoginForm(AuthenticationForm):
    username = UsernameField(
        label=_("Citizen ID or e-mail"),
        help_text=_(
            "The 12 digits of your citizen ID card (CCCD), or the e-mail you registered. "
            "Officers: your username."
        ),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The citizen ID, e-mail or password is not right. Check them and try again; if you "
            "have forgotten your password, reset it by e-mail."
        ),
        "paused": _(
            "Too many unsuccessful attempts to log in. To protect the account, logging in is "
            "paused until %(time)s. Meanwhile you can reset your password by e-mail."
        ),
    }

    def clean_username(self):
        identifier = self.cleaned_data["username"]
        number = cid.normalise(identifier)
        if number.isascii() and number.isdigit() and len(number) not in (9, 12):
            raise citizen_id_length_error(number)
        return identifier

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # django-axes flags the request when this failure started a pause or met one.
            until = paused_until(self.request) if self.request is not None else None
            if until:
                raise ValidationError(
                    self.error_messages["paused"],
                    code="paused",
                    params={"time": time_format(timezone.localtime(until), "H:i")},
                ) from None
            raise


class PlainPasswordHelpMixin:
    """Django's help for a new password is an HTML list; the field component shows a sentence."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_HELP


class ChooseOwnPasswordForm(PlainPasswordHelpMixin, SetPasswordForm):
    """For an account an officer created: the citizen just logged in with the temporary password."""


class ChangePasswordForm(PlainPasswordHelpMixin, PasswordChangeForm):
    """A voluntary change: asks for the current password first."""


class ResetPasswordForm(PlainPasswordHelpMixin, SetPasswordForm):
    """Reached through the link sent by e-mail."""


def _same_address(first, second):
    """Compare e-mail addresses as Django's reset form does (guards against look-alike letters)."""

    def fold(value):
        return unicodedata.normalize("NFKC", value or "").casefold()

    return bool(first) and fold(first) == fold(second)


class CitizenPasswordResetForm(ThrottledPasswordResetMixin, PasswordResetForm):
    """Also reaches a citizen whose e-mail is only on the citizen record (typed by an officer)."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email):
        ids = ids_of_accounts(
            with_email(UserModel._default_manager.all(), email).values_list("pk"),
            with_email(Citizen.objects.filter(user__isnull=False), email).values_list("user_id"),
        )
        users = UserModel._default_manager.filter(pk__in=ids, is_active=True).select_related(
            "citizen"
        )
        return (
            user for user in users if user.has_usable_password() and self.address_of(user, email)
        )

    @staticmethod
    def address_of(user, email):
        """The stored address of `user` that is `email`, or "" when none is."""
        citizen = getattr(user, "citizen", None)
        for address in (user.email, citizen.email if citizen else ""):
            if _same_address(address, email):
                return address
        return ""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        to_email = self.address_of(context["user"], self.cleaned_data["email"])
        context["email"] = to_email
        super().send_mail(
            subject_template_name,
            email_template_name,
            context,
            from_email,
            to_email,
            html_email_template_name=html_email_template_name,
        )
