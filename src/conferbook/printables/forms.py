"""The choices a teacher makes before printing. Every form reads from a GET query."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.calendar.selectors import terms
from conferbook.goals.models import Checklist, Goal, GoalCategory
from conferbook.goals.selectors import categories_for
from conferbook.lib.sheets import CARD_SHEETS, PAPERS, SHEETS, STICKER_SHEETS, STRIP_SHEETS
from conferbook.lib.years import FIRST_YEAR, LAST_YEAR
from conferbook.printables import spans
from conferbook.printables.documents import BY_CATEGORY
from conferbook.web.forms import ModelMultipleChoiceField, validate_within_years

PAGE_PAPERS = [(key, PAPERS[key].name) for key in ("letter", "a4")]
POSTER_PAPERS = [(key, PAPERS[key].name) for key in ("letter", "a4", "tabloid")]
MOST_STICKERS = 600


def _sheet_choices(keys: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(key, SHEETS[key].name) for key in keys]


def default_sheet(keys: tuple[str, ...], paper: str) -> str:
    """The first sheet of the teacher's paper size."""
    return next((key for key in keys if key.startswith(paper)), keys[0])


class PaperForm(forms.Form):
    paper = forms.ChoiceField(label="Paper", choices=PAGE_PAPERS)

    def __init__(self, *args: Any, teacher: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paper"].initial = teacher.paper


def _day_field(label: str, which: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_within_years],
        error_messages={"invalid": f"Write the {which} day as a date, such as 2026-09-01."},
    )


class SpanForm(PaperForm):
    """Paper, and which conferences: this term unless the teacher chooses another term,
    dates of their own, or everything. A valid form's `period` is the choice made."""

    conferences = forms.ChoiceField(
        label="Which conferences",
        error_messages={
            "invalid_choice": "Choose one of the spans in the list.",
            "required": "Choose which conferences to print.",
        },
    )
    since = _day_field("From", "first")
    until = _day_field("To", "last")

    def __init__(self, *args: Any, teacher: User, **kwargs: Any) -> None:
        super().__init__(*args, teacher=teacher, **kwargs)
        today = timezone.localdate()
        every_term = terms()  # read once for both
        self.current = spans.this_term(today, every_term)
        self.begun = spans.terms_begun(today, every_term)
        field = cast(forms.ChoiceField, self.fields["conferences"])
        field.choices = spans.choices(self.current, self.begun)
        field.initial = spans.THIS_TERM
        start, end = self.current.start, self.current.end
        assert start is not None and end is not None
        field.help_text = (
            f"This term: {self.current.name}, {spans.days_text(start, end, today=today)}."
            if self.current.term
            else f"No school term holds today: {self.current.name}, unless you choose."
        )
        self.fields["until"].help_text = "With “From … to …”: both days are included."
        self.fields["since"].initial = start
        self.fields["until"].initial = end

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("conferences")
        since, until = data.get("since"), data.get("until")
        if choice == spans.DATES:
            for name, day, which in (("since", since, "first"), ("until", until, "last")):
                if day is None and name not in self.errors:
                    self.add_error(name, f"Give the {which} day, or choose another span.")
            if since and until and until < since:
                self.add_error("until", "The last day comes before the first day.")
        if choice and not self.errors:
            data["period"] = spans.period_of(
                choice, current=self.current, begun=self.begun, since=since, until=until
            )
        return data


class PreferenceForm(forms.Form):
    paper = forms.ChoiceField(label="Your printer's paper", choices=User.Paper.choices)


