from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from conferbook.accounts.http import TeacherRequest
from conferbook.roster.models import WEEKDAY_NAMES
from conferbook.roster.selectors import get_classroom_for
from conferbook.scheduling import selectors


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
