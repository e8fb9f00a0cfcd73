"""Every printable, its choice form and how it is built: one list for the web pages and
the `conferbook print` command, so both validate the same way and print the same PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from conferbook.accounts.models import User
from conferbook.goals.models import Goal, StudentGoal
from conferbook.goals.selectors import goals_for
from conferbook.lib.sheets import PAPERS, SHEETS
from conferbook.printables import documents
from conferbook.printables.documents import Bundle, Document
from conferbook.printables.forms import (
    CalendarForm,
    CardForm,
    ChecklistForm,
    PaperForm,
    PosterForm,
    SpanForm,
    StickerForm,
    StripForm,
)
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import students_in


@dataclass(frozen=True)
class Choice:
    """What a teacher asked for: the class, maybe one student, and the form's answers."""

    teacher: User
    classroom: Classroom
    student: Student | None
    form: forms.Form

    @property
    def data(self) -> dict[str, Any]:
        return self.form.cleaned_data

    @property
    def student_ids(self) -> list[int] | None:
        return [self.student.pk] if self.student else None

    @property
    def label(self) -> str:
        return self.student.shown_name if self.student else ""


@dataclass(frozen=True)
class Printable:
    key: str  # its address: /classes/<id>/print/<key>.pdf, /students/<id>/print/<key>.pdf
    title: str
    form_class: Callable[..., forms.Form]
    build: Callable[[Choice], Document | Bundle]
    for_class: bool = True
    for_student: bool = True


def sticker_goals(*, teacher: User, classroom: Classroom) -> list[Goal]:
    """Goals offered for stickers: those in use in the class first, then the library."""
    in_use = set(
        StudentGoal.objects.filter(
            student__in=students_in(classroom=classroom), status=StudentGoal.Status.ACTIVE
        ).values_list("goal_id", flat=True)
    )
    library = list(
        goals_for(teacher=teacher)
        .select_related("category")
        .order_by("category__position", "category__pk", "position", "pk")
    )
    return sorted(library, key=lambda goal: goal.pk not in in_use)


def _make(
    printable: Printable,
    data: QueryDict | None,
    *,
    teacher: User,
    classroom: Classroom,
    student: Student | None,
) -> forms.Form:
    # Every form shares a page with the others: ids carry the printable's key.
    kwargs: dict[str, Any] = {"teacher": teacher, "auto_id": f"id_{printable.key}_%s"}
    if printable.form_class is StickerForm and student is None:
        kwargs["goals"] = sticker_goals(teacher=teacher, classroom=classroom)
    form = printable.form_class(data, **kwargs)
    if printable.form_class is CardForm and student is None:
        # Today's cards when anyone is on today's list; otherwise a card for everyone.
        today = documents.todays_student_ids(classroom=classroom)
        form.fields["who"].initial = "today" if today else "all"
    if student is not None:
        # One student: always their own stickers, and their own card.
        form.fields.pop("who", None)
        form.fields.pop("mode", None)
    return form


def blank_form(
    printable: Printable, *, teacher: User, classroom: Classroom, student: Student | None
) -> forms.Form:
    return _make(printable, None, teacher=teacher, classroom=classroom, student=student)


def form_for(
    printable: Printable,
    query: QueryDict,
    *,
    teacher: User,
    classroom: Classroom,
    student: Student | None,
) -> forms.Form:
    """The printable's form bound to `query`, a choice left out taking its default.

    So a short link (`cards.pdf?who=today`) prints on the teacher's usual stock.
    """
    blank = blank_form(printable, teacher=teacher, classroom=classroom, student=student)
    data = query.copy()
    for name, field in blank.fields.items():
        initial = blank.get_initial_for_field(field, name)
        if name not in data and initial not in (None, ""):
            data[name] = str(initial)
    return _make(printable, data, teacher=teacher, classroom=classroom, student=student)


def _cards(choice: Choice) -> Document:
    today = choice.student is None and choice.data["who"] == "today"
    if today and not documents.todays_student_ids(classroom=choice.classroom):
        raise documents.NothingToPrint(
            "Nobody is on today's list. Choose “Every student” to print a card for each."
        )
    return documents.cards(
        teacher=choice.teacher,
        classroom=choice.classroom,
        sheet=SHEETS[choice.data["sheet"]],
        start_at=choice.data["start"] - 1,
        student_ids=(
            documents.todays_student_ids(classroom=choice.classroom)
            if today
            else choice.student_ids
        ),
        label=f"{choice.label}-card" if choice.student else ("todays-cards" if today else "cards"),
    )


def _stickers(choice: Choice) -> Document:
    sheet, start = SHEETS[choice.data["sheet"]], choice.data["start"] - 1
    if choice.student is None and choice.data["mode"] == "goals":
        assert isinstance(choice.form, StickerForm)
        return documents.goal_stickers(
            counts=choice.form.counts(), sheet=sheet, start_at=start, title=choice.classroom.name
        )
    return documents.own_stickers(
        classroom=choice.classroom,
        sheet=sheet,
        each=choice.data["each"],
        start_at=start,
        student_ids=choice.student_ids,
    )


def _paper(choice: Choice) -> Any:
    return PAPERS[choice.data["paper"]]


PRINTABLES: dict[str, Printable] = {
    p.key: p
    for p in [
        Printable("cards", "Appointment cards", CardForm, _cards),
        Printable("stickers", "Picture-clue stickers", StickerForm, _stickers),
        Printable(
            "strips",
            "Desk strips",
            StripForm,
            lambda c: documents.strips(
                classroom=c.classroom, sheet=SHEETS[c.data["sheet"]], student_ids=c.student_ids
            ),
        ),
        Printable(
            "chart",
            "Two-column chart",
            SpanForm,
            lambda c: documents.binder(
                teacher=c.teacher,
                classroom=c.classroom,
                paper=_paper(c),
                student_ids=c.student_ids,
                period=c.data["period"],
            ),
        ),
        Printable(
            "calendar",
            "Calendar pages",
            CalendarForm,
            lambda c: documents.calendar(
                classroom=c.classroom,
                first=documents.month_start(c.data["month"]),
                months=c.data["months"],
                paper=_paper(c),
            ),
            for_student=False,
        ),
        Printable(
            "coverage",
            "Who has been seen (picture)",
            PaperForm,
            lambda c: documents.coverage(classroom=c.classroom, paper=_paper(c)),
            for_student=False,
        ),
        Printable(
            "poster",
            "Class goals chart",
            PosterForm,
            lambda c: documents.poster(classroom=c.classroom, paper=_paper(c)),
            for_student=False,
        ),
        Printable(
            "checklists",
            "Self-assessment checklists",
            ChecklistForm,
            lambda c: documents.checklists(
                teacher=c.teacher,
                classroom=c.classroom,
                paper=_paper(c),
                checklist=c.data["checklist"],
                category_ids=[category.pk for category in c.data["categories"]],
                student_ids=c.student_ids,
            ),
        ),
        Printable(
            "reports",
            "Parent-teacher conference reports",
            SpanForm,
            lambda c: documents.reports(
                teacher=c.teacher,
                classroom=c.classroom,
                paper=_paper(c),
                student_ids=c.student_ids,
                period=c.data["period"],
            ),
        ),
    ]
}
