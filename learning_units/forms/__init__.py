"""Public forms: citizen self-registration (`registration`), log-in by citizen ID or e-mail and
passwords (`accounts`)."""

from .accounts import (
    ChangePasswordForm,
    ChooseOwnPasswordForm,
    CitizenLoginForm,
    CitizenPasswordResetForm,
    ResetPasswordForm,
)
from .registration import CitizenRegistrationForm

__all__ = [
    "ChangePasswordForm",
    "ChooseOwnPasswordForm",
    "CitizenLoginForm",
    "CitizenPasswordResetForm",
    "CitizenRegistrationForm",
    "ResetPasswordForm",
]
