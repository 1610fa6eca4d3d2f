<<<<<<< HEAD
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
        "blocks: see learning_units/checks.py and README, “The base template”."
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
=======
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
>>>>>>> weakspots
