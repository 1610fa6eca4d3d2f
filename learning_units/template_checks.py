"""System check: the base template the apps' public pages extend (CDHT_BASE_TEMPLATE) has the
blocks they fill. The template contract, in one place:

- ``content``: the page itself (required: without it the apps' pages are blank);
- ``extra_head``: their scripts (autosave, live totals, the registration form's lists) and the
  verification page's metadata: without it the pages still work without JavaScript, but lose
  autosave and the live totals;
- ``title`` and ``body_class``: optional.

A host whose base names these blocks differently points CDHT_BASE_TEMPLATE at a small template
of its own that maps them, e.g. for the base.html of `wagtail start`::

    {% extends "base.html" %}
    {% block extra_js %}{{ block.super }}{% block extra_head %}{% endblock %}{% endblock %}

Registered by `LearningUnitsConfig.ready()`; runs with `manage.py check`.
"""

from django.core import checks
from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, ExtendsNode

from .conf import base_template

REQUIRED_BLOCKS = ("content",)
SCRIPT_BLOCKS = ("extra_head",)


def template_blocks(name, seen=()):
    """Names of the blocks a template renders, through its `{% extends %}` chain."""
    template = get_template(name).template
    blocks = {node.name for node in template.nodelist.get_nodes_by_type(BlockNode)}
    for node in template.nodelist.get_nodes_by_type(ExtendsNode):
        parent = node.parent_name.resolve(Context())
        if isinstance(parent, str) and parent not in seen:
            blocks |= template_blocks(parent, (*seen, name))
    return blocks


@checks.register(checks.Tags.templates)
def base_template_check(app_configs=None, **kwargs):
    name = base_template()
    hint = (
        "Point CDHT_BASE_TEMPLATE at a template of the site that extends its base and maps the "
        "blocks: see learning_units/template_checks.py and README, “The base template”."
    )
    try:
        blocks = template_blocks(name)
    except (TemplateDoesNotExist, TemplateSyntaxError) as error:
        return [
            checks.Error(
                f"CDHT_BASE_TEMPLATE {name!r} cannot be loaded: {error}",
                hint=hint,
                id="learning_units.E001",
            )
        ]
    problems = [
        checks.Error(
            f"CDHT_BASE_TEMPLATE {name!r} has no {{% block {block} %}}: the apps' pages would "
            "be blank.",
            hint=hint,
            id="learning_units.E002",
        )
        for block in REQUIRED_BLOCKS
        if block not in blocks
    ]
    problems += [
        checks.Warning(
            f"CDHT_BASE_TEMPLATE {name!r} has no {{% block {block} %}}: the apps' scripts "
            "(autosave, live totals) would not load.",
            hint=hint,
            id="learning_units.W001",
        )
        for block in SCRIPT_BLOCKS
        if block not in blocks
    ]
    return problems
