from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from conferbook.board.selectors import DAYS_ON_GOAL
from conferbook.conferences.forms import NextMeetingForm
from conferbook.goals.forms import GoalChoiceForm, grouped_goal_choices
from conferbook.goals.models import Goal, StudentGoal
from conferbook.groups.models import MIN_GROUP_SIZE
from conferbook.groups.suggest import Mode
from conferbook.web.forms import ModelMultipleChoiceField


class BoardFilterForm(forms.Form):
    """The board's filters as asked; a category not in use on the board is ignored there."""

    category = forms.IntegerField(required=False, label="Category", widget=forms.Select)
    days = forms.ChoiceField(choices=list(DAYS_ON_GOAL.items()), required=False, label="On goal")
    overdue = forms.BooleanField(required=False, label="Overdue for a conference only")

    def offer(self, categories: Any) -> None:
        """The categories the menu offers: those in use on the board."""
        self.fields["category"].widget.choices = [  # type: ignore[attr-defined]
            ("", "All categories"),
            *[(c.pk, c.name) for c in categories],
        ]


class MoveForm(GoalChoiceForm):
    """Change a student's goal from the board: the same rule as everywhere else."""

    outcome = forms.ChoiceField(
        choices=[
            (StudentGoal.Status.MET, "Met"),
            (StudentGoal.Status.SET_ASIDE, "Set aside"),
            ("add", "Add as a second goal"),
        ],
        error_messages={"required": "Choose what happens to the goal it replaces."},
    )

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, goals=goals, **kwargs)
        self.fields["goal"].label = "New goal"
        self.fields["goal"].error_messages["required"] = "Choose the new goal."


class GroupSizeForm(forms.Form):
    smallest = forms.IntegerField(min_value=MIN_GROUP_SIZE, max_value=10, initial=2, label="From")
    largest = forms.IntegerField(min_value=MIN_GROUP_SIZE, max_value=10, initial=5, label="to")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("smallest") and data.get("largest") and data["largest"] < data["smallest"]:
            raise ValidationError("The largest group must not be smaller than the smallest.")
        return data


class SmallGroupForm(forms.Form):
    name = forms.CharField(max_length=120, label="Group name", help_text="e.g. Dialogue group")
    goal = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label="Goal")
    strategy = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Strategy to teach",
        error_messages={"invalid_choice": "Choose a strategy of the group's goal."},
    )
    members: forms.ModelMultipleChoiceField[Any] = ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Members",
        error_messages={"required": "Tick at least two students."},
    )

    def __init__(self, *args: Any, goals: Any, strategies: Any, students: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.goals, self.strategies = goals, strategies
        cast(forms.ChoiceField, self.fields["goal"]).choices = [
            ("", "No goal"),
            *grouped_goal_choices(goals),
        ]
        cast(forms.ChoiceField, self.fields["strategy"]).choices = [
            ("", "Choose when you meet"),
            *[(s.pk, s.name) for s in strategies],
        ]
        cast(forms.ModelMultipleChoiceField, self.fields["members"]).queryset = students

    def clean_goal(self) -> Goal | None:
        pk = self.cleaned_data["goal"]
        if pk is None:
            return None
        goal = self.goals.filter(pk=pk).first()
        if goal is None:
            raise ValidationError("Choose a goal from the library.")
        return goal

    def clean_members(self) -> Any:
        members = self.cleaned_data["members"]
        if len(members) < MIN_GROUP_SIZE:
            raise ValidationError("A small group needs at least two students.")
        return members

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pk, goal = data.get("strategy"), data.get("goal")
        if pk is not None:
            strategy = self.strategies.filter(pk=pk).first()
            if strategy is None or goal is None or strategy.goal_id != goal.pk:
                self.add_error("strategy", "Choose a strategy of the group's goal.")
            else:
                data["strategy"] = strategy
        return data


class PartnerModeForm(forms.Form):
    mode = forms.ChoiceField(
        choices=[
            (Mode.SAME_GOAL.value, "Same goal: partners work on the same goal"),
            (
                Mode.COMPLEMENTARY.value,
                "Complementary: each is strong where the other is working",
            ),
        ],
        initial=Mode.SAME_GOAL.value,
        widget=forms.RadioSelect,
        label="Pair students by",
    )


class PairForm(forms.Form):
    students: forms.ModelMultipleChoiceField[Any] = ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Partners",
        error_messages={"required": "Tick two students (or three for a trio)."},
    )
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Why",
        help_text="Shown on their pages; left empty, the goals they share are named.",
    )

    def __init__(self, *args: Any, students: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["students"]).queryset = students

    def clean_students(self) -> Any:
        students = self.cleaned_data["students"]
        if not 2 <= len(students) <= 3:
            raise ValidationError("Tick two students (or three for a trio).")
        return students


class GroupFinishForm(NextMeetingForm):
    """Finishing a small-group conference: the group's next meeting, or "not now"."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        at = data.get("next_at")
        if at is not None and at <= timezone.now():
            self.add_error("next_at", "Choose a time that has not passed yet.")
        elif at is None and not data.get("not_now") and not self.errors:
            raise ValidationError("Book the group's next meeting, or choose “Not now”.")
        return data
