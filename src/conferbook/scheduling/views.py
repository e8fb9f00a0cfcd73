from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from conferbook.accounts.http import TeacherRequest
from conferbook.groups.selectors import get_small_group_for
from conferbook.lib.parse import int_or_zero
from conferbook.lib.years import OUTSIDE_YEARS, within_years
from conferbook.roster.models import WEEKDAY_NAMES
from conferbook.roster.selectors import get_classroom_for, get_student_for, students_in
from conferbook.scheduling import selectors, services
from conferbook.scheduling.calendar_import import CalendarFileError, days_off
from conferbook.scheduling.forms import (
    CalendarImportForm,
    GroupBookingForm,
    SchoolDayForm,
    UnavailabilityForm,
)
from conferbook.scheduling.models import Rhythm, SchoolDay, Unavailability


class ScheduleForm(forms.Form):
    start = forms.DateField(
        label="From", widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    school_days = forms.IntegerField(
        label="For how many school days", min_value=1, max_value=60, initial=10
    )

    def clean_start(self) -> date:
        start: date = self.cleaned_data["start"]
        if start < timezone.localdate():
            raise forms.ValidationError("Choose today or a later day: the past is not re-planned.")
        return start


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
    monday = _monday(request, request.GET.get("start"))
    days = [monday + timedelta(days=i) for i in range(7) if i in classroom.school_weekdays]
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
                f"Booked {_count(result.created, 'conference')} over "
                f"{_count(len(result.days), 'school day')}. Longest wait between two "
                f"conferences: {_count(result.plan.longest_gap, 'school day')} (the least "
                f"possible is {result.plan.lower_bound}).",
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
            "gap": services.expected_gap(classroom=classroom),
            "nav": "classes",
        },
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


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


