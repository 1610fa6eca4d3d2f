"""`check --deploy` refuses a cache local to one process (rate limits would count per worker)
unless CDHT_SINGLE_PROCESS says one process serves."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from learning_units.checks import check_shared_cache

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    ],
)
def test_a_process_local_cache_is_an_error(settings, backend):
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert [error.id for error in check_shared_cache()] == ["cdht.E001"]


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.db.DatabaseCache",
    ],
)
def test_a_shared_cache_passes(settings, backend):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "somewhere"}}
    assert check_shared_cache() == []


def test_one_process_may_keep_a_local_cache(settings):
    settings.CACHES = LOCMEM
    settings.CDHT_SINGLE_PROCESS = True
    assert check_shared_cache() == []


def test_the_axes_cache_is_checked_too(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.AXES_CACHE = "local"
    assert [error.id for error in check_shared_cache()] == ["cdht.E001"]


def test_check_deploy_fails_on_it(settings):
    settings.CACHES = LOCMEM
    with pytest.raises(SystemCheckError, match="cdht.E001"):
        call_command("check", deploy=True, tags=["caches"])


def run_production_check(**environment):
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "check-only-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "cdht.example.org",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
        + ["--settings=cdht_wagtail.settings.production", "--tag", "caches"],
        env={**base, **environment},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_settings_without_redis_share_the_database_cache():
    result = run_production_check()
    assert result.returncode == 0, result.stderr
