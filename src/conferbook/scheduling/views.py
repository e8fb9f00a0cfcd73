from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from conferbook.accounts.decorators import administrator_required
from conferbook.accounts.http import TeacherRequest
from conferbook.calendar import selectors as calendar_selectors
from conferbook.calendar import services as calendar_services
from conferbook.calendar.models import Rhythm, Term, Unavailability
from conferbook.calendar.rules import BOOKING_HORIZON, ClassCalendar
from conferbook.calendar.selectors import calendar_for
from conferbook.conferences import selectors as conference_selectors
from conferbook.groups.selectors import get_small_group_for
from conferbook.lib import clock
from conferbook.lib.parse import int_or_zero
from conferbook.lib.years import OUTSIDE_YEARS, within_years
from conferbook.roster.models import WEEKDAY_NAMES, Classroom
from conferbook.roster.selectors import (
    can_write,
    get_classroom_for,
    get_classroom_seen_by,
    get_student_for,
    students_in,
)
from conferbook.scheduling import pictures, selectors, services
from conferbook.scheduling.calendar_import import CalendarFileError, days_off
from conferbook.scheduling.forms import (
    CalendarImportForm,
    GroupBookingForm,
    SchoolDayForm,
    TermForm,
    UnavailabilityForm,
)


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
        if start - timezone.localdate() > BOOKING_HORIZON:
            raise forms.ValidationError("Choose a day within the coming school year.")
        return start


