"""Rate limits, counted in the shared cache so every process counts together.

The limits against abuse of the public forms live here (issue #18): password-reset mails per
address and per client, new accounts per client. Each is a fixed window; the settings and
their defaults are in `learning_units.conf`. With several processes the default cache must be
shared (Redis, the database): a system check refuses a process-local one in production
(`learning_units.checks`).
"""

import hashlib
import time

from django.core.cache import cache

from audit.requests import client_ip

from .conf import setting


def cache_count(key, *, timeout):
    """Add one to the counter `key` (created with `timeout` seconds to live); its new value."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def over_limit(key, *, limit, window):
    """Count one more event under `key` in the current window of `window` seconds; whether
    that passes `limit`."""
    bucket = int(time.time() // window)
    return cache_count(f"{key}:{bucket}", timeout=window + 5) > limit


def hashed(text):
    """Personal data (an e-mail) does not belong in a cache server: a key of its hash."""
    return hashlib.sha256(f"cdht-limit:{text}".encode()).hexdigest()[:32]


def password_reset_throttled(request, email):
    """Whether a reset mail to `email` asked from this client passes a limit. Both counters
    always count, so switching addresses or clients does not help. The caller answers the
    same either way: the visitor must not learn whether an account exists or was mailed."""
    window = setting("PASSWORD_RESET_WINDOW_SECONDS")
    by_address = over_limit(
        f"cdht:reset:address:{hashed(email.strip().casefold())}",
        limit=setting("PASSWORD_RESET_PER_ADDRESS"),
        window=window,
    )
    by_client = over_limit(
        f"cdht:reset:client:{hashed(client_ip(request))}",
        limit=setting("PASSWORD_RESET_PER_CLIENT"),
        window=window,
    )
    return by_address or by_client


def registration_throttled(request):
    """Whether one more account created from this client passes the limit (accounts in bulk).
    A commune's registration drive shares one address: the default leaves room for it."""
    return over_limit(
        f"cdht:register:client:{hashed(client_ip(request))}",
        limit=setting("REGISTRATIONS_PER_CLIENT"),
        window=setting("REGISTRATION_WINDOW_SECONDS"),
    )
