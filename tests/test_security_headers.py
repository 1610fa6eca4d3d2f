"""Response headers: a strict Content-Security-Policy on the public site (relaxed for the
Wagtail admin only), referrer policy, framing, and the production settings' HSTS and cookies."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_the_public_site_forbids_inline_scripts_and_styles(client, db):
    policy = directives(client.get("/accounts/login/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["default-src"]


def test_the_admin_alone_allows_inline_code(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    policy = directives(client.get("/admin/"))
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["object-src"] == ["'none'"]


def test_referrer_and_framing_headers(client, db):
    response = client.get("/accounts/login/")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


PUBLIC_TEMPLATE_DIRS = [
    ROOT / "templates",
    ROOT / "home" / "templates",
    ROOT / "assessments" / "templates" / "assessments" / "public",
    ROOT / "assessments" / "templates" / "assessments" / "pages",
    ROOT / "assessments" / "templates" / "assessments" / "certificates",
    ROOT / "learning_units" / "templates" / "learning_units",
]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\son[a-z]+=\"|\sstyle=\"", re.I)


def is_pdf_template(path):
    """Certificates and dossiers are rendered to PDF by xhtml2pdf, never served as HTML."""
    return path.name.startswith(("certificate_", "dossier"))


@pytest.mark.parametrize("folder", PUBLIC_TEMPLATE_DIRS, ids=lambda path: path.name)
def test_public_templates_carry_no_inline_script_or_style(folder):
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in folder.rglob("*.html")
        if "admin" not in path.relative_to(folder).parts and not is_pdf_template(path)
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
        if "application/json" not in match.group(0) and "application/ld+json" not in match.group(0)
    ]
    assert offenders == []


@pytest.mark.parametrize("password", ["Abc12345", "password123", "0912345678"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "password",
    ["cdht-demo-citizen", "cdht-demo-admin", "cdht-demo-branch", "correct-horse-battery"],
)
def test_the_demo_and_factory_passwords_still_pass(password):
    validate_password(password)


def test_production_settings_harden_transport_and_cookies(monkeypatch):
    import importlib

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "cdht.example.org")
    production = importlib.import_module("cdht_wagtail.settings.production")
    production = importlib.reload(production)
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_AGE <= 24 * 60 * 60
    assert production.CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"]
