"""Log-in by citizen ID, e-mail or username.

The national portal lets citizens log in by account, e-mail or citizen ID (DOMAIN.md). Failed
log-ins are counted and paused by django-axes, whose backend runs before this one on every
log-in form (see login_lockout.py).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import citizen_id as cid
from .email_lookup import ids_of_accounts, with_email
from .models import Citizen

UserModel = get_user_model()


class CitizenIdOrEmailBackend(ModelBackend):
    """Authenticate by citizen ID (CCCD or CMND), by e-mail, or by username.

    A citizen ID matches the citizen record's number however it was typed (spaces, dots); an
    e-mail matches the account's or the citizen record's address, ignoring case; a username
    matches exactly, as in Django's own backend, so officers keep logging in to the admin by
    username. When an e-mail is shared by several accounts, only the one whose password matches
    logs in, and never more than one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get(UserModel.USERNAME_FIELD)
        if not username or password is None:
            return None
        return self._user_with_password(username, password)

    def _user_with_password(self, identifier, password):
        candidates = list(self.candidates(identifier))
        if not candidates:
            # Hash anyway so that an unknown identifier takes as long as a wrong password.
            UserModel().set_password(password)
            return None
        matches = [
            user
            for user in candidates
            if user.check_password(password) and self.user_can_authenticate(user)
        ]
        return matches[0] if len(matches) == 1 else None

    @staticmethod
    def candidates(identifier):
        """Accounts the identifier may name: each branch is read from its own index (the user
        name, the citizen ID, lower(email) of the account and of the citizen) and the ids joined
        in one query (`email_lookup`); an OR across them had PostgreSQL read every account."""
        text = str(identifier).strip()
        accounts = UserModel._default_manager.all()
        citizens = Citizen.objects.filter(user__isnull=False)
        branches = [accounts.filter(**{UserModel.USERNAME_FIELD: text}).values_list("pk")]
        if "@" in text:
            branches += [
                with_email(accounts, text).values_list("pk"),
                with_email(citizens, text).values_list("user_id"),
            ]
        else:
            number = cid.normalise(text)
            if number.isdigit():
                branches += [
                    accounts.filter(**{UserModel.USERNAME_FIELD: number}).values_list("pk"),
                    citizens.filter(citizen_id=number).values_list("user_id"),
                ]
        return UserModel._default_manager.filter(pk__in=ids_of_accounts(*branches))[:10]
