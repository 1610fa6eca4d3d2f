"""Settings of the `learning_units` app, all named ``CDHT_<NAME>``, with their defaults.

A host site sets only the ones it wants to change. Values are read from ``django.conf.settings``
on every call (never copied at import time), so ``override_settings`` in tests and settings
computed late by a host both take effect. `audit.conf` (below) and `assessments.conf` (above)
hold their apps' own settings; all the apps share this one prefix and one reader.

Usage: ``from learning_units.conf import setting`` then ``setting("BASE_TEMPLATE")``.
"""

from audit import conf as audit_conf

PREFIX = audit_conf.PREFIX

DEFAULTS = {
    **audit_conf.DEFAULTS,
    # Template every public page of the apps extends. The apps' templates fill the blocks
    # `title`, `extra_head`, `body_class` and `content`; a host's base template needs at
    # least `content` (Wagtail's `wagtail start` base has it).
    "BASE_TEMPLATE": "base.html",
    # Where "home" links and post-log-in redirects go when LOGIN_REDIRECT_URL is not set.
    "HOME_URL": "/",
    # Where a new citizen lands after registering (a URL or URL name; None: HOME_URL). This
    # site sends them to their self-assessment (assessments:mine), which this app cannot name.
    "AFTER_REGISTRATION_URL": None,
    # Country codes accepted as the first three digits of the citizen ID of a birth
    # registered abroad (learning_units.citizen_id).
    "CITIZEN_ID_FOREIGN_PREFIXES": (),
    # Log-in throttling (learning_units.login_lockout): failures per identifier and per
    # client address (audit.requests.client_ip; CLIENT_IP_HEADER) within the window.
    "LOGIN_FAILURES_PER_IDENTIFIER": 10,
    "LOGIN_FAILURES_PER_IP": 50,
    "LOGIN_WINDOW_SECONDS": 15 * 60,
    # LMS completions API (learning_units.lms.api): requests per token per minute and the
    # largest request body accepted.
    "LMS_API_REQUESTS_PER_MINUTE": 60,
    "LMS_API_MAX_BODY_BYTES": 1024 * 1024,
    # Read replica (learning_units.db_routers): the DATABASES alias reports read from (None or
    # an alias missing from DATABASES: everything reads the primary), and the apps whose own
    # models are always read there.
    "REPLICA_ALIAS": "replica",
    "REPLICA_APPS": ("reports",),
    # Imports with more rows than this are applied by a background task, not in the request
    # (learning_units.imports.applying).
    "IMPORT_TASK_MIN_ROWS": 2000,
}


def setting(name, defaults=DEFAULTS):
    """The value of ``CDHT_<name>`` from settings, or its documented default.

    An unknown name is a programming error (a typo would otherwise silently read None).
    """
    return audit_conf.setting(name, defaults)


def base_template():
    """The template the apps' public pages extend (``CDHT_BASE_TEMPLATE``)."""
    return setting("BASE_TEMPLATE")
