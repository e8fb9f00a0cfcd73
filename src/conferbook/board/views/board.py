"""The class goals board, and changing a student's goal from it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from conferbook.accounts.http import TeacherRequest
from conferbook.accounts.models import User
from conferbook.board import pictures as goal_pictures
from conferbook.board import selectors
from conferbook.board.forms import BoardFilterForm, MoveForm
from conferbook.goals import selectors as goal_selectors
from conferbook.goals import services as goal_services
from conferbook.goals.models import MAX_ACTIVE_GOALS, Goal, StudentGoal
from conferbook.lib import clock
from conferbook.lib.parse import int_or_zero
from conferbook.roster.models import Student
from conferbook.roster.selectors import (
    can_write,
    get_classroom_for,
    get_classroom_seen_by,
    students_in,
)
from conferbook.web.http import paths_for, safe_next


@dataclass(frozen=True)
class CardLine(selectors.BoardCard):
    """A card as the board writes it: its addresses and days made once here. Made by the
    template for every card, a `{% url %}` and a date filter cost more than all the rest of
    the card (the class list's rows are made the same way: conferences.class_list)."""

    student_url: str = ""  # the student's page, in this class
    move_url: str = ""  # where "Change" and a dropped card go
    since: str = ""  # the day the goal was set: "8 Dec"
    due_on: str = ""  # the due day, ISO (data-due)
    due: str = ""  # the due day as pages write it: "Tue 8 Dec"


def _written(the_board: selectors.Board, classroom_id: int) -> selectors.Board:
    """The board with each card's texts made (CardLine)."""
    student_path = paths_for("conferences:student")
    move_path = paths_for("board:move", classroom_id)

    def line(card: selectors.BoardCard) -> CardLine:
        goal = card.student_goal
        return CardLine(
            card.row,
            goal,
            card.days_on_goal,
            card.other_goal,
            student_url=f"{student_path(card.student.pk)}?class={classroom_id}",
            move_url=move_path(card.student.pk),
            since=f"{goal.set_on.day} {goal.set_on:%b}" if goal else "",
            due_on=card.row.due.isoformat(),
            due=clock.day_text(card.row.due),
        )

    return replace(
        the_board,
        categories=[
            replace(
                category,
                columns=[
                    replace(column, cards=[line(card) for card in column.cards])
                    for column in category.columns
                ],
            )
            for category in the_board.categories
        ],
        without_goal=[line(card) for card in the_board.without_goal],
    )


@require_safe
def board(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The class as a goals chart: a column per goal in use, a card per student (a coach of
    the class's teacher reads it, without the controls that change a goal)."""
    classroom = get_classroom_seen_by(user=request.user, classroom_id=classroom_id)
    form = BoardFilterForm(request.GET)
    wanted = form.cleaned_data if form.is_valid() else {}
    the_board = selectors.board_for(
        classroom=classroom,
        category_id=wanted.get("category"),
        days=wanted.get("days") or "",
        overdue_only=bool(wanted.get("overdue")),
    )
    form.offer(the_board.categories_in_use)
    return render(
        request,
        "board/board.html",
        {
            "classroom": classroom,
            "board": _written(the_board, classroom.pk),
            "filter_form": form,
            "filtered": the_board.filtered,
            "here": request.get_full_path(),
            "can_write": can_write(user=request.user, classroom=classroom),
            "nav": "classes",
        },
    )


@require_safe
def pictures(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The class's goals as pictures: students per goal now, goals set, met and set aside
    each week of the school term (or of the last 12), and how long each student has been
    on their goal (a coach of the class's teacher reads it too)."""
    classroom = get_classroom_seen_by(user=request.user, classroom_id=classroom_id)
    found = selectors.goal_pictures(classroom=classroom)
    return render(
        request,
        "board/pictures.html",
        {
            "classroom": classroom,
            "found": found,
            "now": goal_pictures.goals_now(found),
            "weeks": goal_pictures.goal_weeks(found),
            "time": goal_pictures.time_on_goal(found),
            "can_write": can_write(user=request.user, classroom=classroom),
            "nav": "classes",
        },
    )


def move(request: TeacherRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """Change one student's goal: closing the old one as met or set aside, or adding a
    second. A page of its own (keyboards, tablets) and the dialog a dropped card opens."""
    teacher = request.user
    classroom = get_classroom_for(teacher=teacher, classroom_id=classroom_id)
    data = request.POST if request.method == "POST" else request.GET
    student = get_object_or_404(students_in(classroom=classroom), pk=student_id)
    active = goal_selectors.active_goals.all(student=student)
    moving = next((sg for sg in active if sg.pk == int_or_zero(data.get("from"))), None)
    back = safe_next(request, reverse("board:board", args=[classroom.pk]))
    goals = goal_selectors.goals_for(teacher=teacher)
    if request.method == "POST":
        form = MoveForm(request.POST, goals=goals)
    else:
        form = MoveForm(initial={"goal": data.get("to") or None}, goals=goals)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            message = _apply_move(
                teacher=teacher,
                student=student,
                moving=moving,
                goal=form.cleaned_data["goal"],
                outcome=form.cleaned_data["outcome"],
            )
        except (
            MoveIncomplete,
            goal_services.GoalLimitReached,
            goal_services.GoalAlreadyActive,
            goal_services.GoalNotActive,
        ) as refusal:
            error = str(refusal)
        else:
            messages.success(request, message)
            return redirect(back)
    context = {
        "classroom": classroom,
        "student": student,
        "active_goals": active,
        "moving": moving,
        "form": form,
        "error": error,
        "can_add": len(active) < MAX_ACTIVE_GOALS,
        "next": back,
        "nav": "classes",
    }
    template = (
        "board/move.html#move-form" if request.headers.get("HX-Request") else "board/move.html"
    )
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


class MoveIncomplete(Exception):
    pass


def _apply_move(
    *, teacher: User, student: Student, moving: StudentGoal | None, goal: Goal, outcome: str
) -> str:
    """Carry out the move; returns what the page says happened."""
    name = student.shown_name
    if outcome == "add":
        had_goal = student.student_goals.filter(status=StudentGoal.Status.ACTIVE).exists()
        goal_services.set_goal(teacher=teacher, student=student, goal=goal)
        return f"{name} now {'also ' if had_goal else ''}works on “{goal.name}”."
    if moving is None:
        raise MoveIncomplete("Choose the goal it replaces.")
    goal_services.change_goal(teacher=teacher, student_goal=moving, goal=goal, outcome=outcome)
    kept = "met" if outcome == StudentGoal.Status.MET else "set aside"
    return (
        f"{name} now works on “{goal.name}”; “{moving.goal.name}” is kept in "
        f"{name}'s goal history as {kept}."
    )
