"""Test settings: local-memory cache, fast password hasher, immediate background tasks."""

import atexit
import shutil
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="cdht-test-media-")
WAGTAILADMIN_BASE_URL = "http://testserver"
CDHT_PUBLIC_BASE_URL = None  # public addresses come from the Wagtail Site in tests

# Serve static files straight from the finders; no collectstatic needed outside production.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# A second database alias for the read-replica router (tests/test_db_router.py): a test mirror
# of "default", so it sees the same data. Routing is off by default in tests (the alias the
# router looks for does not exist); the router's tests turn it on with CDHT_REPLICA_ALIAS.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
CDHT_REPLICA_ALIAS = None
# Open Badges 3.0 signing keys: a folder of this test process (tests/conftest.py makes a key).
CDHT_ISSUER_KEY_DIR = tempfile.mkdtemp(prefix="cdht-test-keys-")
atexit.register(shutil.rmtree, CDHT_ISSUER_KEY_DIR, ignore_errors=True)