def today(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Today's conferences in order: who is now, who is next, time left in the block."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    today = selectors.today_for(classroom=classroom)
    done = conference_selectors.just_finished(
        teacher=request.user, classroom=classroom, conference_id=request.GET.get("done")
    )
    group_done = conference_selectors.just_finished_group(
        teacher=request.user, classroom=classroom, group_conference_id=request.GET.get("group_done")
    )
    return render(
        request,
        "scheduling/today.html",
        {
            "classroom": classroom,
            "today": today,
            "done": done,
            "done_next": (
                conference_selectors.next_appointment(user=request.user, student=done.student)
                if done is not None
                else None
            ),
            "group_done": group_done,
            "group_next": (
                services.next_meeting_of(group_conference=group_done) if group_done else None
            ),
            # Nobody left on today's list: whoever is due first is one tap away instead.
            "due_next": (
                conference_selectors.next_student_after(classroom=classroom, student=done.student)
                if done is not None and today.next_row is None
                else None
            ),
            "absences": services.absences_on(classroom=classroom, day=timezone.localdate()),
            "nav": "classes",
        },
    )


def week(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The week's appointments, one column per writing day, reading and writing told apart."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    monday = _monday(request, request.GET.get("start"))
    days = [monday + timedelta(days=i) for i in range(7) if i in classroom.school_weekdays]
    calendar = calendar_for(classroom=classroom)
    return render(
        request,
        "scheduling/week.html",
        {
            "classroom": classroom,
            "columns": selectors.week_columns(classroom=classroom, days=days),
            "days_off": {
                d: calendar.why_not_a_school_day(d) for d in days if not calendar.is_school_day(d)
            },
            "short_days": {d: calendar.block_end_on(d) for d in days if d in calendar.ends_early},
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
                f"conferences: {_count(result.plan.longest_gap, 'school day')} (the "
                f"writing block allows {result.cycle}).",
            )
            if result.reasons:
                messages.info(request, _sentence(result.reasons))
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
            "ahead": services.plan_ahead(classroom=classroom),
            "nav": "classes",
        },
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _sentence(reasons: list[str]) -> str:
    """["The wait is long because:", "a", "b"] -> "The wait is long because: a; b." """
    return f"{reasons[0]} {'; '.join(reasons[1:])}."


@require_POST
def absent(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Mark a student absent today: their conference moves, and the page says who moved."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    student = get_student_for(
        teacher=request.user, student_id=int_or_zero(request.POST.get("student"))
    )
    marked = services.mark_absent(classroom=classroom, student=student)
    if marked.absence is None:
        messages.warning(
            request,
            f"{student.shown_name} has no booked conference today that could move; "
            "schedule more school days.",
        )
    elif not marked.moves:
        messages.warning(
            request,
            f"{student.shown_name} is marked absent, but no later slot was free to move the "
            "conference to: schedule more school days, or book one by hand.",
        )
    else:
        messages.success(request, f"{student.shown_name} is absent. Moved: {_moves(marked.moves)}.")
    return redirect("scheduling:today", classroom_id=classroom.pk)


def _moves(moves: list[services.Move]) -> str:
    return "; ".join(
        f"{m.student.shown_name} {clock.when_text(timezone.localtime(m.was))} → "
        f"{clock.when_text(timezone.localtime(m.now))}"
        for m in moves
    )


@require_POST
def absence_undo(request: TeacherRequest, absence_id: int) -> HttpResponse:
    """Undo "Absent": every booking it moved goes back, and the missed conference goes."""
    absence = selectors.get_absence_for(teacher=request.user, absence_id=absence_id)
    try:
        back = services.undo_absence(absence=absence)
    except services.UndoRefused as refused:
        messages.error(request, str(refused))
    else:
        said = f" Back: {_moves(back)}." if back else ""
        messages.success(request, f"{absence.student.shown_name} is no longer absent.{said}")
    return redirect("scheduling:today", classroom_id=absence.classroom_id)


def school_days(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The class's closed and shortened days: add one by hand, or import a school calendar."""
    classroom = get_classroom_for(teacher=request.user, classroom_id=classroom_id)
    form = SchoolDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = calendar_services.save_school_day(classroom=classroom, **form.cleaned_data)
        messages.success(request, f"Saved {clock.long_day_text(saved.day)}.")
        _say_what_no_longer_fits(request, classroom, [saved.day])
        return redirect("scheduling:school_days", classroom_id=classroom.pk)
    return render(
        request,
        "scheduling/school_days.html",
        {
            "classroom": classroom,
            "form": form,
            "import_form": CalendarImportForm(),
            "days": calendar_selectors.school_days_listed(
                classroom=classroom, since=timezone.localdate() - timedelta(days=30)
            ),
            "nav": "classes",
        },
    )


def _say_what_no_longer_fits(
    request: TeacherRequest, classroom: Classroom, days: list[date]
) -> None:
    """Plan again around new days off or short days; name the hand-made bookings that no
    longer fit, for the teacher to move."""
    clashing = services.fit_to_calendar(teacher=request.user, classroom=classroom, days=days)
    if clashing:
        listed = "; ".join(
            f"{c.student.shown_name} {clock.when_text(timezone.localtime(c.scheduled_for))}"
            for c in clashing
            if c.scheduled_for
        )
        messages.warning(
            request,
            f"Booked by hand when there is no longer a block: {listed}. Move or cancel "
            "them from each student's page.",
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
            added = calendar_services.import_days_off(
                classroom=classroom, days=[(d.day, d.note) for d in found]
            )
            messages.success(
                request, f"Found {len(found)} days off in the calendar; {added} new ones added."
            )
            _say_what_no_longer_fits(request, classroom, [d.day for d in found])
    return redirect("scheduling:school_days", classroom_id=classroom.pk)


@require_POST
def school_day_delete(request: TeacherRequest, school_day_id: int) -> HttpResponse:
    school_day = calendar_selectors.get_school_day_for(
        teacher=request.user, school_day_id=school_day_id
    )
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
        before = services.student_bookings_ahead(classroom=classroom, student=student)
        calendar_services.set_see_more_often(classroom=classroom, student=student, value=more)
        replanned = services.replan_ahead(teacher=request.user, classroom=classroom)
        said = (
            f"{student.shown_name} will be seen "
            f"{'about twice as often as the others' if more else 'as often as everyone'}."
        )
        if replanned is not None:
            after = services.student_bookings_ahead(classroom=classroom, student=student)
            said += (
                f" The plan ahead changed: {_times(after)} (before: {_times(before)})."
                if after != before
                else " The plan ahead has no room to change yet: schedule more days."
            )
        else:
            said += " Schedule the class to see it in the plan."
        messages.success(request, said)
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
            "bookings": services.student_bookings_ahead(classroom=classroom, student=student),
            "nav": "classes",
        },
    )


@require_POST
def unavailability_delete(request: TeacherRequest, unavailability_id: int) -> HttpResponse:
    away = calendar_selectors.get_unavailability_for(
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
            f"Booked “{group.name}” for {clock.when_text(timezone.localtime(at))}.",
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


@require_safe
def coverage(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """Who has been seen in the current cycle, and who is overdue and by how much (a coach
    of the class's teacher reads it too)."""
    classroom = get_classroom_seen_by(user=request.user, classroom_id=classroom_id)
    today = timezone.localdate()
    calendar = calendar_for(classroom=classroom)
    show, start, end = _grid_range(request, calendar, today)
    grid = selectors.coverage_grid(
        classroom=classroom, start=start, end=end, today=today, calendar=calendar
    )
    if grid.days and grid.days[-1] < end and len(grid.days) == selectors.MOST_GRID_DAYS:
        messages.info(
            request,
            f"The picture shows {selectors.MOST_GRID_DAYS} school days at most: "
            f"up to {clock.day_text(grid.days[-1])}.",
        )
    return render(
        request,
        "scheduling/coverage.html",
        {
            "classroom": classroom,
            "coverage": grid.coverage,
            "picture": pictures.coverage_picture(grid),
            "weeks": pictures.weeks_picture(grid),
            "show": show,
            "term": calendar_selectors.term_on(today),
            "start": start,
            "end": end,
            "today": today,
            "can_write": can_write(user=request.user, classroom=classroom),
            "nav": "classes",
        },
    )


# The other ranges the coverage picture offers, in weeks back.
GRID_WEEKS = {"6w": 6, "12w": 12}


def _grid_range(
    request: TeacherRequest, calendar: ClassCalendar, today: date
) -> tuple[str, date, date]:
    """Which days the coverage picture shows: two cycles back and a week of bookings
    ahead (the default), the school term that holds today, 6 or 12 weeks, or the days
    typed in From and To. A day that is
    not a date, lies outside the calendar's years or comes after To is refused in plain
    words, and the default is shown."""
    start, ahead = selectors.two_cycles(calendar, today)
    raw_from, raw_to = request.GET.get("from"), request.GET.get("to")
    if raw_from or raw_to:
        try:
            first = date.fromisoformat(raw_from or "")
            last = date.fromisoformat(raw_to or "")
        except ValueError:
            messages.error(request, "From and To need two dates. Here are the last two cycles.")
        else:
            if not (within_years(first) and within_years(last)):
                messages.error(request, f"{OUTSIDE_YEARS} Here are the last two cycles.")
            elif first > last:
                messages.error(request, "From comes after To. Here are the last two cycles.")
            else:
                return "range", first, last
    show = request.GET.get("show", "cycle")
    if show == "term":
        term = calendar_selectors.term_on(today)
        if term is not None:
            return "term", term.starts_on, min(ahead, term.ends_on)
        messages.info(
            request,
            "No school term holds today (the school's Terms page sets them). "
            "Here are the last two cycles.",
        )
    if show in GRID_WEEKS:
        return show, today - timedelta(weeks=GRID_WEEKS[show]), ahead
    return "cycle", start, ahead


def _times(moments: list[datetime]) -> str:
    if not moments:
        return "none booked"
    return ", ".join(clock.when_text(timezone.localtime(at)) for at in moments)


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


# -- the school's terms --------------------------------------------------------------------


@administrator_required
def terms(request: TeacherRequest) -> HttpResponse:
    """The school's terms, and a form to add one (administrators only): "this term" in the
    coverage, goals and progress pictures is the term that holds the day."""
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = calendar_services.add_term(**form.cleaned_data)
        messages.success(request, f"Added “{term.name}”.")
        return redirect("scheduling:terms")
    return render(
        request,
        "scheduling/terms.html",
        {
            "form": form,
            "terms": calendar_selectors.terms(),
            "today": timezone.localdate(),
            "nav": "terms",
        },
    )


@require_POST
@administrator_required
def term_delete(request: TeacherRequest, term_id: int) -> HttpResponse:
    term = get_object_or_404(Term, pk=term_id)
    calendar_services.remove_term(term=term)
    messages.success(request, f"Removed “{term.name}”.")
    return redirect("scheduling:terms")
