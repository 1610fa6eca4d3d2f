"""Log-in by citizen ID, e-mail or username, and the throttle that guards every log-in.

The national portal lets citizens log in by account, e-mail or citizen ID (DOMAIN.md), and
DESIGN.md asks for rate-limited logins. The throttle lives in the backend, not in one view, so
that every log-in form that authenticates through Django (the public site and the Wagtail admin
alike) counts failures and honours a pause.
"""

import hashlib
import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from . import citizen_id as cid
from .models import Citizen

UserModel = get_user_model()

# Defaults; each can be overridden in settings under the same name prefixed with CDHT_LOGIN_.
FAILURES_PER_IDENTIFIER = 10
# Far higher than per identifier: many citizens reach us from one address (carrier-grade NAT on
# mobile networks, the Wi-Fi of a commune's cultural house during a registration drive).
FAILURES_PER_IP = 50
WINDOW_SECONDS = 15 * 60


def _setting(name, default):
    return getattr(settings, f"CDHT_LOGIN_{name}", default)


def login_identifier_key(identifier):
    """One key for every way of typing the same identifier: spaces in a CCCD, case of an e-mail."""
    text = str(identifier or "").strip()
    number = cid.normalise(text)
    return number if number.isdigit() else text.casefold()


def client_ip(request):
    """The client address; behind a proxy, set CDHT_CLIENT_IP_HEADER to the META key it sets.

    The proxy must overwrite that header (e.g. nginx `proxy_set_header X-Real-IP
    $remote_addr` with CDHT_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"), or clients could forge it.
    """
    header = getattr(settings, "CDHT_CLIENT_IP_HEADER", None)
    return (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR", "")


class LoginThrottle:
    """Failed log-ins counted per client address and per identifier in the shared cache.

    After the limit within the window, log-ins for that address or identifier pause for one
    window, even with the right password. Cache keys hold hashes, never a raw citizen ID or
    e-mail address (personal data does not belong in a cache server).
    """

    def __init__(self, request, identifier):
        window = _setting("WINDOW_SECONDS", WINDOW_SECONDS)
        self.window = window
        self.counters = [("ip", client_ip(request), _setting("FAILURES_PER_IP", FAILURES_PER_IP))]
        key = login_identifier_key(identifier)
        if key:
            self.counters.append(
                ("id", key, _setting("FAILURES_PER_IDENTIFIER", FAILURES_PER_IDENTIFIER))
            )

    @staticmethod
    def _key(kind, scope, value):
        digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()[:32]
        return f"cdht:login:{kind}:{digest}"

    def locked_until(self):
        """When the pause ends (an aware datetime), or None when log-ins are allowed."""
        now = time.time()
        ends = [
            cache.get(self._key("lock", scope, value)) or 0 for scope, value, _ in self.counters
        ]
        latest = max(ends, default=0)
        return datetime.fromtimestamp(latest, tz=UTC) if latest > now else None

    def record_failure(self):
        for scope, value, limit in self.counters:
            count_key = self._key("count", scope, value)
            cache.add(count_key, 0, self.window)
            try:
                count = cache.incr(count_key)
            except ValueError:  # expired between add() and incr()
                cache.set(count_key, 1, self.window)
                count = 1
            if count >= limit:
                cache.set(self._key("lock", scope, value), time.time() + self.window, self.window)
                cache.delete(count_key)

    def record_success(self):
        """A right password clears the identifier's count; the address keeps its own."""
        for scope, value, _ in self.counters:
            if scope == "id":
                cache.delete(self._key("count", scope, value))


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
        throttle = LoginThrottle(request, username) if request is not None else None
        if throttle and throttle.locked_until():
            raise PermissionDenied  # stops the other backends too
        user = self._user_with_password(username, password)
        if throttle:
            if user is None:
                throttle.record_failure()
            else:
                throttle.record_success()
        return user

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
        """Accounts the identifier may name; each branch is an indexed lookup or two."""
        text = str(identifier).strip()
        query = Q(**{UserModel.USERNAME_FIELD: text})
        if "@" in text:
            query |= Q(email__iexact=text) | Q(
                pk__in=Citizen.objects.filter(email__iexact=text, user__isnull=False).values(
                    "user_id"
                )
            )
        else:
            number = cid.normalise(text)
            if number.isdigit():
                query |= Q(**{UserModel.USERNAME_FIELD: number}) | Q(
                    pk__in=Citizen.objects.filter(citizen_id=number, user__isnull=False).values(
                        "user_id"
                    )
                )
        return UserModel._default_manager.filter(query)[:10]
