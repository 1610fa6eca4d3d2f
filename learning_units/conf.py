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
    # Password-reset mails (learning_units.ratelimit): at most this many per e-mail address and
    # per client address within the window; beyond, the form answers the same and sends none.
    "PASSWORD_RESET_PER_ADDRESS": 3,
    "PASSWORD_RESET_PER_CLIENT": 20,
    "PASSWORD_RESET_WINDOW_SECONDS": 60 * 60,
    # New accounts registered from one client address within the window (a commune's
    # registration drive shares one address, hence a generous default).
    "REGISTRATIONS_PER_CLIENT": 60,
    "REGISTRATION_WINDOW_SECONDS": 60 * 60,
    # One process serves the site (no gunicorn workers beside it): a process-local cache is then
    # enough for the rate limits, and `check --deploy` accepts it (learning_units.checks).
    "SINGLE_PROCESS": False,
    # LMS completions API (learning_units.lms.api): requests per token per minute and the
    # largest request body accepted.
    "LMS_API_REQUESTS_PER_MINUTE": 60,
    "LMS_API_MAX_BODY_BYTES": 1024 * 1024,
    # xAPI statements (learning_units.lms.xapi): the largest request body (a Moodle statement
    # is about 2 KB, so 500 of them fit), and how long the personal data of learners who are
    # no citizens is kept: their pending completions, with the statements kept on them
    # (`manage.py purge_personal_data`).
    "XAPI_MAX_BODY_BYTES": 4 * 1024 * 1024,
    "PENDING_COMPLETION_KEEP_DAYS": 365,
    # Read replica (learning_units.db_routers): the DATABASES alias reports read from (None or
    # an alias missing from DATABASES: everything reads the primary), and the apps whose own
    # models are always read there.
    "REPLICA_ALIAS": "replica",
    "REPLICA_APPS": ("reports",),
    # After the replica failed, this process reads from the primary for this many seconds.
    "REPLICA_RETRY_SECONDS": 30,
    # Imports with more rows than this are applied by a background task, not in the request
    # (learning_units.imports.applying).
    "IMPORT_TASK_MIN_ROWS": 2000,
    # Imports (learning_units.imports.parsing): data rows a file may hold, and how much an xlsx
    # (a zip) may inflate to, checked before it is parsed. A sheet of 200,000 rows of eleven
    # columns unpacks to about 100 MB; a zip bomb of a few MB towards a gigabyte is refused.
    "IMPORT_MAX_ROWS": 200_000,
    "IMPORT_MAX_UNCOMPRESSED_BYTES": 250 * 1024 * 1024,
    # Whole-page cache of public pages for anonymous visitors (learning_units.page_cache):
    # on or off (it needs a cache shared by every web process: Redis), the cache alias, how
    # long a stored page may live at most, and the s-maxage a front proxy may keep one.
    "PAGE_CACHE": False,
    "PAGE_CACHE_ALIAS": "default",
    "PAGE_CACHE_SECONDS": 300,
    "PAGE_CACHE_PROXY_SECONDS": 30,
}


def setting(name, defaults=DEFAULTS):
    """The value of ``CDHT_<name>`` from settings, or its documented default.

    An unknown name is a programming error (a typo would otherwise silently read None).
    """
    return audit_conf.setting(name, defaults)


def base_template():
    """The template the apps' public pages extend (``CDHT_BASE_TEMPLATE``)."""
    return setting("BASE_TEMPLATE")
