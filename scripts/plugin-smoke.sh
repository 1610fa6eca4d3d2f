#!/usr/bin/env bash
# Install `learning_units` and `assessments` into a brand-new Wagtail site, the way README's
# "Add to an existing Wagtail site" says, and run a smoke flow (register → self-assess → submit →
# verify → recognise → public listing page shows the name). Exit status 0 means it worked.
#
#   scripts/plugin-smoke.sh            # temporary folder, removed afterwards
#   KEEP=1 scripts/plugin-smoke.sh     # keep the folder to look around
#
# Why this virtualenv: a fresh `python -m venv` plus `pip install` of every dependency would
# need the network and minutes. Instead the throwaway venv sees the project's .venv packages
# (Wagtail, Django, … at the pinned versions) through a .pth path line, and this project is
# built and installed into the throwaway venv itself with pip (no dependencies, no network).
# A path line does not run the .pth files of .venv, so the project's *editable* install there is
# not active: the host site imports the apps from the installed copy, as a real host would, and
# the script checks that.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
SITE_PACKAGES="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
WORK="$(mktemp -d /tmp/cdht-plugin.XXXXXX)"
cleanup() { [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"; }
trap cleanup EXIT
say() { echo "plugin smoke: $*"; }

# 1. A fresh Wagtail site.
cd "$WORK"
"$(dirname "$PY")/wagtail" start hostsite >/dev/null
say "wagtail start hostsite in $WORK"

# 2. A throwaway venv; build and install this project into it (a copy of the sources, so that
#    the build writes nothing into the repository).
"$PY" -m venv --without-pip "$WORK/venv"
VENV_PY="$WORK/venv/bin/python"
VENV_SITE="$("$VENV_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$SITE_PACKAGES" >"$VENV_SITE/cdht_project_dependencies.pth"
mkdir "$WORK/src"
(cd "$ROOT" && tar --exclude=__pycache__ --exclude='*.pyc' -cf - pyproject.toml README.md \
  learning_units assessments reports audit) |
  tar -xf - -C "$WORK/src"
"$PY" -m pip --python "$VENV_PY" install --quiet --quiet --no-deps \
  --ignore-installed "$WORK/src" 2>&1 | grep -v "^\s*$" || true
"$VENV_PY" - <<EOF
import importlib.util, pathlib
import assessments, learning_units, reports, audit
for module in (assessments, learning_units, reports, audit):
    assert module.__file__.startswith("$VENV_SITE"), module.__file__
# The wheel holds the apps only: the demo site's packages would shadow the host's own "home".
for name in ("home", "cdht_wagtail"):
    assert not (pathlib.Path("$VENV_SITE") / name).exists(), f"{name} was installed"
EOF
say "installed into $WORK/venv (apps import from its site-packages)"

# 3. The documented settings and URL include.
cat >>"$WORK/hostsite/hostsite/settings/base.py" <<'EOF'

# Learning Citizen apps (README: "Add to an existing Wagtail site"). They go first so that
# their templates win over same-named ones of other apps.
INSTALLED_APPS = [
    "learning_units",
    "assessments",
    "reports",
    "audit",
    *INSTALLED_APPS,
    "wagtail.contrib.routable_page",
    "axes",
]
MIDDLEWARE = [*MIDDLEWARE, "axes.middleware.AxesMiddleware"]
# Log-in by citizen ID or e-mail, paused after repeated failures (django-axes with the apps'
# own limits and messages).
AUTHENTICATION_BACKENDS = [
    "learning_units.login_lockout.LoginLockoutBackend",
    "learning_units.auth_backends.CitizenIdOrEmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "learning_units.login_lockout.TieredCacheHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "learning_units.login_lockout.failure_limit"
AXES_COOLOFF_TIME = "learning_units.login_lockout.window"
AXES_USERNAME_CALLABLE = "learning_units.login_lockout.username_key"
AXES_CLIENT_IP_CALLABLE = "learning_units.login_lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "learning_units.login_lockout.lockout_response"
CDHT_BASE_TEMPLATE = "cdht_layout.html"
CDHT_HOME_URL = "/"
EOF
"$VENV_PY" - "$WORK/hostsite/hostsite/urls.py" <<'EOF'
import sys
path = sys.argv[1]
text = open(path).read()
marker = 'path("", include(wagtail_urls)),'
assert text.count(marker) == 1
text = text.replace(marker, 'path("", include("assessments.site_urls")),\n    ' + marker, 1)
open(path, "w").write(text)
EOF
# The host's own layout for the apps' pages: its base template plus a marker the flow looks for.
cat >"$WORK/hostsite/hostsite/templates/cdht_layout.html" <<'EOF'
{% extends "base.html" %}
{% block extra_css %}<meta name="cdht-smoke-layout" content="1">{% endblock %}
{% block extra_js %}{{ block.super }}{% block extra_head %}{% endblock %}{% endblock %}
EOF
say "settings, urls and layout template added"

# 4. Migrate and run the flow.
cd "$WORK/hostsite"
export DJANGO_SETTINGS_MODULE=hostsite.settings.dev
"$VENV_PY" manage.py migrate --noinput -v0
say "migrated"
# The layout maps the apps' blocks onto the host's: the base template check stays quiet.
if "$VENV_PY" manage.py check 2>&1 | grep -q "learning_units\.[EW]"; then
  "$VENV_PY" manage.py check >&2 || true
  echo "plugin smoke: the base template check reports a problem" >&2
  exit 1
fi
# A host cannot make the apps' migrations: every model change must ship with its migration.
if ! out="$("$VENV_PY" manage.py makemigrations --check --dry-run learning_units assessments 2>&1)"; then
  echo "$out" >&2
  echo "plugin smoke: the apps have model changes without a migration" >&2
  exit 1
fi
# README step 4: the official areas, the national criteria sets (with a demo campaign, the
# README's way to try the apps), and residential areas from a file as a commune would send it.
"$VENV_PY" manage.py load_areas >/dev/null
"$VENV_PY" manage.py load_criteria --demo >/dev/null
"$VENV_PY" manage.py shell --no-startup -c "
from learning_units.models import Area, AreaLevel
code = Area.objects.filter(level=AreaLevel.COMMUNE).order_by('code').values_list('code', flat=True)[0]
with open('$WORK/residential-areas.csv', 'w', encoding='utf-8') as file:
    file.write(f'Mã khu dân cư,Tên,Loại,Mã xã/phường\\n{code}-SMOKE,Thôn Một,thôn,{code}\\n')
"
"$VENV_PY" manage.py import_data areas "$WORK/residential-areas.csv" >/dev/null
say "areas, criteria sets and a residential area loaded with the documented commands"
"$VENV_PY" manage.py shell --no-startup <"$ROOT/scripts/plugin_smoke_flow.py"
