"""Log-in lock-out through django-axes, with the project's two limits and its own messages.

DESIGN.md asks for rate-limited logins on every log-in form that authenticates through Django
(the public site and the Wagtail admin alike): django-axes does the counting and the refusing
(`AxesStandaloneBackend` first in AUTHENTICATION_BACKENDS). Three things are ours:

- One identifier however it is typed (spaces in a CCCD, case of an e-mail), and stored only as a
  hash: personal data does not belong in a cache server (`username_key`).
- Failures count against the account, whatever identifier was typed: a citizen logs in by
  citizen ID or e-mail (or an officer by username), and ten guesses by ID must not leave ten
  more by e-mail (issue #18). An identifier that names no account counts on its own hash, so
  the answer is the same whether an account exists or not (`account_keys`).
- Two limits: few failures per identifier, many more per client address, because many citizens
  reach us from one address (carrier-grade NAT on mobile networks, the Wi-Fi of a commune's
  cultural house during a registration drive). axes has one limit, so the handler scales each
  counter against its own limit (`TieredCacheHandler`).
- The refusal speaks Vietnamese: the citizen log-in form shows the pause in the form itself, any
  other log-in form (the admin) gets a page that says until when (`lockout_response`).

Settings (defaults in brackets): CDHT_LOGIN_FAILURES_PER_IDENTIFIER [10],
CDHT_LOGIN_FAILURES_PER_IP [50], CDHT_LOGIN_WINDOW_SECONDS [900] (also the pause).
"""

import hashlib
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.cache import AxesCacheHandler
from axes.helpers import get_client_cache_keys, get_client_username
from axes.signals import user_locked_out
from django.utils import timezone

# AXES_CLIENT_IP_CALLABLE names it here (the address is read by audit, the lowest layer).
from audit.requests import client_ip  # noqa: F401

from . import citizen_id as cid
from .auth_backends import CitizenIdOrEmailBackend
from .conf import setting
from .layout import render


def window(request=None):
    """How long failures are remembered and a pause lasts (AXES_COOLOFF_TIME)."""
    return timedelta(seconds=setting("LOGIN_WINDOW_SECONDS"))


def failure_limit(request=None, credentials=None):
    """AXES_FAILURE_LIMIT: the per-identifier limit; the address counter is scaled to it."""
    return setting("LOGIN_FAILURES_PER_IDENTIFIER")


def login_identifier_key(identifier):
    """One key for every way of typing the same identifier: spaces in a CCCD, case of an e-mail."""
    text = str(identifier or "").strip()
    number = cid.normalise(text)
    return number if number.isdigit() else text.casefold()


def typed_identifier(request, credentials):
    identifier = (credentials or {}).get("username")
    if identifier is None and request is not None:
        identifier = getattr(request, "POST", {}).get("username")
    return identifier


def username_key(request, credentials=None):
    """AXES_USERNAME_CALLABLE: a hash of the normalised identifier, never the raw ID or e-mail."""
    key = login_identifier_key(typed_identifier(request, credentials))
    if not key:
        return None
    return hashlib.sha256(f"cdht-login:{key}".encode()).hexdigest()[:32]


def account_keys(request, credentials):
    """The cache keys of the accounts the typed identifier names (several when an e-mail is
    shared), else of the identifier itself; [] without an identifier. Looked up once per
    request."""
    hashed = username_key(request, credentials)
    if hashed is None:
        return []
    found = getattr(request, "_cdht_login_accounts", {}) if request is not None else {}
    if hashed not in found:
        identifier = typed_identifier(request, credentials)
        pks = []
        if "\x00" not in str(identifier):  # no account has one; PostgreSQL refuses it
            pks = CitizenIdOrEmailBackend.candidates(identifier).values_list("pk", flat=True)
        found[hashed] = [account_key(pk) for pk in sorted(pks)] or [f"cdht:login:id:{hashed}"]
        if request is not None:
            request._cdht_login_accounts = found
    return found[hashed]


def account_key(pk):
    return f"cdht:login:account:{pk}"


class TieredCacheHandler(AxesCacheHandler):
    """axes' cache handler with one limit per lock-out parameter.

    AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"]: axes' address key is kept, and in
    place of its identifier key come the keys of the accounts the identifier names
    (`account_keys`); they are compared with the per-identifier and the per-address limit
    respectively. To fit axes' single limit, each
    count is scaled: `count * limit // own_limit` reaches `limit` exactly when `count` reaches
    `own_limit`. Only the identifier's counter is cleared by a successful log-in: the address
    keeps its own, so one right password does not reset a guesser's budget.
    """

    def _own_limits(self):
        return [
            failure_limit(),
            setting("LOGIN_FAILURES_PER_IP"),
        ]

    def _keys(self, request, credentials):
        """(cache key, own limit) pairs: each account named, then the address."""
        per_account, per_address = self._own_limits()
        address_key = get_client_cache_keys(request, credentials)[-1]
        accounts = account_keys(request, credentials)
        return [(key, per_account) for key in accounts] + [(address_key, per_address)]

    def get_failures(self, request, credentials=None) -> int:
        limit = failure_limit()
        counts = [
            self.cache.get(key, default=0) * limit // own
            for key, own in self._keys(request, credentials)
        ]
        return max(counts, default=0)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is None or self.is_whitelisted(request, credentials):
            return
        timeout = int(window().total_seconds())
        for key, _own in self._keys(request, credentials):
            if not self.cache.add(key, 1, timeout):
                try:
                    self.cache.incr(key)
                except ValueError:  # expired between add() and incr()
                    self.cache.set(key, 1, timeout)
                self.cache.touch(key, timeout)
        if self.get_failures(request, credentials) >= failure_limit():
            request.axes_locked_out = True
            request.axes_credentials = credentials
            username = get_client_username(request, credentials)
            user_locked_out.send(
                "axes", request=request, username=username, ip_address=request.axes_ip_address
            )

    def user_logged_in(self, sender, request, user, **kwargs):
        if request is None:
            return
        self.cache.delete(account_key(user.pk))

    def user_logged_out(self, sender, request, user, **kwargs):
        """Nothing to count."""


class LoginLockoutBackend(AxesStandaloneBackend):
    """axes' backend, for log-ins that come with a request (every log-in form).

    `authenticate()` without a request (Django's test client `login()`, scripts, management
    commands) has no client to count or to refuse: it goes on to the next backend, as the
    project's throttle did before axes, instead of axes' AxesBackendRequestParameterRequired.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def paused_until(request):
    """When a pause that this request ran into ends, or None (a failure during a pause extends
    the pause, so it always ends one window from now)."""
    if getattr(request, "axes_locked_out", False):
        return timezone.now() + window()
    return None


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: keep a page that already explains the pause, else say it here."""
    if original_response is not None and getattr(original_response, "cdht_explains_pause", False):
        return original_response
    return render(
        request,
        "learning_units/login_paused.html",
        {"until": paused_until(request) or timezone.now() + window()},
        status=429,
    )
