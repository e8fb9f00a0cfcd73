from __future__ import annotations

import json
import uuid
from datetime import datetime, time

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from conferbook.accounts.decorators import school_time_kept
from conferbook.accounts.http import TeacherRequest
from conferbook.calendar.rules import BookingRefused
from conferbook.calendar.selectors import aware, calendar_for, span_of_term
from conferbook.compiled import CompiledQuery
from conferbook.conferences import pictures, screens, selectors, services
from conferbook.conferences.class_list import class_links, class_list, rendered_lines
from conferbook.conferences.forms import BookForm, FinishForm
from conferbook.conferences.models import AUTOSAVED_FIELDS, Conference
from conferbook.goals import reading as goal_reading
from conferbook.goals import selectors as goal_selectors
from conferbook.goals import services as goal_services
from conferbook.goals.forms import SetGoalForm, StrengthForm, grouped_goal_choices
from conferbook.goals.models import MAX_ACTIVE_GOALS, StudentGoal
from conferbook.groups.selectors import partners_of
from conferbook.lib import clock
from conferbook.lib.parse import int_or_zero
from conferbook.lib.photos import ACCEPT as PHOTO_ACCEPT
from conferbook.roster.forms import MoveStudentForm
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import (
    can_write,
    classrooms_for,
    get_classroom_for,
    get_classroom_seen_by,
    get_student_and_classroom_for,
    get_student_and_classroom_seen_by,
    get_student_for,
    shows_who_wrote,
)
from conferbook.roster.services import MoveRefused
from conferbook.web.http import safe_next


