"""HTML built in Python where a template per element costs too much (form widgets, table rows)."""

import html

# The project's field group (label, widget, help, errors), for `{{ field.as_field_group }}`
# once a field's template_name is set to it; cdht_wagtail.form_renderer builds it in Python.
FIELD_TEMPLATE = "learning_units/includes/field.html"


def escape_text(value):
    """Django's `conditional_escape` without its lazy-argument wrapper (hundreds of calls per
    page): text that is already HTML (`__html__`) is kept, anything else is escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


_ESCAPED_NAMES = {}


def html_attrs(attrs):
    """Attributes as Django's and Wagtail's `attrs.html` write them: a leading space each, False
    leaves one out, True writes its name alone, other values escaped. Returns escaped text."""
    parts = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        escaped_name = _ESCAPED_NAMES.get(name)
        if escaped_name is None:
            escaped_name = f" {escape_text(name)}"
            if len(_ESCAPED_NAMES) < 512:  # names come from code: a few dozen in all
                _ESCAPED_NAMES[name] = escaped_name
        if value is True:
            parts.append(escaped_name)
        elif type(value) is int:
            parts.append(f'{escaped_name}="{value}"')
        else:
            parts.append(f'{escaped_name}="{_escaped_value(value)}"')
    return "".join(parts)


_ESCAPED_VALUES = {}


def _escaped_value(value):
    """Attribute values repeat from widget to widget ("step-form", "any", ids): short ones
    are escaped once and remembered (a bounded number of them)."""
    if type(value) is not str:  # numbers, and text already marked safe, as they come
        return escape_text(value if hasattr(value, "__html__") else str(value))
    escaped = _ESCAPED_VALUES.get(value)
    if escaped is None:
        escaped = escape_text(value)
        if len(value) <= 40 and len(_ESCAPED_VALUES) < 4096:
            _ESCAPED_VALUES[value] = escaped
    return escaped
