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
    PageSpot,
    Rating,
    SamplePhoto,
    Strategy,
    Strength,
    WritingSample,
)
from conferbook.lib.icons import icon_names
from conferbook.lib.photos import (
    ACCEPT,
    MAX_BYTES,
    MAX_PAGES,
    MIN_SPOT,
    Box,
    KeptPhoto,
    PhotoRefused,
    keep_photo,
)
from conferbook.web.forms import validate_within_years

GRADE_CHOICES = [(i, label) for i, label in enumerate(GRADE_LABELS)]


def grouped_goal_choices(goals: Any) -> list[tuple[str, Any]]:
    """Choices for a goal menu, grouped by category in library order."""
    return [
        (category.name, [(g.pk, g.name) for g in group])
        for category, group in groupby(goals, key=lambda g: g.category)
    ]


class GoalChoiceForm(forms.Form):
    """A goal picked from `goals` (the ones the teacher may use, a list or a queryset),
    grouped by category."""

    goal = forms.TypedChoiceField(coerce=int, label="Goal", empty_value=None)

    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        cast(forms.ChoiceField, self.fields["goal"]).choices = [
            ("", "Choose a goal…"),
            *grouped_goal_choices(goals),
        ]

    def clean_goal(self) -> Goal:
        # One of the goals the menu was made from (read once, for the menu).
        picked = self.cleaned_data["goal"]
        goal = next((g for g in self.goals if g.pk == picked), None)
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


class _PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of photos of notebook pages, each read, checked and made safe to keep by
    `keep_photo`; a file that is refused is named in the field's errors, with why."""

    widget = _PhotoInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            "Take a photo of each page with the tablet's camera, or choose pictures "
            f"(JPEG, PNG or WebP, up to {MAX_BYTES // 1024 // 1024} MB each, "
            f"{MAX_PAGES} at a time).",
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": ACCEPT, "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[KeptPhoto]:  # type: ignore[override]
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError("Choose at least one photo of the page.")
            return []
        if len(files) > MAX_PAGES:
            raise ValidationError(
                f"That is {len(files)} photos; add at most {MAX_PAGES} at a time."
            )
        kept: list[KeptPhoto] = []
        refusals: list[str] = []
        for upload in files:
            name = str(upload.name or "photo")
            try:
                if upload.size is not None and upload.size > MAX_BYTES:
                    # Refused before the file is read into memory.
                    raise PhotoRefused(
                        f"“{name}” is {upload.size / 1024 / 1024:.0f} MB; a photo can be at "
                        f"most {MAX_BYTES // 1024 // 1024} MB."
                    )
                kept.append(keep_photo(upload.read(MAX_BYTES + 1), name=name))
            except PhotoRefused as refusal:
                refusals.append(str(refusal))
        if refusals:
            raise ValidationError(refusals)
        return kept


PHOTOS_NOT_KEPT = "Photos are never kept from a form with a mistake: choose them again."


class WritingSampleForm(forms.ModelForm):
    photos = PhotosField(label="Photos of the pages", required=False)

    class Meta:
        model = WritingSample
        fields = ["title", "kind", "written_on", "text"]
        labels = {"written_on": "Date written", "text": "The writing, typed"}
        help_texts = {
            "text": "Optional with photos: a typed copy is what “Read this for me” reads."
        }
        widgets = {
            "written_on": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["written_on"].initial = timezone.localdate()
        self.fields["written_on"].validators.append(validate_within_years)
        self.order_fields(["title", "kind", "written_on", "photos", "text"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = (cleaned.get("text") or "").strip()
        if not text and not cleaned.get("photos") and "photos" not in self.errors:
            raise ValidationError("Add a photo of the page, or type the writing.")
        return cleaned

    def photos_dropped(self) -> bool:
        """True when photos were chosen but the form is sent back: they must be chosen again
        (a browser never refills a file input)."""
        return bool(self.files.getlist("photos")) and bool(self.errors)


class TranscriptionForm(forms.ModelForm):
    class Meta:
        model = WritingSample
        fields = ["text"]
        labels = {"text": "What the pages say, typed as the student wrote it"}
        help_texts = {"text": "Spelling and all: “Read this for me” reads this copy."}
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}


class SamplePhotosForm(forms.Form):
    photos = PhotosField(label="Photos of more pages")


class SpotForm(forms.Form):
    """A rectangle marked on a page photo, in the photo's pixels, and what it shows."""

    kind = forms.ChoiceField(
        label="This part of the page shows",
        choices=PageSpot.Kind.choices,
        initial=PageSpot.Kind.STRENGTH,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label="Strength",
        max_length=200,
        required=False,
        help_text="What the student already does well here, e.g. Uses strong verbs.",
    )
    note = forms.CharField(
        label="Words on the page, or a note",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: the words in the rectangle, or what could be lifted here.",
    )
    goal = forms.ModelChoiceField(
        label="Goal it shows or could show",
        queryset=Goal.objects.none(),
        required=False,
        empty_label="No goal",
    )
    left = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    top = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    width = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    height = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, goals: Any, photo: SamplePhoto, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.photo = photo
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = goals

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(name in self.errors for name in ("left", "top", "width", "height")):
            self.errors.pop("left", None)
            self.errors.pop("top", None)
            self.errors.pop("width", None)
            self.errors.pop("height", None)
            raise ValidationError("Draw a rectangle on the page first.")
        box = self.box()
        if not box.fits(self.photo.width, self.photo.height):
            raise ValidationError(
                "Draw a rectangle on the page first: it must be inside the photo and at "
                f"least {MIN_SPOT} pixels a side."
            )
        if cleaned.get("kind") == PageSpot.Kind.STRENGTH and not cleaned.get("description"):
            self.add_error("description", "Name the strength, e.g. Uses strong verbs.")
        return cleaned

    def box(self) -> Box:
        data = self.cleaned_data
        return Box(data["left"], data["top"], data["width"], data["height"])


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
