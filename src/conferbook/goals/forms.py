from __future__ import annotations

from itertools import groupby
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from conferbook.goals.models import (
    GRADE_LABELS,
    Checklist,
    ChecklistItem,
    Goal,
    MentorText,
    Rating,
    Strategy,
    Strength,
    WritingSample,
)
from conferbook.lib.icons import icon_names
from conferbook.web.forms import validate_within_years

GRADE_CHOICES = [(i, label) for i, label in enumerate(GRADE_LABELS)]


def grouped_goal_choices(goals: Any) -> list[tuple[str, Any]]:
    """Choices for a goal menu, grouped by category in library order."""
    return [
        (category.name, [(g.pk, g.name) for g in group])
        for category, group in groupby(goals, key=lambda g: g.category)
    ]


class GoalChoiceForm(forms.Form):
    """A goal picked from `goals` (the ones the teacher may use), grouped by category."""

    goal = forms.TypedChoiceField(coerce=int, label="Goal", empty_value=None)

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        cast(forms.ChoiceField, self.fields["goal"]).choices = [
            ("", "Choose a goal…"),
            *grouped_goal_choices(goals),
        ]

    def clean_goal(self) -> Goal:
        goal = self.goals.filter(pk=self.cleaned_data["goal"]).first()
        if goal is None:
            raise ValidationError("Please choose a goal from the library.")
        return goal


class SetGoalForm(GoalChoiceForm):
    set_with_student = forms.BooleanField(
        required=False, initial=True, label="Set together with the student"
    )


class GoalForm(forms.ModelForm):
    grade_low = forms.TypedChoiceField(choices=GRADE_CHOICES, coerce=int, label="From grade")
    grade_high = forms.TypedChoiceField(
        choices=GRADE_CHOICES, coerce=int, label="To grade", initial=8
    )

    class Meta:
        model = Goal
        fields = [
            "category",
            "name",
            "student_words",
            "checklist_item",
            "clue_words",
            "clue_icon",
            "grade_low",
            "grade_high",
        ]
        labels = {"name": "Goal (for you)", "student_words": "In the student's words"}
        help_texts = {
            "student_words": "Begin with “I can…”, e.g. I can start my story with a hook.",
            "checklist_item": "A line a student could tick when self-assessing.",
            "clue_words": "Two to four words for a sticker, e.g. Hook the reader.",
        }

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories
        # A picture clue from the icons Conferbook ships (they print on stickers and cards).
        self.fields["clue_icon"] = forms.ChoiceField(
            label="Picture clue",
            required=False,
            choices=[("", "None (a star prints)")]
            + [(name, name.replace("-", " ")) for name in sorted(icon_names())],
        )

    def clean_student_words(self) -> str:
        words: str = self.cleaned_data["student_words"].strip()
        if not words.lower().startswith("i can"):
            words = f"I can {words[0].lower()}{words[1:]}" if words else words
        if len(words) > 200:
            raise ValidationError(
                "Please keep the student's words under 200 characters, “I can” included."
            )
        return words

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("grade_low"), data.get("grade_high")
        if low is not None and high is not None and low > high:
            self.add_error("grade_high", "The last grade must not be below the first.")
        return data


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["name", "steps"]
        labels = {"name": "Strategy", "steps": "Steps"}
        widgets = {"steps": forms.Textarea(attrs={"rows": 5})}


class MentorTextForm(forms.ModelForm):
    class Meta:
        model = MentorText
        fields = ["title", "author", "goal", "notice"]
        labels = {"goal": "Shows this goal"}
        widgets = {"notice": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = goals


class WritingSampleForm(forms.ModelForm):
    class Meta:
        model = WritingSample
        fields = ["title", "kind", "written_on", "text"]
        labels = {"written_on": "Date written", "text": "The writing"}
        widgets = {
            "written_on": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["written_on"].initial = timezone.localdate()
        self.fields["written_on"].validators.append(validate_within_years)


class StrengthForm(forms.ModelForm):
    class Meta:
        model = Strength
        fields = ["description", "evidence", "sample", "goal"]
        error_messages = {
            "description": {"required": "Name the strength first, e.g. Uses strong verbs."}
        }
        labels = {"description": "Strength", "evidence": "Evidence from the writing"}
        help_texts = {
            "description": "What the student already does well, e.g. Uses strong verbs.",
            "evidence": "Quote the student's own words. Tip: select text in a writing sample.",
        }
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, samples: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["sample"]).queryset = samples
        self.fields["sample"].label = "From the writing sample"
        goal = cast(forms.ModelChoiceField, self.fields["goal"])
        goal.queryset = goals
        goal.label = "Shows the goal"
        goal.help_text = (
            "The library goal this strength shows, if any: the student can then partner "
            "with a classmate working on it."
        )

    def clean_evidence(self) -> str:
        evidence: str = self.cleaned_data.get("evidence", "").strip()
        if len(evidence) > 2000:
            raise ValidationError(
                "Please quote a shorter part of the writing (under 2,000 characters)."
            )
        return evidence


class SelfAssessmentForm(forms.Form):
    """One "not yet / starting to / yes" answer for every line of a checklist."""

    def __init__(self, *args: Any, checklist: Checklist, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        self.items = list(checklist.items.all())
        for item in self.items:
            self.fields[f"item-{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=Rating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose one answer for this line."},
            )

    def lines(self) -> list[tuple[ChecklistItem, forms.BoundField]]:
        return [(item, self[f"item-{item.pk}"]) for item in self.items]

    def ratings(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item-{item.pk}"] for item in self.items}
