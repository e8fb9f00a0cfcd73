"""The form renderer writes the commonest widgets in Python: the same HTML as Django's
templates, character for character, for every kind of value and every hostile text."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from conferbook.goals.forms import SetGoalForm
from conferbook.goals.models import Goal
from conferbook.web.form_renderer import FormRenderer

HOSTILE = "<script>alert(\"x\")</script> & 'quotes' {{ not a tag }}"

GROUPED = [
    ("", "Choose a goal…"),
    ("Structure", [(1, "Lead that hooks"), (2, HOSTILE), (HOSTILE, "A hostile value")]),
    (HOSTILE, [(3, "Ending"), ("4", mark_safe("<b>kept bold</b>"))]),
    ("Loose", "A choice outside any group"),
]


class OptionOfItsOwn(forms.Select):
    """A select whose options have a template of their own (rendered by Django's)."""

    option_template_name = "django/forms/widgets/checkbox_option.html"


class EveryWidget(forms.Form):
    pick = forms.TypedChoiceField(choices=GROUPED, coerce=str, required=False)
    own = forms.ChoiceField(
        choices=GROUPED, widget=OptionOfItsOwn(attrs={"data-x": HOSTILE}), required=False
    )
    picks = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", HOSTILE), ("c", "C")], required=False
    )
    yes_no = forms.NullBooleanField(required=False)
    text = forms.CharField(
        required=False,
        help_text="helps",
        widget=forms.TextInput(attrs={"placeholder": HOSTILE, "data-note": HOSTILE, "size": 7}),
    )
    number = forms.IntegerField(required=False)
    decimal = forms.DecimalField(required=False, decimal_places=2)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    moment = forms.DateTimeField(required=False)
    clock = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), required=False)
    tick = forms.BooleanField(required=False)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "data-autosave": True, "hidden": False}),
        required=False,
    )
    radio = forms.ChoiceField(choices=[("1", "One"), ("2", HOSTILE)], widget=forms.RadioSelect)


BOUND = [
    {},
    {
        "pick": HOSTILE,
        "picks": ["a", "c"],
        "yes_no": "true",
        "text": HOSTILE,
        "number": "0",
        "decimal": "1.50",
        "email": "ana@example.org",
        "url": "https://example.org/?a=1&b=2",
        "secret": HOSTILE,
        "hidden": "0",
        "day": "2026-12-05",
        "moment": "2026-12-05 09:40",
        "clock": "09:40",
        "tick": "on",
        "note": HOSTILE + "\n\nsecond paragraph",
        "radio": "2",
    },
    {"pick": "4", "number": "not a number", "day": "31/31/31", "note": "", "text": ""},
]

INITIAL = {
    "pick": 3,
    "number": 0,
    "decimal": 2.5,
    "day": datetime.date(1901, 1, 1),
    "moment": datetime.datetime(2999, 12, 31, 23, 59),
    "clock": datetime.time(7, 5),
    "tick": True,
    "note": "kept",
    "text": mark_safe("<i>safe</i>"),
}


def _fields(form: forms.Form) -> list[str]:
    return [str(field) for field in form]


@pytest.mark.parametrize("data", BOUND)
def test_it_writes_what_django_templates_write_for_bound_forms(data):
    ours = EveryWidget(data, renderer=FormRenderer())
    djangos = EveryWidget(data, renderer=DjangoTemplates())
    ours.is_valid(), djangos.is_valid()
    assert _fields(ours) == _fields(djangos)


def test_it_writes_what_django_templates_write_for_initial_values():
    ours = EveryWidget(initial=INITIAL, renderer=FormRenderer())
    assert _fields(ours) == _fields(EveryWidget(initial=INITIAL, renderer=DjangoTemplates()))
    assert "&lt;script&gt;" in str(ours["pick"]) and "<script>" not in str(ours["pick"])


@pytest.mark.django_db
def test_the_goal_menu_is_written_the_same_for_the_whole_library():
    goals = (
        Goal.objects.filter(owner=None)
        .select_related("category")
        .order_by("category__position", "position")
    )
    assert goals.count() > 40
    ours, djangos = (
        str(SetGoalForm(goals=goals, renderer=renderer)["goal"])
        for renderer in (FormRenderer(), DjangoTemplates())
    )
    assert ours == djangos
    assert ours.count("<option") == goals.count() + 1


def test_it_is_the_renderer_of_every_form():
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    assert isinstance(get_default_renderer(), FormRenderer)