class _StartForm(forms.Form):
    """A sheet of stock, and where to start on a partly used one."""

    SHEETS: tuple[str, ...] = ()
    sheet = forms.ChoiceField(label="Stock")
    start = forms.IntegerField(
        label="Start at label", min_value=1, initial=1, help_text="1 is the top-left label."
    )

    def __init__(self, *args: Any, teacher: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sheet"]).choices = _sheet_choices(self.SHEETS)
        self.fields["sheet"].initial = default_sheet(self.SHEETS, teacher.paper)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sheet, start = data.get("sheet"), data.get("start")
        if sheet and start and start > SHEETS[sheet].per_sheet:
            self.add_error(
                "start", f"This stock has {SHEETS[sheet].per_sheet} labels: choose 1 to that."
            )
        return data


class CardForm(_StartForm):
    SHEETS = CARD_SHEETS
    who = forms.ChoiceField(
        label="For",
        choices=[("today", "Today's students"), ("all", "Every student")],
        initial="today",
    )


class StripForm(forms.Form):
    sheet = forms.ChoiceField(label="Paper", choices=_sheet_choices(STRIP_SHEETS))

    def __init__(self, *args: Any, teacher: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].initial = default_sheet(STRIP_SHEETS, teacher.paper)


class StickerForm(_StartForm):
    """Either each student's own stickers, or chosen goals in chosen numbers.

    Goal counts arrive as `goal_<id>` fields, one per goal offered.
    """

    SHEETS = STICKER_SHEETS
    mode = forms.ChoiceField(
        label="Print",
        choices=[("own", "Each student's own goals, with their name"), ("goals", "Chosen goals")],
        initial="own",
        widget=forms.RadioSelect,
    )
    each = forms.IntegerField(
        label="Stickers of each goal per student", min_value=1, max_value=30, initial=3
    )

    def __init__(
        self, *args: Any, teacher: User, goals: list[Goal] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, teacher=teacher, **kwargs)
        self.goals = goals or []
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.IntegerField(
                label=goal.clue_words or goal.name,
                min_value=0,
                max_value=MOST_STICKERS,
                required=False,
                initial=0,
            )

    def goal_fields(self) -> list[tuple[Goal, forms.BoundField]]:
        return [(goal, self[f"goal_{goal.pk}"]) for goal in self.goals]

    def counts(self) -> list[tuple[Goal, int]]:
        return [
            (goal, self.cleaned_data.get(f"goal_{goal.pk}") or 0)
            for goal in self.goals
            if self.cleaned_data.get(f"goal_{goal.pk}")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("mode") == "goals" and self.goals:
            total = sum(count for _, count in self.counts())
            if total == 0:
                raise forms.ValidationError("Give at least one goal a number of stickers.")
            if total > MOST_STICKERS:
                raise forms.ValidationError(
                    f"That is {total} stickers; print at most {MOST_STICKERS} at a time."
                )
        return data


class CalendarForm(PaperForm):
    month = forms.CharField(
        label="First month",
        widget=forms.DateInput(attrs={"type": "month"}),
        initial=lambda: timezone.localdate().strftime("%Y-%m"),
    )
    months = forms.IntegerField(label="Months", min_value=1, max_value=12, initial=1)

    def clean_month(self) -> str:
        month: str = self.cleaned_data["month"]
        year, _, number = month.partition("-")
        if not (year.isdigit() and number.isdigit() and 1 <= int(number) <= 12):
            raise forms.ValidationError("Choose a month, such as 2026-11.")
        if not FIRST_YEAR <= int(year) <= LAST_YEAR:
            raise forms.ValidationError(
                f"Choose a month between the years {FIRST_YEAR} and {LAST_YEAR}."
            )
        return month


class PosterForm(forms.Form):
    paper = forms.ChoiceField(label="Poster size", choices=POSTER_PAPERS)

    def __init__(self, *args: Any, teacher: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paper"].initial = teacher.paper


def checklist_choices() -> list[tuple[str, Any]]:
    """What a checklist is made of: a genre in each student's grade band, one built-in
    checklist by key ("narrative-3-5"), or the goals of chosen categories."""
    built_in = list(Checklist.objects.order_by("position", "key"))
    return [
        (
            "In each student's grade band",
            [(genre, f"{label} writing") for genre, label in Checklist.Genre.choices],
        ),
        (
            "One grade band for everyone",
            [(c.key, f"{c.get_genre_display()}, grades {c.get_band_display()}") for c in built_in],
        ),
        (BY_CATEGORY, "Goals of the categories below"),
    ]


class ChecklistForm(PaperForm):
    checklist = forms.ChoiceField(
        label="Checklist",
        initial=Checklist.Genre.NARRATIVE,
        help_text="The student's goals are shaded and marked ★ on whichever you print.",
    )
    categories = ModelMultipleChoiceField(
        label="Goal categories",
        queryset=GoalCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "For “Goals of the categories below”; leave all unticked to use the categories "
            "of each student's own goals."
        ),
    )

    def __init__(self, *args: Any, teacher: User, **kwargs: Any) -> None:
        super().__init__(*args, teacher=teacher, **kwargs)
        cast(forms.ChoiceField, self.fields["checklist"]).choices = checklist_choices()
        field = self.fields["categories"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = categories_for(teacher=teacher)
