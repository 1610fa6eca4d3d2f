"""A form renderer that builds the commonest widgets' HTML in Python.

Django renders every widget through three or four small templates (input → attrs, select →
option → attrs). On the self-assessment step page that was a third of the request time for
about twenty widgets (bench/bench_self_assessment.py). This renderer produces the very same
markup for plain inputs, textareas and selects — tests/test_form_renderer.py compares it with
Django's templates widget by widget — and hands every other template to Django unchanged, so
widgets with templates of their own (Wagtail's choosers, rich text) are untouched.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from learning_units.html import html_attrs

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
    return "" if value is None else f' value="{conditional_escape(str(value))}"'


def _input(widget):
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{_value(widget["value"])}'
        f"{html_attrs(widget['attrs'])}>"
    )


def _textarea(widget):
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    name = conditional_escape(widget["name"])
    return f'<textarea name="{name}"{html_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option):
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{html_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"
    )


def _select(widget):
    parts = [f'<select name="{conditional_escape(widget["name"])}"{html_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
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


FAST = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}clearable_file_input.html": _clearable_file,
}


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        build = FAST.get(template_name)
        if build is not None and "widget" in context:
            html = build(context["widget"])
            if html is not None:
                return mark_safe(html)  # every value above went through conditional_escape
        return super().render(template_name, context, request=request)
