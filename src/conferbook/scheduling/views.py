from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from conferbook.accounts.http import TeacherRequest
from conferbook.lib.block import days_to_see_everyone
from conferbook.lib.parse import int_or_zero
from conferbook.roster.models import WEEKDAY_NAMES
from conferbook.roster.selectors import get_classroom_for, get_student_for, students_in
from conferbook.scheduling import selectors, services


class ScheduleForm(forms.Form):
    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    school_days = forms.IntegerField(
        label="For how many school days", min_value=1, max_value=60, initial=10
    )


def today(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Today's conferences in order: who is now, who is next, time left in the block."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    return render(
        request,
        "scheduling/today.html",
        {
            "classroom": classroom,
            "today": selectors.today_for(classroom=classroom),
            "nav": "classes",
        },
    )


def week(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The week's appointments, one column per writing day, reading and writing told apart."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    monday = _monday(request.GET.get("start"))
    days = [monday + timedelta(days=i) for i in range(7) if i in classroom.weekdays]
    return render(
        request,
        "scheduling/week.html",
        {
            "classroom": classroom,
            "columns": selectors.week_columns(classroom=classroom, days=days),
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "following": monday + timedelta(days=7),
            "nav": "classes",
        },
    )


def plan(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Schedule the class for the coming school days, with the guarantee stated first."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    form = ScheduleForm(request.POST or None)
    students = students_in(classroom=classroom).count()
    slots = classroom.conference_slots_per_day()
    if request.method == "POST" and form.is_valid():
        result = services.schedule_class(
            teacher=request.user,
            classroom=classroom,
            start=form.cleaned_data["start"],
            school_days=form.cleaned_data["school_days"],
        )
        if result.created or result.plan.bookings:
            messages.success(
                request,
                f"Booked {result.created} conferences over {len(result.days)} school days. "
                f"Longest wait between two conferences: {result.plan.longest_gap} school "
                f"days (the least possible is {result.plan.lower_bound}).",
            )
            if result.plan.unbooked:
                messages.warning(
                    request,
                    f"{len(result.plan.unbooked)} students could not be booked in this "
                    "time: schedule more school days.",
                )
        else:
            messages.error(
                request, "Nothing could be booked: check the writing block's days and times."
            )
        start = form.cleaned_data["start"]
        monday = start - timedelta(days=start.weekday())
        return redirect(f"{reverse('scheduling:week', args=[classroom.pk])}?start={monday}")
    return render(
        request,
        "scheduling/plan.html",
        {
            "classroom": classroom,
            "form": form,
            "students": students,
            "slots": slots,
            "gap": days_to_see_everyone(students, slots),
            "nav": "classes",
        },
    )


@require_POST
def absent(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Mark a student absent today: their conference moves, and the page says who moved."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    student = get_student_for(
        teacher=request.user, student_id=int_or_zero(request.POST.get("student"))
    )
    moves = services.mark_absent(classroom=classroom, student=student)
    if not moves:
        messages.warning(
            request,
            f"{student.shown_name} has no booked conference today that could move; "
            "schedule more school days.",
        )
    else:
        said = "; ".join(
            f"{m.student.shown_name} {dateformat.format(timezone.localtime(m.was), 'D g:i')} → "
            f"{dateformat.format(timezone.localtime(m.now), 'D j M, g:i A')}"
            for m in moves
        )
        messages.success(request, f"{student.shown_name} is absent. Moved: {said}.")
    return redirect("scheduling:today", classroom_id=classroom.pk)


def month(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The month's appointments, printable from the browser on one page."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    first = _first_of_month(request.GET.get("month"))
    return render(
        request,
        "scheduling/month.html",
        {
            "classroom": classroom,
            "first": first,
            "weekday_names": [WEEKDAY_NAMES[d] for d in classroom.weekdays],
            "weeks": selectors.month_weeks(classroom=classroom, first=first),
            "previous": (first - timedelta(days=1)).replace(day=1),
            "following": (first.replace(day=28) + timedelta(days=4)).replace(day=1),
            "nav": "classes",
        },
    )


def coverage(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Who has been seen in the current cycle, and who is overdue and by how much."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    return render(
        request,
        "scheduling/coverage.html",
        {
            "classroom": classroom,
            "coverage": selectors.coverage_for(classroom=classroom),
            "nav": "classes",
        },
    )


def _first_of_month(raw: str | None) -> date:
    """The first day of the month asked for ("2026-11"), else of this month."""
    try:
        return date.fromisoformat(f"{raw}-01")
    except (TypeError, ValueError):
        return timezone.localdate().replace(day=1)


def _monday(raw: str | None) -> date:
    """The Monday of the week asked for (ISO date), else of this week."""
    try:
        day = date.fromisoformat(raw or "")
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())
