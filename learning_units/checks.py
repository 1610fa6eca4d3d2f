"""System checks of the deployment (`manage.py check --deploy`).

Every rate limit (log-in lock-out through django-axes, password-reset mails, registrations,
the LMS API, certificate verification) counts in the default cache. A cache that lives inside
one process (local memory) or keeps nothing (dummy) makes each gunicorn worker count on its
own, so N workers allow N times the limit, or no limit at all. Production therefore needs a
shared cache (Redis, the database: docs/deploy.md) unless CDHT_SINGLE_PROCESS says that one
process serves the site.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .conf import setting

PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, Tags.security, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    if setting("SINGLE_PROCESS"):
        return []
    aliases = {"default", getattr(settings, "AXES_CACHE", "default")}
    errors = []
    for alias in sorted(aliases):
        backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
        if backend in PROCESS_LOCAL_CACHES:
            errors.append(
                Error(
                    f"The cache {alias!r} ({backend.rsplit('.', 1)[-1]}) is local to one "
                    "process: with several web processes every rate limit and log-in lock-out "
                    "counts per process.",
                    hint="Set REDIS_URL, or use the database cache (docs/deploy.md); if one "
                    "process serves the site, set CDHT_SINGLE_PROCESS=true.",
                    id="cdht.E001",
                )
            )
    return errors
