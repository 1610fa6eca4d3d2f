"""Settings shared by every environment; secrets and hosts come from the environment."""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "home",
    "learning_units",
    "assessments",
    "audit",
    "reports",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cdht_wagtail.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a cached public page costs no session, database or template.
    "learning_units.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cdht_wagtail.request_guards.BulkActionIdsMiddleware",
    "cdht_wagtail.request_guards.LongQueryStringMiddleware",
    # Last, as django-axes asks: it turns a lock-out flagged during the view into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cdht_wagtail.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cdht_wagtail.context_processors.site_languages",
            ],
        },
    },
]

WSGI_APPLICATION = "cdht_wagtail.wsgi.application"

# SQLite is the embedded default; PostgreSQL (psycopg 3) in production and in CI.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# A read replica for reports (learning_units/db_routers.py); in tests it mirrors "default".
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A stopped replica is noticed in seconds, and reports fall back to the primary.
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(
            os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT", "3")
        )
# psycopg 3's connection pool per process instead of persistent connections (docs/deploy.md);
# needs the psycopg[pool] extra. PostgreSQL only; Django refuses a pool with CONN_MAX_AGE > 0.
if os.environ.get("DATABASE_POOL_MAX_SIZE"):
    for _database in DATABASES.values():
        if _database["ENGINE"] == "django.db.backends.postgresql":
            _database["CONN_MAX_AGE"] = 0
            _database.setdefault("OPTIONS", {})["pool"] = {
                "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
                "max_size": int(os.environ["DATABASE_POOL_MAX_SIZE"]),
                "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
            }
DATABASE_ROUTERS = ["learning_units.db_routers.ReplicaRouter"]
# Apps whose tables are always read from the replica (when there is one).
CDHT_REPLICA_APPS = env_list("CDHT_REPLICA_APPS", "reports")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Citizens log in by citizen ID or e-mail, officers by username. django-axes comes first: it
# refuses log-ins during a pause on every form (public site and admin); the limits and messages
# are the project's (learning_units/login_lockout.py). ModelBackend stays for code that names
# Django's default backend.
AUTHENTICATION_BACKENDS = [
    "learning_units.login_lockout.LoginLockoutBackend",
    "learning_units.auth_backends.CitizenIdOrEmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "learning_units.login_lockout.TieredCacheHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # order matters: see TieredCacheHandler
AXES_FAILURE_LIMIT = "learning_units.login_lockout.failure_limit"
AXES_COOLOFF_TIME = "learning_units.login_lockout.window"
AXES_USERNAME_CALLABLE = "learning_units.login_lockout.username_key"
AXES_CLIENT_IP_CALLABLE = "learning_units.login_lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "learning_units.login_lockout.lockout_response"
AXES_VERBOSE = False

# The admin's password reset sends mails within the same limits as the public one.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "learning_units.admin_forms.AdminPasswordResetForm"

LOGIN_URL = "login"
# The admin login in one language (the password label, the username placeholder).
WAGTAILADMIN_USER_LOGIN_FORM = "cdht_wagtail.admin_forms.AdminLoginForm"
LOGIN_REDIRECT_URL = "/"
# A new citizen goes straight to this year's self-assessment (issue #23).
CDHT_AFTER_REGISTRATION_URL = "assessments:mine"
LOGOUT_REDIRECT_URL = "/"

# Vietnamese first, English second (DOMAIN.md). Page content is translated per locale with
# Wagtail's own i18n; interface strings through gettext catalogues in locale/.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The catalogue lives in an app so that `pip install` ships it to host sites (Django reads
# every installed app's locale/); listed here too, to win over Wagtail's own catalogue.
LOCALE_PATHS = [BASE_DIR / "learning_units" / "locale", PROJECT_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Dates dd/mm/yyyy in Vietnamese (Django's own vi formats write dd-mm-yyyy); see the module.
FORMAT_MODULE_PATH = ["cdht_wagtail.formats"]
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Sessions: a working day, not Django's two weeks (shared computers in cultural houses); the
# self-assessment keeps unsent answers on the device if a session ends mid-draft.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's page preview sets SAMEORIGIN on its own responses; nothing else is framed.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): nothing inline on the public site; the admin relaxation
# and why it is needed are in cdht_wagtail/middleware.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https://www.youtube.com", "https://www.youtube-nocookie.com"],
        "frame-ancestors": ["'self'"],  # the admin's preview panel frames the site
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Private files (evidence): when a web server sits in front, set this to the internal location
# it maps to the private folder (nginx `location /protected/ { internal; alias ...; }`) and the
# permission-checked views answer with X-Accel-Redirect instead of streaming the file.
CDHT_PRIVATE_MEDIA_ACCEL_PREFIX = os.environ.get("CDHT_PRIVATE_MEDIA_ACCEL_PREFIX", "")
# How long the audit log keeps events (purge_audit deletes older ones); the default covers a
# campaign year plus the recognition's review period.
CDHT_AUDIT_RETENTION_DAYS = int(os.environ.get("CDHT_AUDIT_RETENTION_DAYS", str(2 * 365)))
# Imports of more rows than this are applied by a background task (the preview page shows its
# progress); smaller ones are applied within the request.
# Whole-page cache of public pages for anonymous visitors (learning_units/page_cache.py). It
# needs a cache every web process shares (Redis): production turns it on with REDIS_URL.
CDHT_PAGE_CACHE = os.environ.get("CDHT_PAGE_CACHE", "false").lower() == "true"
CDHT_IMPORT_TASK_MIN_ROWS = int(os.environ.get("CDHT_IMPORT_TASK_MIN_ROWS", "2000"))
# Open Badges 3.0 signing keys: files outside the database (docs/certificates.md, key rotation).
CDHT_ISSUER_KEY_DIR = os.environ.get("CDHT_ISSUER_KEY_DIR") or str(BASE_DIR / "var" / "keys")

# Background work goes through django-tasks (the interface Wagtail itself uses; Django 6's
# django.tasks). By default the jobs are rows in the database that a worker process runs
# (`manage.py db_worker`, `make worker`; `make run` starts one beside the site), so nothing
# but the database is needed (django-tasks-db).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# CDHT_TASK_BACKEND=rq: workers on other machines take the jobs from Redis instead
# (django-tasks-rq, the `queue` extra; docs/deploy.md says why RQ rather than Celery).
RQ_REDIS_URL = os.environ.get(
    "RQ_REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
)
if os.environ.get("CDHT_TASK_BACKEND", "").lower() == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
# One queue; a job may run for hours (a province's certificates), so RQ must not cut it short.
RQ_QUEUES = {"default": {"URL": RQ_REDIS_URL, "DEFAULT_TIMEOUT": 6 * 60 * 60}}

WAGTAIL_SITE_NAME = "Công dân học tập"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The public site's address printed on certificates, in their QR codes and in Open Badges ids
# (assessments.certificates.addresses); unset, the Wagtail Site's (Settings → Sites). Production
# needs a real host in one or the other: `check --deploy` (assessments.E002).
CDHT_PUBLIC_BASE_URL = os.environ.get("CDHT_PUBLIC_BASE_URL") or None
# No avatar look-ups on a third-party service: officers' e-mail hashes stay here.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a call from officers' browsers to releases.wagtail.org (CSP connect-src 'self' blocks it).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
