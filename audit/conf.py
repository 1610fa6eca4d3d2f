"""Settings the audit app reads itself, named ``CDHT_<NAME>`` like the other apps' settings.

audit sits below every other app and imports none of them, so it keeps its own defaults and its
own reader; `learning_units.conf` builds on these (one prefix, one reader for all the apps).
"""

from django.conf import settings

PREFIX = "CDHT_"

DEFAULTS = {
    # Audit trail (audit.services.audit_purge): events older than this many days are removed.
    "AUDIT_RETENTION_DAYS": 2 * 365,
    # The META key a trusted proxy sets to the client's address (audit.requests.client_ip; also
    # what the log-in throttling counts per address). None: REMOTE_ADDR.
    "CLIENT_IP_HEADER": None,
}


def setting(name, defaults=DEFAULTS):
    """The value of ``CDHT_<name>`` from settings, or its documented default.

    An unknown name is a programming error (a typo would otherwise silently read None).
    """
    if name not in defaults:
        raise KeyError(f"{PREFIX}{name} is not a documented setting")
    return getattr(settings, PREFIX + name, defaults[name])
