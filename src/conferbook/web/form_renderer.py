"""Django's form renderer, with its commonest widgets written out in Python.

Django renders a widget through templates: a <select> includes one template per option,
and every option and input includes another for its attributes. The student page's goal
menu (the goal library, some fifty options) cost about a hundred template includes, a
tenth of the page's time. Here the select, its options, the text-like inputs and the
textarea are written by `_WRITERS`, to the character what Django's templates write
(tests/test_form_renderer.py compares the two); every other widget, and an option with a
template of its own, renders through Django's templates as before. A project template
overriding one of the widget templates written here would not be used: there is none, and
a new one belongs in `_WRITERS` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
OPTION = WIDGETS + "select_option.html"
# `{{ value }}` in a template: localized and escaped as Django's templates do.
_TEMPLATE = Context(autoescape=True)


def _shown(value: object) -> str:
    return render_value_in_context(value, _TEMPLATE)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html: True writes the bare name, False nothing."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    written = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{written}{_attrs(widget['attrs'])}>\n"
    )


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_shown(value) if value else ''}</textarea>\n"
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>\n"
    )


class FormRenderer(DjangoTemplates):
    """FORM_RENDERER: the widgets of `_WRITERS` written in Python, the rest by templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        writer = _WRITERS.get(template_name)
        if writer is None:
            return super().render(template_name, context, request)
        return mark_safe(writer(self, context).strip())  # as Django's render does

    def _select(self, context: Mapping[str, Any]) -> str:
        widget = context["widget"]
        parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
            for option in options:
                parts.append("\n  ")
                if option["template_name"] == OPTION:
                    parts.append(_option(option))
                else:  # as `{% include option.template_name with widget=option %}`
                    template = self.get_template(option["template_name"])
                    parts.append(template.render({**context, "widget": option}))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>\n")
        return "".join(parts)


_WRITERS: dict[str, Callable[[FormRenderer, Mapping[str, Any]], str]] = {
    WIDGETS + "select.html": FormRenderer._select,
    WIDGETS + "textarea.html": lambda renderer, context: _textarea(context["widget"]),
    **{
        f"{WIDGETS}{kind}.html": lambda renderer, context: _input(context["widget"])
        for kind in (
            "text",
            "number",
            "email",
            "url",
            "password",
            "hidden",
            "date",
            "datetime",
            "time",
            "search",
            "tel",
            "color",
            "checkbox",
        )
    },
}
