from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from conferbook.lib.block import Block
from conferbook.roster.models import WEEKDAY_NAMES, Classroom, Student


class ClassroomForm(forms.ModelForm):
    writing_days = forms.TypedMultipleChoiceField(
        choices=[(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)],
        widget=forms.CheckboxSelectMultiple,
        label="Writing days",
        initial=["0", "1", "2", "3", "4"],
    )
    reading_days = forms.TypedMultipleChoiceField(
        choices=[(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)],
        widget=forms.CheckboxSelectMultiple,
        label="Reading days",
        required=False,
        help_text="Reading conferences then join the same rotation.",
    )

    class Meta:
        model = Classroom
        fields = [
            "name",
            "writing_days",
            "block_start",
            "block_end",
            "mini_lesson_minutes",
            "conference_minutes",
            "changeover_minutes",
            "group_slots_per_day",
            "group_minutes",
            "reading_days",
            "reading_start",
            "reading_end",
        ]
        labels = {
            "name": "Class name",
            "block_start": "Writing block starts",
            "block_end": "Writing block ends",
            "mini_lesson_minutes": "Mini-lesson (minutes)",
            "conference_minutes": "Conference length (minutes)",
            "changeover_minutes": "Changeover between meetings (minutes)",
            "group_slots_per_day": "Small groups a day",
            "group_minutes": "Small-group length (minutes)",
            "reading_start": "Reading block starts",
            "reading_end": "Reading block ends",
        }
        help_texts = {
            "name": "For example: Room 12 Writing, or 4B",
            "conference_minutes": "Most teachers aim for 3 to 5 minutes.",
            "changeover_minutes": "Time to call the next student over and jot a note.",
            "group_slots_per_day": "Small groups meet right after the mini-lesson.",
        }
        widgets = {
            "block_start": forms.TimeInput(attrs={"type": "time"}),
            "block_end": forms.TimeInput(attrs={"type": "time"}),
            "reading_start": forms.TimeInput(attrs={"type": "time"}),
            "reading_end": forms.TimeInput(attrs={"type": "time"}),
        }

    # Fields a teacher may leave out: they keep the class's default.
    OPTIONAL_WITH_DEFAULT = ("changeover_minutes", "group_slots_per_day", "group_minutes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["writing_days"] = list(self.instance.writing_days)
            self.initial["reading_days"] = list(self.instance.reading_days)
        for name in self.OPTIONAL_WITH_DEFAULT:
            self.fields[name].required = False

    def _clean_with_default(self, name: str) -> int:
        value = self.cleaned_data.get(name)
        if value is None:
            field = Classroom._meta.get_field(name)
            assert isinstance(field, models.Field)
            return int(field.get_default())
        return int(value)

    def clean_changeover_minutes(self) -> int:
        return self._clean_with_default("changeover_minutes")

    def clean_group_slots_per_day(self) -> int:
        return self._clean_with_default("group_slots_per_day")

    def clean_group_minutes(self) -> int:
        return self._clean_with_default("group_minutes")

    @staticmethod
    def block_from(data: dict[str, Any]) -> Block:
        """The writing block the form describes, for the live answer and the checks."""
        return Block(
            start=data["block_start"],
            end=data["block_end"],
            days_per_week=len(data.get("writing_days") or ""),
            mini_lesson=data.get("mini_lesson_minutes") or 0,
            conference=data.get("conference_minutes") or 5,
            changeover=data.get("changeover_minutes") or 0,
            group_slots=data.get("group_slots_per_day") or 0,
            group_length=data.get("group_minutes") or 10,
        )

    def clean_writing_days(self) -> str:
        return "".join(sorted(self.cleaned_data["writing_days"]))

    def clean_reading_days(self) -> str:
        return "".join(sorted(self.cleaned_data.get("reading_days") or []))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("block_start"), data.get("block_end")
        if start and end and end <= start:
            self.add_error("block_end", "The writing block must end after it starts.")
        elif start and end and not self.errors and self.block_from(data).conference_slots() == 0:
            self.add_error(
                "mini_lesson_minutes",
                "No conference fits after this mini-lesson: make the block longer "
                "or the mini-lesson shorter.",
            )
        self._clean_reading_block(data)
        return data

    def _clean_reading_block(self, data: dict[str, Any]) -> None:
        """A reading block needs its days and both times, and must not overlap writing."""
        days, start, end = (
            data.get("reading_days"),
            data.get("reading_start"),
            data.get("reading_end"),
        )
        if not (days or start or end):
            return
        if not (days and start and end):
            self.add_error(
                "reading_days", "For a reading block, choose its days and both of its times."
            )
        elif end <= start:
            self.add_error("reading_end", "The reading block must end after it starts.")
        elif (
            set(days) & set(data.get("writing_days") or "")
            and data.get("block_start")
            and data.get("block_end")
            and start < data["block_end"]
            and data["block_start"] < end
        ):
            self.add_error("reading_start", "The reading block overlaps the writing block.")


class StudentForm(forms.ModelForm):
    class Meta:
        model = Student
        fields = ["first_name", "last_name", "preferred_name", "grade", "school_id"]
        help_texts = {
            "preferred_name": "The name the student goes by, if different.",
            "school_id": "Only if your school uses one.",
        }


class MoveStudentForm(forms.Form):
    to_classroom = forms.ModelChoiceField(queryset=Classroom.objects.none(), label="Move to")

    def __init__(self, *args: Any, classrooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to_classroom"]).queryset = classrooms


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Class list (CSV)",
        help_text=(
            "A spreadsheet saved as CSV with a header row, e.g. First name, Last name, Grade. "
            "OneRoster users.csv files work too."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError("That file is larger than 2 MB; a class list is much smaller.")
        return upload


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class CoTeacherForm(forms.Form):
    """Choose the person to add as a co-teacher (from `roster.selectors.people_to_share_with`)."""

    person = PersonChoiceField(
        queryset=None,
        label="Add a co-teacher",
        empty_label="Choose a person",
        help_text="A co-teacher sees and writes everything in this class, as you do.",
        error_messages={
            "required": "Choose the person to add.",
            "invalid_choice": "Choose a person from the list.",
        },
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people
