"""The apps install into a brand-new Wagtail site and work there (scripts/plugin-smoke.sh).

The script runs `wagtail start`, installs this project with pip into a throwaway virtualenv,
adds the apps and one URL include the way README says, migrates, and drives a citizen from
registration to a recognition shown on a listing page of the host's page tree (and the
officer's review queue in the admin). 25 s of CPU; 45–60 s wall time on the shared 2-core
machine. pip fetches the build backend (setuptools>=69, pyproject's build-system) from the
package index, or its cache: the .venv's setuptools is too old to build without isolation.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "plugin-smoke.sh"
WAGTAIL = Path(sys.executable).parent / "wagtail"


@pytest.mark.skipif(
    not WAGTAIL.exists() and shutil.which("wagtail") is None,
    reason="the `wagtail` command (from the wagtail package) is not installed",
)
def test_apps_install_into_a_fresh_wagtail_site_and_the_smoke_flow_passes():
    env = {
        key: value
        for key, value in os.environ.items()
        # The host site has its own settings and database: nothing of this suite's may leak in.
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
    }
    env["PYTHON"] = sys.executable
    result = subprocess.run(
        ["bash", str(SCRIPT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "PLUGIN SMOKE OK" in result.stdout
    assert "listing page /recognitions/ shows" in result.stdout


PLUGIN_APPS = ("learning_units", "assessments")


def plugin_sources():
    for app in PLUGIN_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_apps_import_neither_home_nor_the_project_package():
    pattern = re.compile(r"^\s*(from|import)\s+(home|cdht_wagtail)\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(ROOT)) for path in plugin_sources() if pattern.search(path.read_text())
    ]
    assert offenders == []


def test_every_cdht_setting_the_apps_read_is_documented_with_its_default():
    from assessments.conf import DEFAULTS

    names = set()
    for path in plugin_sources():
        if path.name != "conf.py":
            names |= set(re.findall(r"CDHT_([A-Z][A-Z_]*[A-Z])\b", path.read_text()))
    assert sorted(names - set(DEFAULTS)) == []


def test_public_templates_extend_the_configurable_base_template():
    offenders = []
    for app in PLUGIN_APPS:
        for path in (ROOT / app / "templates").rglob("*.html"):
            first = path.read_text().lstrip().split("\n", 1)[0]
            if '{% extends "base.html" %}' in first:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