@require_safe
def classroom(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The class list: every student, their goals, how long since they were seen.

    A coach of the class's teacher reads it too, without a form or an edit link."""
    the_class = get_classroom_seen_by(user=request.user, classroom_id=classroom_id)
    writer = can_write(user=request.user, classroom=the_class)
    sort = request.GET.get("sort", "name")
    if sort not in selectors.SORTS:
        sort = "name"
    students = class_list(classroom=the_class, sort=sort, writer=writer)
    return render(
        request,
        "conferences/classroom.html",
        {
            "classroom": the_class,
            "class_nav": class_links(classroom=the_class, writer=writer),
            "rows": rendered_lines(students.marking_next_up(request.GET.get("next", ""))),
            "sort": sort,
            "sorts": selectors.SORTS,
            "card_for": writer
            and selectors.just_finished(
                teacher=request.user, classroom=the_class, conference_id=request.GET.get("card")
            ),
            "can_write": writer,
            "overdue_count": students.overdue_count,
            "cycle_days": students.cycle_days,
            "archived_students": students.archived,
            "nav": "classes",
        },
    )


def _classroom_for_student(
    request: TeacherRequest, student_id: int, classroom_id: str | None
) -> tuple[Student, Classroom | None]:
    """The class this student is being seen in: the one asked for, else their first one."""
    return get_student_and_classroom_for(
        teacher=request.user, student_id=student_id, classroom_id=int_or_zero(classroom_id)
    )


@require_safe
def student(request: TeacherRequest, student_id: int) -> HttpResponse:
    """A student's page: goals, strengths, writing samples and the two-column chart.

    A coach of one of the student's teachers reads it too, without a form or an edit link."""
    the_student, the_class = get_student_and_classroom_seen_by(
        user=request.user,
        student_id=student_id,
        classroom_id=int_or_zero(request.GET.get("class")),
    )
    return render(
        request, "conferences/student.html", _student_context(request, the_student, the_class)
    )


@require_safe
def progress(request: TeacherRequest, student_id: int) -> HttpResponse:
    """A student's last 12 weeks as a picture: goals set and met, each conference, task
    reviews and stickers (a coach of the student's teacher reads it too)."""
    the_student, the_class = get_student_and_classroom_seen_by(
        user=request.user,
        student_id=student_id,
        classroom_id=int_or_zero(request.GET.get("class")),
    )
    span = span_of_term(today=timezone.localdate(), weeks=pictures.PROGRESS_WEEKS)
    found = selectors.progress_for(
        user=request.user, student=the_student, start=span.start, end=span.end
    )
    return render(
        request,
        "conferences/progress.html",
        {
            "student": the_student,
            "classroom": the_class,
            "progress": found,
            "span": span,
            "timeline": pictures.timeline(found),
            "can_write": can_write(user=request.user, classroom=the_class),
            "nav": "classes",
        },
    )


def _student_context(
    request: TeacherRequest,
    the_student: Student,
    the_class: Classroom | None,
    *,
    book_form: BookForm | None = None,
    refusal: BookingRefused | None = None,
) -> dict[str, object]:
    writer = can_write(user=request.user, classroom=the_class)
    active = goal_selectors.active_goals.all(student=the_student)
    last_at = selectors.last_held_at(user=request.user, student=the_student)
    booked = selectors.next_appointment(user=request.user, student=the_student)
    standing = None
    suggested = None
    if the_class is not None:
        calendar = calendar_for(classroom=the_class)
        standing = selectors.standing_of(
            classroom=the_class, student=the_student, calendar=calendar
        )
        if writer and booked is None and book_form is None:
            # No booking from today on in the classes this teacher reads, this one included.
            suggested = services.suggest_next_time(
                classroom=the_class, student=the_student, calendar=calendar, none_booked=True
            )
    # The chart shows this term (or the last weeks); the whole record is one tap away.
    span = span_of_term(today=timezone.localdate(), weeks=pictures.PROGRESS_WEEKS)
    whole_chart = request.GET.get("chart") == "all"
    reader, since = request.user, aware(datetime.combine(span.start, time()))
    if whole_chart:
        chart, earlier = selectors.chart_for.all(user=reader, student=the_student), 0
    else:
        chart = selectors.chart_since.all(user=reader, student=the_student, since=since)
        earlier = selectors.chart_count_before(user=reader, student=the_student, before=since)
    return {
        "student": the_student,
        "classroom": the_class,
        "can_write": writer,
        "show_authors": shows_who_wrote(classroom=the_class, writer=writer),
        "active_goals": active,
        "can_add_goal": len(active) < MAX_ACTIVE_GOALS,
        "goal_history": goal_selectors.goal_history.all(student=the_student),
        "set_goal_form": writer
        and SetGoalForm(goals=goal_selectors.goals_for.all(teacher=request.user)),
        "strengths": goal_selectors.strengths_with_spots.all(student=the_student),
        "samples": goal_selectors.samples_with_photos.all(student=the_student),
        "places_to_lift": goal_selectors.places_to_lift.all(student=the_student),
        "photo_accept": PHOTO_ACCEPT,
        "chart": chart,
        "chart_span": span,
        "whole_chart": whole_chart,
        "earlier_rows": earlier,
        "stickers": selectors.sticker_collection(student=the_student),
        "self_assessment": goal_selectors.latest_self_assessment(student=the_student),
        "partners": partners_of(user=request.user, student=the_student),
        "last_at": last_at,
        "days_since": selectors.days_between(last_at),
        "standing": standing,
        "next_appointment": booked,
        "book_form": book_form
        or BookForm(
            initial={
                "at": timezone.localtime(suggested).replace(tzinfo=None) if suggested else None,
                "classroom": the_class.pk if the_class else None,
            }
        ),
        "refusal": refusal,
        "new_conference_id": uuid.uuid4(),
        "nav": "classes",
    }


@require_POST
def conference_start(request: TeacherRequest) -> HttpResponse:
    """Start (or resume) a conference; a retried start with the same id opens the same one."""
    the_student, the_class = _classroom_for_student(
        request, int_or_zero(request.POST.get("student")), request.POST.get("classroom")
    )
    if the_class is None:
        raise Http404
    try:
        conference_id = uuid.UUID(request.POST.get("conference_id", ""))
    except ValueError:
        conference_id = None
    conference = services.start_conference(
        teacher=request.user, student=the_student, classroom=the_class, conference_id=conference_id
    )
    return redirect("conferences:conference", conference_id=conference.pk)


PLACES_SHOWN = 3  # places to lift the level on the conference screen: it must stay short

# What the conference screen shows of the student's record: the most recent, compiled
# (conferbook.compiled).
_recent_strengths = CompiledQuery(
    lambda student: goal_selectors.strengths_with_spots(student=student)[:12], student=Student
)
_recent_samples = CompiledQuery(
    lambda student: goal_selectors.samples_with_photos(student=student)[:5], student=Student
)
_places_shown = CompiledQuery(
    lambda student: goal_selectors.places_to_lift(student=student)[:PLACES_SHOWN],
    student=Student,
)


def _screen_context(
    request: TeacherRequest, conference: Conference, *, partial: bool = False
) -> dict[str, object]:
    """Everything the conference screen shows; `partial` skips what only the full page needs."""
    teacher = request.user
    the_student = conference.student
    active = goal_selectors.active_goals.all(student=the_student)
    chosen_goal = next((sg for sg in active if sg.pk == conference.student_goal_id), None)
    if chosen_goal is None and conference.student_goal_id is None and active:
        chosen_goal = active[0]
    return {
        "conference": conference,
        "student": the_student,
        "classroom": conference.classroom,
        "last": selectors.last_held(user=teacher, student=the_student, before=conference),
        "show_authors": shows_who_wrote(classroom=conference.classroom, writer=True),
        "active_goals": active,
        "sticker_buttons": selectors.sticker_buttons(conference=conference, active_goals=active),
        "chosen_goal": chosen_goal,
        "can_add_goal": len(active) < MAX_ACTIVE_GOALS,
        "goal_choices": grouped_goal_choices(goal_selectors.goals_for.all(teacher=teacher)),
        **_teach_context(request, conference, chosen_goal),
        **_proposals_context(request, conference),
        "strengths": _recent_strengths.all(student=the_student),
        "samples": _recent_samples.all(student=the_student),
        "self_assessment": (
            None if partial else goal_selectors.latest_self_assessment(student=the_student)
        ),
        "suggested_next": (
            None
            if partial
            else services.suggest_next_time(
                classroom=conference.classroom, student=conference.student
            )
        ),
        "target_seconds": conference.classroom.conference_minutes * 60,
        "started_at": conference.started_at,
        "revision": services.revision_of(conference),
        "saved_texts": {field: getattr(conference, field) for field in AUTOSAVED_FIELDS},
        "finish_form": FinishForm(),
        "nav": "classes",
    }


def _proposals_context(request: TeacherRequest, conference: Conference) -> dict[str, object]:
    """What the writing analyser proposes from the student's latest sample: a strength to
    compliment in one tap (saved with its evidence, as the strength form does; the first
    one not saved yet) and next steps to set as today's goal."""
    latest = goal_reading.latest_reading(teacher=request.user, student=conference.student)
    if latest is None:
        return {"read_sample": None, "proposed_strengths": [], "proposed_next_steps": []}
    strengths = [
        (
            p,
            json.dumps(
                {
                    "description": p.goal.name,
                    "evidence": p.evidence_text,
                    "sample": latest.sample.pk,
                    "goal": p.goal.pk,
                }
            ),
        )
        for p in latest.strengths
        if not p.saved
    ][:1]  # the surest one: the screen must stay short on a tablet
    return {
        "read_sample": latest.sample,
        "proposed_strengths": strengths,
        "proposed_next_steps": [p for p in latest.next_steps if not p.active],
    }


def _teach_context(
    request: TeacherRequest, conference: Conference, chosen_goal: StudentGoal | None
) -> dict[str, object]:
    teacher = request.user
    strategies = []
    mentor_texts = goal_selectors.mentor_texts_for.all(teacher=teacher)
    if chosen_goal is not None:
        strategies = goal_selectors.strategies_for_goal.all(
            teacher=teacher, goal_id=chosen_goal.goal_id
        )
        # Mentor texts for this goal first.
        mentor_texts.sort(key=lambda m: m.goal_id != chosen_goal.goal_id)
    taught = set(selectors.strategies_taught.all(student=conference.student))
    suggested = next(
        (s for s in strategies if s.pk not in taught), strategies[0] if strategies else None
    )
    chosen_strategy = next((s for s in strategies if s.pk == conference.strategy_id), None)
    places = _places_shown.all(student=conference.student)
    if chosen_goal is not None:
        places.sort(key=lambda spot: spot.goal_id != chosen_goal.goal_id)  # this goal's first
    return {
        "places_to_lift": places,
        "strategies": strategies,
        "suggested_strategy": chosen_strategy or suggested,
        "mentor_texts": mentor_texts,
    }


def _one_on_one(request: TeacherRequest, conference_id: uuid.UUID) -> Conference:
    """A one-on-one conference of the teacher's; Http404 otherwise, and for a member's row of
    a small-group conference (the group screen edits those)."""
    return get_object_or_404(
        selectors.one_on_ones_for(teacher=request.user).select_related("student", "classroom"),
        pk=conference_id,
    )


def conference(request: TeacherRequest, conference_id: uuid.UUID) -> HttpResponse:
    """The conference screen, built for a tablet held in one hand."""
    the_conference = selectors.get_conference_for(teacher=request.user, conference_id=conference_id)
    if the_conference.group_conference_id is not None:
        # A member's row of a small-group conference: the group's screen shows it.
        return redirect("board:group_conference", the_conference.group_conference_id)
    if the_conference.status == Conference.Status.SCHEDULED:
        # A GET changes nothing: the teacher starts the booked conference with a POST.
        return render(
            request,
            "conferences/booked.html",
            {"conference": the_conference, "student": the_conference.student, "nav": "classes"},
        )
    return render(request, "conferences/conference.html", _screen_context(request, the_conference))


@require_POST
@school_time_kept
def conference_save(request: TeacherRequest, conference_id: uuid.UUID) -> JsonResponse:
    """Autosave one text field (compare-and-set; safe to retry) of a one-on-one conference
    of the teacher's; Http404 otherwise, as `_one_on_one`."""

    def save(field: str, value: str, previous: str) -> int:
        if field not in AUTOSAVED_FIELDS:
            raise ValueError(field)
        try:
            return services.save_conference_text(
                teacher=request.user,
                conference_id=conference_id,
                field=field,
                value=value,
                previous=previous,
            )
        except Conference.DoesNotExist:
            raise Http404 from None

    return screens.autosave(request, save)


PICKS = ("task_review", "kind", "strength", "student_goal", "strategy", "mentor_text")


class BadPick(Exception):
    pass


def _resolve_pick(request: TeacherRequest, conference: Conference, name: str, raw: str) -> object:
    """The object (or value) for one pick on the conference screen, permission-checked.

    Raises Http404 for another teacher's or another student's row, BadPick for nonsense.
    """
    teacher = request.user
    if name == "task_review":
        if raw and raw not in Conference.TaskReview.values:
            raise BadPick("Unknown review.")
        return raw
    if name == "kind":
        if raw not in Conference.Kind.values:
            raise BadPick("Unknown kind.")
        return raw
    if name not in PICKS:
        raise BadPick("Unknown choice.")
    if not raw:
        return None
    pk = int_or_zero(raw)
    if name == "strategy":
        return goal_selectors.get_strategy_for(teacher=teacher, strategy_id=pk)
    if name == "mentor_text":
        return goal_selectors.get_mentor_text_for(teacher=teacher, mentor_text_id=pk)
    row = (
        goal_selectors.get_strength_for(teacher=teacher, strength_id=pk)
        if name == "strength"
        else goal_selectors.get_student_goal_for(teacher=teacher, student_goal_id=pk)
    )
    if row.student_id != conference.student_id:
        raise Http404
    return row


@require_POST
def conference_choose(request: TeacherRequest, conference_id: uuid.UUID) -> HttpResponse:
    """Save one pick on the conference screen (htmx); a new goal re-renders the Teach part."""
    the_conference = _one_on_one(request, conference_id)
    # htmx sends the whole form; `name` says which pick changed.
    name = request.POST.get("name", "")
    try:
        value = _resolve_pick(request, the_conference, name, request.POST.get(name, ""))
    except BadPick as bad:
        return HttpResponse(str(bad), status=400)
    services.set_conference_choice(conference=the_conference, **{name: value})
    if name == "student_goal":
        return _render_teach(request, the_conference)
    return HttpResponse(status=204)


def _render_teach(
    request: TeacherRequest, the_conference: Conference, error: str = ""
) -> HttpResponse:
    context = _screen_context(request, the_conference, partial=True)
    context["goal_error"] = error
    return render(request, "conferences/conference.html#teach", context)


@require_POST
def conference_set_goal(request: TeacherRequest, conference_id: uuid.UUID) -> HttpResponse:
    """Set a new goal from inside the conference, under the same two-goal rule."""
    teacher = request.user
    the_conference = _one_on_one(request, conference_id)
    form = SetGoalForm(request.POST, goals=goal_selectors.goals_for(teacher=teacher))
    if not form.is_valid():
        return _render_teach(request, the_conference, "Please choose a goal from the library.")
    try:
        student_goal = goal_services.set_goal(
            teacher=teacher,
            student=the_conference.student,
            goal=form.cleaned_data["goal"],
            set_with_student=form.cleaned_data["set_with_student"],
        )
    except (goal_services.GoalLimitReached, goal_services.GoalAlreadyActive) as refusal:
        return _render_teach(request, the_conference, str(refusal))
    services.set_conference_choice(conference=the_conference, student_goal=student_goal)
    response = _render_teach(request, the_conference)
    # The new goal gets its "Give sticker" button too (an out-of-band swap).
    response.content += render_to_string(
        "conferences/conference.html#stickers",
        {**_sticker_context(the_conference), "oob": True},
        request=request,
    ).encode()
    return response


STICKER_ACTIONS = ("give", "take_back")


def _sticker_context(conference: Conference) -> dict[str, object]:
    active = goal_selectors.active_goals.all(student=conference.student)
    return {
        "conference": conference,
        "student": conference.student,
        "sticker_buttons": selectors.sticker_buttons(conference=conference, active_goals=active),
    }


@require_POST
def conference_sticker(request: TeacherRequest, conference_id: uuid.UUID) -> HttpResponse:
    """Give a goal's sticker in this conference, or take it back (htmx; safe to retry).

    The button says which: `sticker_action` is "give" or "take_back", never "toggle", so a
    double tap or a retried request cannot undo itself.
    """
    teacher = request.user
    the_conference = _one_on_one(request, conference_id)
    goal = selectors.get_goal_of_student(
        student=the_conference.student, goal_id=int_or_zero(request.POST.get("sticker_goal"))
    )
    action = request.POST.get("sticker_action", "")
    if action not in STICKER_ACTIONS:
        return HttpResponse("Choose “Give sticker” or take it back.", status=400)
    try:
        if action == "give":
            services.award_sticker(teacher=teacher, conference=the_conference, goal=goal)
        else:
            services.take_back_sticker(teacher=teacher, conference=the_conference, goal=goal)
    except services.StickerRefused as refused:
        return HttpResponse(str(refused), status=400)
    return render(request, "conferences/conference.html#stickers", _sticker_context(the_conference))


@require_POST
def conference_strength(request: TeacherRequest, conference_id: uuid.UUID) -> HttpResponse:
    """Record a new strength from the conference screen and pick it as the compliment."""
    teacher = request.user
    the_conference = _one_on_one(request, conference_id)
    form = StrengthForm(
        request.POST,
        samples=the_conference.student.writing_samples.all(),
        goals=goal_selectors.goals_for(teacher=teacher),
    )
    if form.is_valid():
        strength = goal_services.record_strength(
            teacher=teacher, student=the_conference.student, **form.cleaned_data
        )
        services.set_conference_choice(conference=the_conference, strength=strength)
    context = _screen_context(request, the_conference, partial=True)
    if form.errors:
        context["strength_error"] = " ".join(
            str(error) for errors in form.errors.values() for error in errors
        )
        context["strength_draft"] = {
            "description": request.POST.get("description", ""),
            "evidence": request.POST.get("evidence", ""),
        }
    return render(request, "conferences/conference.html#compliment", context)


def _screen_again(
    request: TeacherRequest,
    conference: Conference,
    *,
    form: FinishForm,
    status: int,
    conflicts: dict[str, str] | None = None,
    nearest: datetime | None = None,
) -> HttpResponse:
    """The conference screen again after a refused finish, with everything as typed."""
    context = _screen_context(request, conference)
    for field in AUTOSAVED_FIELDS:
        if field in request.POST:
            setattr(conference, field, request.POST[field])
    context = screens.refused_context(
        context,
        request.POST,
        finish_form=form,
        conflicts=conflicts,
        label=lambda field: str(getattr(Conference._meta.get_field(field), "verbose_name", field)),
        nearest=nearest,
    )
    return render(request, "conferences/conference.html", context, status=status)


@require_POST
def conference_finish(request: TeacherRequest, conference_id: uuid.UUID) -> HttpResponse:
    teacher = request.user
    the_conference = _one_on_one(request, conference_id)
    form = FinishForm(screens.with_nearest(request.POST))
    if not form.is_valid():
        return _screen_again(request, the_conference, form=form, status=400)
    edits = screens.edits_from(request.POST, AUTOSAVED_FIELDS)
    # The picks as the screen shows them, in case a pick never reached the server on its own.
    try:
        picks = {
            name: _resolve_pick(request, the_conference, name, request.POST[name])
            for name in PICKS
            if name in request.POST
        }
    except BadPick as bad:
        return HttpResponse(str(bad), status=400)
    if picks:
        services.set_conference_choice(conference=the_conference, **picks)
    try:
        services.finish_conference(
            teacher=teacher,
            conference=the_conference,
            edits=edits,
            next_at=form.cleaned_data["next_at"],
            not_now=form.cleaned_data["not_now"],
        )
    except services.BookingNeeded as needed:
        form.add_error(None, str(needed))
        return _screen_again(request, the_conference, form=form, status=400)
    except BookingRefused as refused:
        form.add_error("next_at", str(refused))
        return _screen_again(
            request, the_conference, form=form, status=400, nearest=refused.nearest
        )
    except services.StaleEdit as stale:
        return _screen_again(
            request,
            the_conference,
            form=form,
            status=409,
            conflicts={stale.field: stale.server_value},
        )
    # Today's list says it was saved, with the card and the next student (no flash message).
    return redirect(screens.finished_url(the_conference.classroom_id, conference=the_conference))


@require_safe
def sticker_collections(request: TeacherRequest, classroom_id: int) -> HttpResponse:
    """The class's sticker collections: what each student has earned and has still to collect
    (a coach of the class's teacher reads it too)."""
    the_class = get_classroom_seen_by(user=request.user, classroom_id=classroom_id)
    sort = request.GET.get("sort", "name")
    if sort not in selectors.COLLECTION_SORTS:
        sort = "name"
    return render(
        request,
        "conferences/sticker_collections.html",
        {
            "classroom": the_class,
            "rows": selectors.class_collections(classroom=the_class, sort=sort),
            "sort": sort,
            "sorts": selectors.COLLECTION_SORTS,
            "can_write": can_write(user=request.user, classroom=the_class),
            "nav": "classes",
        },
    )


@require_POST
def student_move(request: TeacherRequest, student_id: int) -> HttpResponse:
    """Move a student to another of the teacher's classes, with their conferences."""
    the_student = get_student_for(teacher=request.user, student_id=student_id)
    from_classroom = get_classroom_for(
        teacher=request.user, classroom_id=int_or_zero(request.POST.get("from_classroom"))
    )
    form = MoveStudentForm(request.POST, classrooms=classrooms_for(teacher=request.user))
    if not form.is_valid():
        messages.error(request, "Please choose a class to move the student to.")
        return redirect("roster:student_edit", student_id=the_student.pk)
    to_classroom = form.cleaned_data["to_classroom"]
    try:
        services.move_student(
            student=the_student, from_classroom=from_classroom, to_classroom=to_classroom
        )
    except MoveRefused as refused:
        messages.error(request, str(refused))
        return redirect("roster:student_edit", student_id=the_student.pk)
    messages.success(request, f"{the_student.full_name} moved to {to_classroom.name}.")
    return redirect("conferences:classroom", classroom_id=to_classroom.pk)


@require_POST
def book(request: TeacherRequest, student_id: int) -> HttpResponse:
    """Book (or move) a student's next conference from their page.

    A time the class calendar refuses brings the page back with the reason, the time as
    typed, and the nearest free time one tap away.
    """
    the_student, the_class = _classroom_for_student(
        request, student_id, request.POST.get("classroom")
    )
    form = BookForm(request.POST)
    if the_class is None or not form.is_valid():
        return render(
            request,
            "conferences/student.html",
            _student_context(request, the_student, the_class, book_form=form),
            status=400,
        )
    try:
        appointment = services.book_conference(
            teacher=request.user,
            classroom=the_class,
            student=the_student,
            at=form.cleaned_data["at"],
        )
    except BookingRefused as refused:
        form.add_error("at", str(refused))
        return render(
            request,
            "conferences/student.html",
            _student_context(request, the_student, the_class, book_form=form, refusal=refused),
            status=400,
        )
    messages.success(
        request,
        f"Booked {the_student.shown_name} for "
        f"{clock.when_text(timezone.localtime(appointment.scheduled_for))}.",
    )
    return redirect(
        reverse("conferences:student", args=[the_student.pk]) + f"?class={the_class.pk}"
    )


@require_POST
def cancel(request: TeacherRequest, conference_id: uuid.UUID) -> HttpResponse:
    """Cancel a booked appointment; the student's page (or `next`) says so."""
    appointment = selectors.get_conference_for(teacher=request.user, conference_id=conference_id)
    try:
        services.cancel_appointment(conference=appointment)
    except services.CancelRefused as refused:
        messages.error(request, str(refused))
    else:
        when = (
            f" for {clock.when_text(timezone.localtime(appointment.scheduled_for))}"
            if appointment.scheduled_for
            else ""
        )
        messages.success(
            request, f"Cancelled {appointment.student.shown_name}'s appointment{when}."
        )
    default = (
        reverse("conferences:student", args=[appointment.student_id])
        + f"?class={appointment.classroom_id}"
    )
    return redirect(safe_next(request, default))
