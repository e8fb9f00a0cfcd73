"""Small groups: suggested by shared goal, edited and saved, booked as one appointment."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from conferbook.accounts.http import TeacherRequest
from conferbook.accounts.models import User
from conferbook.board.forms import GroupSizeForm, SmallGroupForm
from conferbook.conferences.services import hold_group_conferences_left_open
from conferbook.goals.models import Goal, Strategy, StudentGoal
from conferbook.goals.selectors import goals_for, strategies_for
from conferbook.groups import selectors, services
from conferbook.groups.models import MIN_GROUP_SIZE, SmallGroup
from conferbook.groups.suggest import suggest_groups
from conferbook.lib import clock
from conferbook.lib.parse import int_or_zero
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import get_classroom_for, students_in
from conferbook.scheduling.forms import GroupBookingForm
from conferbook.scheduling.models import GroupAppointment
from conferbook.scheduling.selectors import group_appointments_between
from conferbook.scheduling.services import book_small_groups, next_group_slot


@dataclass(frozen=True)
class Suggestion:
    """A suggested group as the page shows it."""

    goal: Goal
    members: list[Student]
    strategy: Strategy | None
    number: int  # of the goal's suggested groups: "…, group 2"
    of: int
    saved: bool  # the class already has this group

    @property
    def name(self) -> str:
        return _group_name(self.goal, self.number, self.of)

    @property
    def value(self) -> str:
        """What the page posts back to save it: "<goal id>:<student ids>:<number>/<of>"."""
        ids = ",".join(str(m.pk) for m in self.members)
        return f"{self.goal.pk}:{ids}:{self.number}/{self.of}"


@dataclass(frozen=True)
class Suggestions:
    groups: list[Suggestion]
    one_on_one: list[Student]  # share a goal with too few classmates for a group
    left_out: list[tuple[Goal, list[Student]]]  # per goal: not placed in its groups
    without_goal: list[Student]


def _suggestions(
    *,
    teacher: User,
    classroom: Classroom,
    saved: list[SmallGroup],
    smallest: int,
    largest: int,
) -> Suggestions:
    """The suggested groups for these sizes, each marked when `saved` (the class's groups,
    members loaded) already holds it."""
    data = selectors.class_goals(classroom=classroom)
    by_id = {s.pk: s for s in data.students}
    found = suggest_groups(
        data.goals_by_student(),
        goal_order=selectors.library_order(data.goals),
        min_size=smallest,
        max_size=largest,
    )
    strategies = selectors.first_strategies(
        teacher=teacher, goal_ids=[g.goal_id for g in found.groups]
    )
    existing = {(g.goal_id, frozenset(m.pk for m in g.members.all())) for g in saved}
    per_goal = Counter(g.goal_id for g in found.groups)
    numbered: Counter[int] = Counter()
    groups = []
    for g in found.groups:
        goal = data.goals[g.goal_id]
        numbered[g.goal_id] += 1
        groups.append(
            Suggestion(
                goal=goal,
                members=[by_id[i] for i in g.student_ids],
                strategy=strategies.get(g.goal_id),
                number=numbered[g.goal_id],
                of=per_goal[g.goal_id],
                saved=(g.goal_id, frozenset(g.student_ids)) in existing,
            )
        )
    grouped = {g.goal_id for g in found.groups}
    return Suggestions(
        groups=groups,
        one_on_one=[by_id[i] for i in found.one_on_one],
        # Goals whose groups are full: the students who did not fit, whatever else they do.
        left_out=[
            (data.goals[goal_id], [by_id[i] for i in ids])
            for goal_id, ids in found.left_out.items()
            if goal_id in grouped
        ],
        without_goal=[s for s in data.students if not data.active[s.pk]],
    )


def _group_name(goal: Goal, number: int, of: int) -> str:
    """A suggested group's name: the goal's, numbered when the goal is split."""
    return f"{goal.name}, group {number}" if of > 1 else goal.name


def _bookings_ahead(classroom: Classroom) -> dict[int, list[GroupAppointment]]:
    """Each group's bookings from now to a year ahead, by group id (two queries)."""
    now = timezone.now()
    booked: dict[int, list[GroupAppointment]] = {}
    for appointment in group_appointments_between(
        classroom=classroom, start=now, end=now + timedelta(days=366)
    ):
        booked.setdefault(appointment.group_id, []).append(appointment)
    return booked


