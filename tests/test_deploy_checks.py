"""`check --deploy` refuses a cache local to one process (rate limits would count per worker)
unless CDHT_SINGLE_PROCESS says one process serves."""

import subprocess
import sys

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from assessments.certificates.checks import public_address_check
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


# --- The public address printed on certificates (assessments.E002) ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hostname", "port"),
    [("localhost", 80), ("127.0.0.1", 8000), ("example.com", 443), ("cdht.test", 443)],
)
def test_a_placeholder_site_without_the_setting_is_an_error(settings, public_site, hostname, port):
    settings.CDHT_PUBLIC_BASE_URL = None
    public_site.hostname, public_site.port = hostname, port
    public_site.save()

    errors = public_address_check()

    assert [error.id for error in errors] == ["assessments.E002"]
    assert errors[0].level == checks.ERROR
    assert "CDHT_PUBLIC_BASE_URL" in errors[0].hint


@pytest.mark.django_db
def test_a_real_site_hostname_passes(settings, public_site):
    settings.CDHT_PUBLIC_BASE_URL = None
    assert public_address_check() == []


@pytest.mark.django_db
def test_the_setting_passes_whatever_the_site_and_is_checked_itself(settings, public_site):
    public_site.hostname = "localhost"
    public_site.save()
    settings.CDHT_PUBLIC_BASE_URL = "https://congdanhoctap.example.vn"
    assert public_address_check() == []

    settings.CDHT_PUBLIC_BASE_URL = "congdanhoctap.example.vn"  # no scheme
    assert [error.id for error in public_address_check()] == ["assessments.E002"]


@pytest.mark.django_db
def test_a_plain_http_address_behind_an_https_redirect_is_a_warning(settings, public_site):
    settings.CDHT_PUBLIC_BASE_URL = "http://congdanhoctap.example.vn"
    settings.SECURE_SSL_REDIRECT = True

    assert [error.id for error in public_address_check()] == ["assessments.W002"]


def test_production_settings_name_the_missing_public_address():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"]
        + ["--settings=cdht_wagtail.settings.production", "--tag", "sites"],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SECRET_KEY": "check-only-" + "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "cdht.example.org",
            "CDHT_PUBLIC_BASE_URL": "http://localhost",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode != 0
    assert "assessments.E002" in result.stderr and "localhost" in result.stderr
