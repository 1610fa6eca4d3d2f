"""The template contract of CDHT_BASE_TEMPLATE (learning_units.template_checks): a host's base
without the blocks the apps fill is reported by `manage.py check`, not found by a blank page."""

import pytest

from learning_units.template_checks import base_template_check


def ids(settings, tmp_path, **templates):
    for name, text in templates.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return [message.id for message in base_template_check()]


def test_the_project_base_template_passes():
    assert base_template_check() == []


def test_a_base_without_extra_head_warns_and_a_mapping_template_fixes_it(settings, tmp_path):
    host_base = (
        "<html><head>{% block extra_css %}{% endblock %}</head>"
        "<body>{% block content %}{% endblock %}{% block extra_js %}{% endblock %}</body></html>"
    )
    settings.CDHT_BASE_TEMPLATE = "host_base.html"
    assert ids(settings, tmp_path, **{"host_base.html": host_base}) == ["learning_units.W001"]

    mapping = (
        '{% extends "host_base.html" %}'
        "{% block extra_js %}{{ block.super }}{% block extra_head %}{% endblock %}{% endblock %}"
    )
    settings.CDHT_BASE_TEMPLATE = "cdht_layout.html"
    assert ids(settings, tmp_path, **{"cdht_layout.html": mapping}) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<html>{% block extra_head %}{% endblock %}</html>", ["learning_units.E002"]),
        ("{% block content %}", ["learning_units.E001"]),
    ],
)
def test_a_base_without_content_or_broken_is_an_error(settings, tmp_path, text, expected):
    settings.CDHT_BASE_TEMPLATE = "host_base.html"
    assert ids(settings, tmp_path, **{"host_base.html": text}) == expected


def test_a_missing_base_template_is_an_error(settings):
    settings.CDHT_BASE_TEMPLATE = "no/such/template.html"
    assert [message.id for message in base_template_check()] == ["learning_units.E001"]