def _sizes(request: TeacherRequest) -> tuple[GroupSizeForm, int, int]:
    form = GroupSizeForm(request.GET if "smallest" in request.GET else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["smallest"], form.cleaned_data["largest"]
    return form, 2, 5


def groups(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Suggested groups for the sizes asked, the class's saved groups, and who meets alone."""
    teacher = request.user
    classroom = get_classroom_for(teacher=teacher, classroom_id=classroom_id)
    size_form, smallest, largest = _sizes(request)
    booked = _bookings_ahead(classroom)
    saved = list(selectors.small_groups_in(classroom=classroom))
    return render(
        request,
        "board/groups.html",
        {
            "classroom": classroom,
            "size_form": size_form,
            "smallest": smallest,
            "largest": largest,
            "suggestions": _suggestions(
                teacher=teacher,
                classroom=classroom,
                saved=saved,
                smallest=smallest,
                largest=largest,
            ),
            # One booking form per group, each with ids of its own: a label or help text
            # shared by two fields names only the first.
            "saved_groups": [
                (group, booked.get(group.pk, []), GroupBookingForm(auto_id=f"id_{group.pk}_%s"))
                for group in saved
            ],
            "group_slots": classroom.block.group_starts(),
            "next_slot": next_group_slot(classroom=classroom),
            "here": request.get_full_path(),
            "nav": "classes",
        },
    )


@require_POST
def groups_accept(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Save the suggested groups posted (one, or every one on the page)."""
    teacher = request.user
    classroom = get_classroom_for(teacher=teacher, classroom_id=classroom_id)
    back = reverse("board:groups", args=[classroom.pk]) + _size_query(request)
    wanted = _posted_suggestions(teacher=teacher, classroom=classroom, values=request.POST)
    if wanted is None:
        messages.error(request, "Those groups are out of date: here are the suggestions again.")
        return redirect(back)
    try:
        saved, already = services.accept_suggested_groups(classroom=classroom, groups=wanted)
    except services.GroupRefused as refused:
        messages.error(request, str(refused))
        return redirect(back)
    if saved:
        names = ", ".join(f"“{g.name}”" for g in saved)
        messages.success(
            request, f"Saved {len(saved)} group{'s' if len(saved) != 1 else ''}: {names}."
        )
    if already:
        messages.info(
            request, f"{already} of them {'was' if already == 1 else 'were'} saved already."
        )
    return redirect(back)


def _size_query(request: TeacherRequest) -> str:
    smallest, largest = (
        int_or_zero(request.POST.get("smallest")),
        int_or_zero(request.POST.get("largest")),
    )
    return f"?smallest={smallest}&largest={largest}" if smallest and largest else ""


def _posted_suggestions(
    *, teacher: User, classroom: Classroom, values: QueryDict
) -> list[services.GroupToSave] | None:
    """The groups the page posted ("<goal id>:<student ids>:<number>/<of>"), named as the
    page showed them, checked against what the teacher may use; None when any names a goal
    or a student that is not (or no longer) theirs, or fewer than two students."""
    raw = values.getlist("suggestion")
    posted = [read for value in raw if (read := _read_suggestion(value)) is not None]
    if not raw or len(posted) != len(raw):
        return None
    students = {s.pk: s for s in students_in(classroom=classroom)}
    goals = goals_for(teacher=teacher, include_hidden=True).in_bulk(
        {goal_id for goal_id, _, _, _ in posted}
    )
    strategies = selectors.first_strategies(teacher=teacher, goal_ids=list(goals))
    wanted = []
    for goal_id, ids, number, of in posted:
        goal = goals.get(goal_id)
        if goal is None or any(i not in students for i in ids):
            return None
        wanted.append(
            services.GroupToSave(
                name=_group_name(goal, number, of),
                goal=goal,
                strategy=strategies.get(goal.pk),
                members=[students[i] for i in ids],
            )
        )
    return wanted


def _read_suggestion(value: str) -> tuple[int, list[int], int, int] | None:
    """(goal id, student ids, number, of) from a posted suggestion; None for nonsense."""
    goal, _, rest = value.partition(":")
    members, _, numbering = rest.partition(":")
    number, _, of = numbering.partition("/")
    ids = [int_or_zero(i) for i in members.split(",")]
    counts = (int_or_zero(number), int_or_zero(of))
    if len(set(ids)) != len(ids) or len(ids) < MIN_GROUP_SIZE or not 1 <= counts[0] <= counts[1]:
        return None
    return int_or_zero(goal), ids, counts[0], counts[1]


def group_create(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    return _group_form(request, classroom=classroom, group=None)


def group_edit(request: TeacherRequest, group_id: int) -> HttpResponse:
    group = selectors.get_small_group_for(teacher=request.user, group_id=group_id)
    return _group_form(request, classroom=group.classroom, group=group)


def _group_form(
    request: TeacherRequest, *, classroom: Classroom, group: SmallGroup | None
) -> HttpResponse:
    """Form a group by hand, or edit one: its name, goal, strategy and members."""
    teacher = request.user
    goals = goals_for(teacher=teacher, include_hidden=group is not None)
    initial = {}
    if group is not None:
        initial = {
            "name": group.name,
            "goal": group.goal_id,
            "strategy": group.strategy_id,
            "members": [m.pk for m in group.members.all()],
        }
    data = request.POST if request.method == "POST" else None
    goal_pk = int_or_zero((data or request.GET).get("goal") or str(initial.get("goal") or ""))
    form = SmallGroupForm(
        data,
        initial=initial or {"goal": goal_pk or None},
        goals=goals,
        strategies=strategies_for(teacher=teacher, include_hidden=True).filter(goal_id=goal_pk),
        students=students_in(classroom=classroom),
    )
    goals_of = selectors.class_goals(classroom=classroom).active
    members_field = cast(forms.ModelMultipleChoiceField, form.fields["members"])
    members_field.label_from_instance = lambda s: _with_goals(s, goals_of.get(s.pk, []))  # type: ignore[method-assign, assignment]
    if data is not None and form.is_valid():
        try:
            saved = services.save_small_group(classroom=classroom, group=group, **form.cleaned_data)
        except services.GroupRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Saved the group “{saved.name}”.")
            return redirect(reverse("board:groups", args=[classroom.pk]) + f"#group-{saved.pk}")
    template = (
        "board/group_form.html#strategy-field"
        if request.headers.get("HX-Target") == "strategy-field"
        else "board/group_form.html"
    )
    return render(
        request,
        template,
        {
            "classroom": classroom,
            "group": group,
            "form": form,
            "nav": "classes",
        },
        status=400 if data is not None else 200,
    )


def _with_goals(student: Student, goals: list[StudentGoal]) -> str:
    """A member's checkbox label: the name, and the goals they work on."""
    name = f"{student.shown_name} {student.last_name}".strip()
    if not goals:
        return f"{name} (no goal yet)"
    return f"{name} ({'; '.join(sg.goal.name for sg in goals)})"


def _when(at: datetime) -> str:
    return clock.when_text(timezone.localtime(at))


@require_POST
def groups_book(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Book every saved group not booked yet into the next free small-group slots."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    booked = _bookings_ahead(classroom)
    waiting = [
        g
        for g in selectors.small_groups_in(classroom=classroom)
        if g.pk not in booked and len(g.members.all()) >= MIN_GROUP_SIZE
    ]
    if not waiting:
        messages.info(request, "Every group is booked already.")
        return redirect("board:groups", classroom_id=classroom.pk)
    made = book_small_groups(classroom=classroom, groups=waiting)
    if made:
        when = "; ".join(f"{a.group.name}: {_when(a.scheduled_for)}" for a in made)
        plural = "s" if len(made) != 1 else ""
        messages.success(request, f"Booked {len(made)} group{plural}. {when}.")
    if len(made) < len(waiting):
        messages.error(
            request,
            "Not every group could be booked: the class has no more free small-group slots "
            "in the next 60 school days (see “Small groups a day” in the class settings).",
        )
    return redirect("board:groups", classroom_id=classroom.pk)


@require_POST
def group_delete(request: TeacherRequest, group_id: int) -> HttpResponse:
    group = selectors.get_small_group_for(teacher=request.user, group_id=group_id)
    # A conference of the group still open is kept as held, in every member's chart.
    hold_group_conferences_left_open(meetings=group.conferences.all())
    services.remove_small_group(group=group)
    messages.success(
        request, f"The group “{group.name}” was removed; its conferences stay in the charts."
    )
    return redirect("board:groups", classroom_id=group.classroom_id)
