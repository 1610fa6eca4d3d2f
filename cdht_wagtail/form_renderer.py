"""A form renderer that builds the commonest widgets' HTML in Python.

Django renders every widget through three or four small templates (input → attrs, select →
option → attrs). On the self-assessment step page that was a third of the request time for
about twenty widgets (bench/bench_self_assessment.py). This renderer produces the very same
markup for plain inputs, textareas and selects, and for the project's field group
(`{{ field.as_field_group }}` with FIELD_TEMPLATE) — tests/test_form_renderer.py compares it
with Django's templates widget by widget — and hands every other template to Django unchanged, so
widgets with templates of their own (Wagtail's choosers, rich text) are untouched.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from learning_units.html import FIELD_TEMPLATE, escape_text, html_attrs

WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "search",
        "tel",
        "date",
        "datetime",
        "time",
        "color",
        "file",
    )
}


def _value(value):
    return "" if value is None else f' value="{escape_text(str(value))}"'


def _input(widget):
    return (
        f'<input type="{escape_text(widget["type"])}" '
        f'name="{escape_text(widget["name"])}"{_value(widget["value"])}'
        f"{html_attrs(widget['attrs'])}>"
    )


def _textarea(widget):
    value = escape_text(widget["value"]) if widget["value"] else ""
    name = escape_text(widget["name"])
    return f'<textarea name="{name}"{html_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option):
    return (
        f'<option value="{escape_text(str(option["value"]))}"{html_attrs(option["attrs"])}>'
        f"{escape_text(option['label'])}</option>\n"
    )


def _select(widget):
    parts = [f'<select name="{escape_text(widget["name"])}"{html_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != f"{WIDGETS}select_option.html":
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _clearable_file(widget):
    # With a current file the template adds a link and a "clear" box: leave that to Django.
    return None if widget.get("is_initial") else _input(widget)


def _field_group(context):
    """learning_units/includes/field.html for `{{ field.as_field_group }}`, same markup."""
    field = context["field"]
    errors = field.errors
    auto_id = escape_text(field.auto_id)
    required = ' <span aria-hidden="true">*</span>' if field.field.required else ""
    help_text = (
        f'<p class="field__help" id="{auto_id}_helptext">{escape_text(field.help_text)}</p>'
        if field.help_text
        else ""
    )
    error_html = (
        f'<div id="{auto_id}_error">'
        + "".join(f'<p class="field__error">{escape_text(error)}</p>' for error in errors)
        + "</div>"
        if errors
        else ""
    )
    return (
        f'<div class="field{" field--error" if errors else ""}">\n'
        f'  <label for="{escape_text(field.id_for_label)}">'
        f"{escape_text(field.label)}{required}</label>\n"
        f"  {escape_text(field)}\n"
        f"  {help_text}\n"
        f"  {error_html}\n"
        "</div>"  # Django's renderers strip what a template renders
    )


FAST = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}clearable_file_input.html": _clearable_file,
}
FAST_CONTEXTS = {FIELD_TEMPLATE: _field_group}


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        build = FAST.get(template_name)
        if build is not None and "widget" in context:
            html = build(context["widget"])
            if html is not None:
                return mark_safe(html)  # every value above went through conditional_escape
        build = FAST_CONTEXTS.get(template_name)
        if build is not None and "field" in context:
            return mark_safe(build(context))
        return super().render(template_name, context, request=request)
