"""HTML built in Python where a template per element costs too much (form widgets, table rows)."""

from django.utils.html import conditional_escape


def html_attrs(attrs):
    """Attributes as Django's and Wagtail's `attrs.html` write them: a leading space each, False
    leaves one out, True writes its name alone, other values escaped. Returns escaped text."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{conditional_escape(str(value))}"')
    return "".join(parts)