def school_days(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The class's closed and shortened days: add one by hand, or import a school calendar."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    form = SchoolDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = services.save_school_day(classroom=classroom, **form.cleaned_data)
        messages.success(request, f"Saved {dateformat.format(saved.day, 'l j F')}.")
        return redirect("scheduling:school_days", classroom_id=classroom.pk)
    return render(
        request,
        "scheduling/school_days.html",
        {
            "classroom": classroom,
            "form": form,
            "import_form": CalendarImportForm(),
            "days": SchoolDay.objects.filter(
                classroom=classroom, day__gte=timezone.localdate() - timedelta(days=30)
            ),
            "nav": "classes",
        },
    )


@require_POST
def school_days_import(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    form = CalendarImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            found = days_off(form.cleaned_data["file"].read())
        except CalendarFileError as error:
            messages.error(request, f"{error} Nothing was changed.")
        else:
            added = services.import_days_off(
                classroom=classroom, days=[(d.day, d.note) for d in found]
            )
            messages.success(
                request, f"Found {len(found)} days off in the calendar; {added} new ones added."
            )
    return redirect("scheduling:school_days", classroom_id=classroom.pk)


@require_POST
def school_day_delete(request: TeacherRequest, school_day_id: int) -> HttpResponse:
    school_day = selectors.get_school_day_for(teacher=request.user, school_day_id=school_day_id)
    school_day.delete()
    messages.success(request, "That day is an ordinary writing day again.")
    return redirect("scheduling:school_days", classroom_id=school_day.classroom_id)


def rhythm(request: TeacherRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """How often to see a student, and the weekly times they are away (a pull-out)."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    student = get_student_for(teacher=request.user, student_id=student_id)
    if not classroom.students.filter(pk=student.pk).exists():
        raise Http404
    form = UnavailabilityForm(request.POST or None)
    if request.method == "POST" and "see_more_often" in request.POST:
        more = request.POST["see_more_often"] == "1"
        services.set_see_more_often(classroom=classroom, student=student, value=more)
        messages.success(
            request,
            f"{student.shown_name} will be seen "
            f"{'about twice as often as the others' if more else 'as often as everyone'}.",
        )
        return redirect("scheduling:rhythm", classroom_id=classroom.pk, student_id=student.pk)
    if request.method == "POST" and form.is_valid():
        away = form.save(commit=False)
        away.classroom, away.student = classroom, student
        away.save()
        messages.success(request, f"Saved: {student.shown_name} is away {away}.")
        return redirect("scheduling:rhythm", classroom_id=classroom.pk, student_id=student.pk)
    return render(
        request,
        "scheduling/rhythm.html",
        {
            "classroom": classroom,
            "student": student,
            "form": form,
            "more_often": Rhythm.objects.filter(
                classroom=classroom, student=student, see_more_often=True
            ).exists(),
            "away": Unavailability.objects.filter(classroom=classroom, student=student),
            "nav": "classes",
        },
    )


@require_POST
def unavailability_delete(request: TeacherRequest, unavailability_id: int) -> HttpResponse:
    away = selectors.get_unavailability_for(
        teacher=request.user, unavailability_id=unavailability_id
    )
    away.delete()
    messages.success(request, f"{away.student.shown_name} is no longer away {away}.")
    return redirect("scheduling:rhythm", classroom_id=away.classroom_id, student_id=away.student_id)


@require_POST
def small_group_book(request: TeacherRequest, group_id: int) -> HttpResponse:
    group = get_small_group_for(teacher=request.user, group_id=group_id)
    form = GroupBookingForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            OUTSIDE_YEARS
            if form.has_error("at", "outside_years")
            else "Please give a date and time, or leave it empty.",
        )
        return redirect("board:groups", classroom_id=group.classroom_id)
    at = form.cleaned_data["at"]
    if at is not None and (
        problem := services.group_slot_problem(classroom=group.classroom, at=at)
    ):
        messages.error(request, problem)
        return redirect("board:groups", classroom_id=group.classroom_id)
    at = at or services.next_group_slot(classroom=group.classroom)
    if at is None:
        messages.error(
            request,
            "There is no small-group slot to book: set “Small groups a day” in the class settings.",
        )
    else:
        services.book_small_group(group=group, at=at)
        messages.success(
            request,
            f"Booked “{group.name}” for "
            f"{dateformat.format(timezone.localtime(at), 'D j M, g:i A')}.",
        )
    return redirect("board:groups", classroom_id=group.classroom_id)


@require_POST
def group_appointment_cancel(request: TeacherRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.get_group_appointment_for(
        teacher=request.user, appointment_id=appointment_id
    )
    appointment.delete()
    messages.success(request, f"Cancelled the appointment of “{appointment.group.name}”.")
    return redirect("board:groups", classroom_id=appointment.group.classroom_id)


def month(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The month's appointments, printable from the browser on one page."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    first = _first_of_month(request, request.GET.get("month"))
    return render(
        request,
        "scheduling/month.html",
        {
            "classroom": classroom,
            "first": first,
            "weekday_names": [WEEKDAY_NAMES[d] for d in classroom.school_weekdays],
            "weeks": selectors.month_weeks(classroom=classroom, first=first),
            "previous": (first - timedelta(days=1)).replace(day=1),
            "following": selectors.first_of_next_month(first),
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


def _first_of_month(request: TeacherRequest, raw: str | None) -> date:
    """The first day of the month asked for ("2026-11"), else of this month."""
    return _day_asked(request, raw and f"{raw}-01", "month").replace(day=1)


def _monday(request: TeacherRequest, raw: str | None) -> date:
    """The Monday of the week asked for (ISO date), else of this week."""
    day = _day_asked(request, raw, "week")
    return day - timedelta(days=day.weekday())


def _day_asked(request: TeacherRequest, raw: str | None, period: str) -> date:
    """The day in the address (ISO date), else today; a day that is not a date, or lies
    outside the years the calendar shows, is today, with a message saying why."""
    if not raw:
        return timezone.localdate()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        messages.error(request, f"That is not a date. Here is this {period}.")
        return timezone.localdate()
    if not within_years(day):
        messages.error(request, f"{OUTSIDE_YEARS} Here is this {period}.")
        return timezone.localdate()
    return day
