"""Writes for conferences: starting, autosaving and finishing one, booking the next, and
the stickers a student earns in one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.calendar.rules import (
    BOOKING_HORIZON,
    SEARCH_SCHOOL_DAYS,
    BookingRefused,
    ClassCalendar,
)
from conferbook.calendar.selectors import aware, calendar_for, wall
from conferbook.compiled import save_fields
from conferbook.conferences.models import (
    AUTOSAVED_FIELDS,
    GROUP_AUTOSAVED_FIELDS,
    MEMBER_AUTOSAVED_FIELDS,
    Conference,
    EarnedSticker,
    GroupConference,
)
from conferbook.conferences.selectors import busy_between, lock_one_on_one_for, start_of_today
from conferbook.goals.models import Goal, MentorText, Strategy, StudentGoal
from conferbook.groups.models import MIN_GROUP_SIZE, SmallGroup
from conferbook.groups.services import leave_class
from conferbook.lib import clock
from conferbook.roster import services as roster_services
from conferbook.roster.models import Classroom, Student


class StaleEdit(Exception):
    """The text changed elsewhere (another tab or device) since this copy was loaded."""

    def __init__(self, *, field: str, server_value: str) -> None:
        self.field = field
        self.server_value = server_value
        super().__init__(f"“{field}” was changed elsewhere since this page loaded.")


BOOKING_NEEDED = "Book the next conference, or choose “Not now”."


class BookingNeeded(Exception):
    """Finishing needs either a next appointment or an explicit "not now"."""


@transaction.atomic
def start_conference(
    *,
    teacher: User,
    student: Student,
    classroom: Classroom,
    conference_id: uuid.UUID | None = None,
    kind: str = Conference.Kind.WRITING,
) -> Conference:
    """Open the conference screen's row for this student, never making a second one.

    In order: the conference with the client's id (a retried start, or a booked
    appointment started from its own page), one already under way today in this class,
    today's (or an earlier, unheld) booked appointment, or a new conference. A conference
    left under way on an earlier day is first recorded as held, with its notes.
    """
    now = timezone.now()
    # A member's row of a small-group conference is never opened as a one-on-one, and
    # only this class's conferences are looked at (the caller checked the teacher has it).
    in_class = student.conferences.filter(classroom=classroom, group_conference=None)
    if conference_id is not None:
        existing = in_class.filter(pk=conference_id).first()
        if existing is not None:
            return _begin(existing, teacher=teacher, now=now)
        if Conference.objects.filter(pk=conference_id).exists():
            conference_id = None  # an id of another student or class: never reuse it
    close_abandoned_conferences(student=student, classroom=classroom)
    under_way = in_class.filter(status=Conference.Status.IN_PROGRESS).first()
    if under_way is not None:
        return under_way
    booked = (
        in_class.filter(
            status=Conference.Status.SCHEDULED, scheduled_for__date__lte=timezone.localdate()
        )
        .order_by("scheduled_for")
        .first()
    )
    if booked is not None:
        return _begin(booked, teacher=teacher, now=now)
    try:
        with transaction.atomic():
            return Conference.objects.create(
                id=conference_id or uuid.uuid4(),
                classroom=classroom,
                student=student,
                teacher=teacher,
                kind=kind,
                status=Conference.Status.IN_PROGRESS,
                started_at=now,
            )
    except IntegrityError:
        # A double tap raced this request (PostgreSQL): the other one made the row.
        return in_class.get(status=Conference.Status.IN_PROGRESS)


def close_abandoned_conferences(*, student: Student, classroom: Classroom) -> int:
    """Record conferences left under way before today as held, ending at their last save.

    The tab was closed without "Finish"; the notes stay, and the duration is what the
    autosaves show rather than days.
    """
    abandoned = student.conferences.filter(
        classroom=classroom,
        group_conference=None,
        status=Conference.Status.IN_PROGRESS,
        started_at__date__lt=timezone.localdate(),
    )
    count = 0
    for conference in abandoned:
        assert conference.started_at is not None
        conference.status = Conference.Status.HELD
        conference.ended_at = max(conference.updated_at, conference.started_at)
        conference.duration_seconds = int(
            (conference.ended_at - conference.started_at).total_seconds()
        )
        conference.next_not_booked = True
        conference.save(update_fields=["status", "ended_at", "duration_seconds", "next_not_booked"])
        count += 1
    return count


def _begin(conference: Conference, *, teacher: User, now: datetime) -> Conference:
    """Turn a booked appointment into a conference under way; anything else is left as is."""
    if conference.status == Conference.Status.SCHEDULED:
        conference.status = Conference.Status.IN_PROGRESS
        conference.started_at = now
        conference.teacher = teacher
        conference.save(update_fields=["status", "started_at", "teacher", "updated_at"])
    return conference


@transaction.atomic
def move_student(*, student: Student, from_classroom: Classroom, to_classroom: Classroom) -> None:
    """Move a student to another class with their record: enrolment, conferences, bookings.
    The old class's small groups and partnerships let the student go.

    Raises roster.services.MoveRefused for a move that makes no sense. The caller has
    checked that the teacher teaches both classes.
    """
    roster_services.move_student(
        student=student, from_classroom=from_classroom, to_classroom=to_classroom
    )
    leave_class(student=student, classroom=from_classroom)
    moving = Conference.objects.filter(student=student, classroom=from_classroom)
    if Conference.objects.filter(
        student=student, classroom=to_classroom, status=Conference.Status.SCHEDULED
    ).exists():
        # One booking per class: the one already in the new class stands.
        moving.filter(status=Conference.Status.SCHEDULED).delete()
    moving.update(classroom=to_classroom)


def revision_of(conference: Conference | GroupConference) -> int:
    """A number that grows with every save of the conference (microseconds of updated_at)."""
    return int(conference.updated_at.timestamp() * 1_000_000)


def _set_text(
    row: Conference | GroupConference,
    *,
    field: str,
    value: str,
    previous: str | None,
    allowed: tuple[str, ...] = AUTOSAVED_FIELDS,
    label: str | None = None,
) -> bool:
    """Compare-and-set on a row the caller has locked; True when the text changed.

    previous=None sets the text unconditionally (a client that sent no previous text).
    `label` names the field in a StaleEdit (the screen's name for it), default `field`.
    """
    if field not in allowed:
        raise ValueError(f"{field} is not an autosaved field")
    stored = getattr(row, field)
    if stored == value:
        return False
    if previous is not None and stored != previous:
        raise StaleEdit(field=label or field, server_value=stored)
    setattr(row, field, value)
    return True


@transaction.atomic
def save_conference_text(
    *,
    teacher: User,
    conference_id: uuid.UUID,
    field: str,
    value: str,
    previous: str,
) -> int:
    """Compare-and-set one autosaved text field; returns the conference's revision.

    The conference is the teacher's one-on-one with this id, read once and locked
    (`lock_one_on_one_for`; Conference.DoesNotExist when it is not one of theirs): a save
    is the commonest request of a conference, so it reads its row only here.

    `previous` is the text the browser last knew to be saved. Saving the same value again
    is a no-op (a retried save never duplicates or reverts anything); if the stored text is
    neither `previous` nor `value`, another tab changed it and StaleEdit carries its text.
    """
    locked = lock_one_on_one_for(teacher=teacher, conference_id=conference_id)
    if _set_text(locked, field=field, value=value, previous=previous):
        save_fields(locked, [field, "updated_at"])
    return revision_of(locked)


def set_conference_choice(*, conference: Conference, **choices: object) -> Conference:
    """Set picks: review, strength, goal, strategy, mentor text (checked by the caller)."""
    allowed = {"task_review", "strength", "student_goal", "strategy", "mentor_text", "kind"}
    unknown = set(choices) - allowed
    if unknown:
        raise ValueError(f"Not a conference choice: {', '.join(sorted(unknown))}")
    for name, value in choices.items():
        setattr(conference, name, value)
    conference.save(update_fields=[*choices, "updated_at"])
    return conference


def upcoming_bookings(
    *, classroom: Classroom, student: Student, since: datetime
) -> QuerySet[Conference]:
    """The student's booked conferences in the class from `since` on, earliest first."""
    return Conference.objects.filter(
        classroom=classroom,
        student=student,
        status=Conference.Status.SCHEDULED,
        scheduled_for__gte=since,
    ).order_by("scheduled_for")


def suggest_next_time(
    *,
    classroom: Classroom,
    student: Student | None = None,
    after: datetime | None = None,
    calendar: ClassCalendar | None = None,
    none_booked: bool = False,
) -> datetime | None:
    """When to see the student next (aware).

    The scheduler's next booking for the student, when it has planned one after `after`;
    otherwise the first slot the student can take on the day they fall due after a
    conference today (the class calendar: days off, short days, their time away and
    every other booking respected), or the nearest day before it with room.
    `none_booked`: the caller has read that the student has no booking in the class from
    today on, so it is not looked for again.
    """
    after = after or timezone.now()
    if student is not None and not none_booked:
        planned = upcoming_bookings(
            classroom=classroom, student=student, since=after + timedelta(microseconds=1)
        ).first()
        if planned is not None:
            return planned.scheduled_for
    calendar = calendar or calendar_for(classroom=classroom)
    student_id = student.pk if student is not None else 0
    now = wall(after)
    due = calendar.due_date(student_id, now.date())
    horizon = calendar.school_days_from(due, SEARCH_SCHOOL_DAYS)
    last = horizon[-1] if horizon else due
    busy = busy_between(classroom=classroom, first=now.date(), last=last, calendar=calendar)
    slot = calendar.suggest(student_id=student_id, due=due, busy=busy, now=now)
    return aware(slot) if slot else None


def booking_refusal(
    *, classroom: Classroom, student: Student, at: datetime, calendar: ClassCalendar | None = None
) -> BookingRefused | None:
    """Why `at` cannot hold the student's conference, with the nearest time that can
    (None when it can). Every booking by hand asks this first."""
    calendar = calendar or calendar_for(classroom=classroom)
    local = wall(at)
    now = wall(timezone.now())
    day = local.date()
    # The calendar's own rules first: a day no calendar reaches is never looked up.
    problem = calendar.booking_problem(
        student_id=student.pk, name=student.shown_name, at=local, busy=(), now=now
    )
    if not problem:
        busy = busy_between(classroom=classroom, first=day, last=day, calendar=calendar)
        problem = calendar.booking_problem(
            student_id=student.pk, name=student.shown_name, at=local, busy=busy, now=now
        )
    if not problem:
        return None
    nearest = None
    if now <= local and local - now <= BOOKING_HORIZON:
        around = busy_between(
            classroom=classroom,
            first=day - timedelta(days=21),
            last=day + timedelta(days=21),
            calendar=calendar,
        )
        found = calendar.nearest_free(student_id=student.pk, around=local, busy=around, now=now)
        nearest = aware(found) if found else None
    if nearest is not None:
        problem += f" The nearest free time is {clock.when_text(timezone.localtime(nearest))}."
    return BookingRefused(problem, nearest=nearest)


@transaction.atomic
def book_conference(
    *,
    teacher: User,
    classroom: Classroom,
    student: Student,
    at: datetime,
    kind: str = Conference.Kind.WRITING,
) -> Conference:
    """Book the student's next conference in this class at `at`, chosen by the teacher.

    The time must suit the class calendar (a school day, inside a block, not in the
    student's time away, not over anyone else's booking): BookingRefused otherwise,
    carrying the nearest time that would do. If a conference is already booked from
    today on (by the teacher or the scheduler), the earliest one moves to `at` rather
    than a second one being added, keeping its kind; the moved booking is the teacher's
    now, so the scheduler keeps it. `kind` is for a new booking. Bookings for one class
    are made one at a time (the class's row is locked), so a double tap adds nothing twice
    and two teachers cannot book the same slot at once.
    """
    Classroom.objects.select_for_update().filter(pk=classroom.pk).first()
    refusal = booking_refusal(classroom=classroom, student=student, at=at)
    if refusal is not None:
        raise refusal
    today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    existing = upcoming_bookings(classroom=classroom, student=student, since=today).first()
    if existing is None:
        return Conference.objects.create(
            classroom=classroom,
            student=student,
            teacher=teacher,
            kind=kind,
            status=Conference.Status.SCHEDULED,
            scheduled_for=at,
        )
    # A moved booking keeps its kind: the scheduler placed a reading conference in the
    # reading block, and finishing a writing conference must not turn it into writing.
    existing.scheduled_for = at
    existing.teacher = teacher
    existing.planned = False
    existing.save(update_fields=["scheduled_for", "teacher", "planned", "updated_at"])
    return existing


class CancelRefused(Exception):
    """Only a booked appointment can be cancelled."""


@transaction.atomic
def cancel_appointment(*, conference: Conference) -> None:
    """Cancel a booked appointment (the student is due as before: nothing else changes).

    CancelRefused for a conference under way, held or missed: those are the record.
    """
    locked = Conference.objects.select_for_update().filter(pk=conference.pk).first()
    if locked is None:
        return  # cancelled already (a double tap)
    if locked.status != Conference.Status.SCHEDULED:
        raise CancelRefused("Only a booked appointment can be cancelled.")
    locked.delete()


@dataclass(frozen=True)
class Finished:
    conference: Conference
    next_conference: Conference | None


@transaction.atomic
def finish_conference(
    *,
    teacher: User,
    conference: Conference,
    edits: dict[str, tuple[str, str | None]],
    next_at: datetime | None,
    not_now: bool,
) -> Finished:
    """Record the conference as held, with its duration, and book the next one.

    `edits` maps autosaved fields to (text on screen, text the screen last knew was saved,
    or None); each is applied compare-and-set, so a stale tab raises StaleEdit and changes
    nothing.
    Finishing needs a next appointment or not_now (BookingNeeded). Finishing twice (a
    double tap) keeps the first finish time.
    """
    if next_at is None and not not_now:
        raise BookingNeeded(BOOKING_NEEDED)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    for field, (value, previous) in edits.items():
        _set_text(conference, field=field, value=value, previous=previous)
    now = timezone.now()
    if conference.status != Conference.Status.HELD:
        conference.status = Conference.Status.HELD
        conference.started_at = conference.started_at or now
        conference.ended_at = now
        conference.duration_seconds = int(
            max(timedelta(0), now - conference.started_at).total_seconds()
        )
    conference.teacher = teacher
    conference.next_not_booked = next_at is None
    conference.save()
    next_conference = None
    if next_at is not None:
        next_conference = book_conference(
            teacher=teacher,
            classroom=conference.classroom,
            student=conference.student,
            at=next_at,
            kind=conference.kind,
        )
    return Finished(conference=conference, next_conference=next_conference)


class StickerRefused(Exception):
    """A sticker that cannot be given: a goal the student never had, or no conference yet."""


# A sticker is given while conferring, or just after on the screen of a held conference.
STICKER_STATUSES = (Conference.Status.IN_PROGRESS, Conference.Status.HELD)


@transaction.atomic
def award_sticker(*, teacher: User, conference: Conference, goal: Goal) -> EarnedSticker:
    """Record that the conference's student earned the sticker of `goal` in this conference.

    The goal must be one of the student's goals, active or in their history, and the
    conference under way or held; StickerRefused otherwise. Giving the same sticker again
    in the same conference (a double tap, a retried request) returns the sticker already
    recorded: one per goal per conference.
    """
    if conference.status not in STICKER_STATUSES:
        raise StickerRefused("Start the conference before giving a sticker.")
    if not conference.student.student_goals.filter(goal=goal).exists():
        raise StickerRefused(
            f"“{goal.name}” is not one of {conference.student.shown_name}'s goals."
        )
    earned_on = (
        timezone.localtime(conference.started_at).date()
        if conference.started_at
        else timezone.localdate()
    )
    # get_or_create retries the read when a concurrent tap inserted the row first.
    sticker, _ = EarnedSticker.objects.get_or_create(
        conference=conference,
        goal=goal,
        defaults={"student": conference.student, "earned_on": earned_on, "awarded_by": teacher},
    )
    return sticker


@transaction.atomic
def take_back_sticker(*, teacher: User, conference: Conference, goal: Goal) -> bool:
    """Undo a sticker given in this conference (a mis-tap); True if there was one.

    Taking back a sticker that is not there changes nothing, so a retried request is safe.
    Stickers earned in other conferences are never touched.
    """
    deleted, _ = EarnedSticker.objects.filter(conference=conference, goal=goal).delete()
    return deleted > 0


# -- small-group conferences --------------------------------------------------------------

HELD_GROUP = GroupConference.Status.HELD
UNDER_WAY_GROUP = GroupConference.Status.IN_PROGRESS


class GroupConferenceRefused(Exception):
    """A small-group conference that cannot start; the message says why."""


def member_field(conference: Conference, field: str) -> str:
    """The name a member's own text has on the group screen: "member:<id>:<field>"."""
    return f"member:{conference.pk}:{field}"


def _split_member_field(name: str) -> tuple[uuid.UUID, str] | None:
    kind, _, rest = name.partition(":")
    member, _, field = rest.partition(":")
    if kind != "member" or field not in MEMBER_AUTOSAVED_FIELDS:
        return None
    try:
        return uuid.UUID(member), field
    except ValueError:
        return None


@transaction.atomic
def start_group_conference(*, teacher: User, group: SmallGroup) -> GroupConference:
    """Open the small group's conference, never a second one: the one under way, the one
    held today, or a new one with a row for every member still in the class (at least two).

    The class's group conferences left under way on an earlier day are first recorded as
    held.
    """
    SmallGroup.objects.select_for_update().filter(pk=group.pk).first()
    now = timezone.now()
    hold_group_conferences_left_open(
        meetings=GroupConference.objects.filter(
            classroom_id=group.classroom_id, started_at__date__lt=timezone.localdate()
        )
    )
    under_way = GroupConference.objects.filter(group=group, status=UNDER_WAY_GROUP).first()
    if under_way is not None:
        return under_way
    # A group meets once a day: the one held today is opened again, never a second, empty one.
    held_today = (
        GroupConference.objects.filter(
            group=group, status=HELD_GROUP, started_at__gte=start_of_today()
        )
        .order_by("-started_at")
        .first()
    )
    if held_today is not None:
        return held_today
    members = list(
        group.members.filter(archived_at__isnull=True, classrooms=group.classroom_id).order_by(
            "first_name", "last_name", "pk"
        )
    )
    if len(members) < MIN_GROUP_SIZE:
        raise GroupConferenceRefused(
            f"“{group.name}” needs at least two students of the class to meet as a group."
        )
    goal_of = {
        sg.student_id: sg
        for sg in StudentGoal.objects.filter(
            student__in=members, goal=group.goal_id, status=StudentGoal.Status.ACTIVE
        )
    }
    meeting = GroupConference.objects.create(
        classroom_id=group.classroom_id,
        group=group,
        name=group.name,
        teacher=teacher,
        started_at=now,
        goal_id=group.goal_id,
        strategy_id=group.strategy_id,
    )
    Conference.objects.bulk_create(
        Conference(
            classroom_id=group.classroom_id,
            student=member,
            teacher=teacher,
            status=Conference.Status.IN_PROGRESS,
            started_at=now,
            group_conference=meeting,
            student_goal=goal_of.get(member.pk),
        )
        for member in members
    )
    return meeting


def hold_group_conferences_left_open(*, meetings: QuerySet[GroupConference]) -> None:
    """Record the group conferences among `meetings` still under way as held, ending at
    their last save, notes kept (the tab was closed, or the group removed, before Finish).
    """
    for meeting in meetings.filter(status=UNDER_WAY_GROUP):
        _hold(meeting, ended_at=max(meeting.updated_at, meeting.started_at))


def _hold(meeting: GroupConference, *, ended_at: datetime) -> None:
    """Record a group conference and every member's row as held, ending at `ended_at`."""
    duration = int(max(timedelta(0), ended_at - meeting.started_at).total_seconds())
    meeting.status = HELD_GROUP
    meeting.ended_at = ended_at
    meeting.duration_seconds = duration
    meeting.save(update_fields=["status", "ended_at", "duration_seconds", "updated_at"])
    meeting.members.update(
        status=Conference.Status.HELD,
        ended_at=ended_at,
        duration_seconds=duration,
        updated_at=timezone.now(),
    )


def _locked_rows(meeting: GroupConference) -> dict[uuid.UUID, Conference]:
    """The members' rows of a locked group conference, locked too, by id (one query)."""
    return {
        m.pk: m for m in Conference.objects.select_for_update().filter(group_conference=meeting)
    }


def _target(
    meeting: GroupConference, members: dict[uuid.UUID, Conference], name: str
) -> tuple[Conference | GroupConference, str, tuple[str, ...]]:
    """The row a field of the group screen lives on, its field and the fields allowed there.

    ValueError for a name that is not a field of this group conference's screen.
    """
    if name in GROUP_AUTOSAVED_FIELDS:
        return meeting, name, GROUP_AUTOSAVED_FIELDS
    parsed = _split_member_field(name)
    if parsed is None or parsed[0] not in members:
        raise ValueError(f"{name} is not a field of this group conference")
    return members[parsed[0]], parsed[1], MEMBER_AUTOSAVED_FIELDS


@transaction.atomic
def save_group_conference_text(
    *, group_conference: GroupConference, field: str, value: str, previous: str
) -> int:
    """Compare-and-set one text of the group screen (the group's, or a member's own, named
    as `member_field` makes it); returns the group conference's revision.

    As `save_conference_text`: a retried save is a no-op, a stale one raises StaleEdit.
    ValueError for a field that is not on this screen.
    """
    meeting = GroupConference.objects.select_for_update().get(pk=group_conference.pk)
    row, name, allowed = _target(meeting, _locked_rows(meeting), field)
    if _set_text(row, field=name, value=value, previous=previous, allowed=allowed, label=field):
        save_fields(row, [name, "updated_at"])
        if row is not meeting:
            save_fields(meeting, ["updated_at"])  # the screen's revision moves on
    return revision_of(meeting)


def set_group_choice(
    *, group_conference: GroupConference, strategy: Strategy | None, mentor_text: MentorText | None
) -> None:
    """Set the strategy and mentor text taught to the group (checked by the caller)."""
    group_conference.strategy = strategy
    group_conference.mentor_text = mentor_text
    group_conference.save(update_fields=["strategy", "mentor_text", "updated_at"])


def set_member_review(*, member: Conference, task_review: str) -> None:
    """How a member's last task went (done, partly, not yet, or "" for no answer)."""
    if task_review and task_review not in Conference.TaskReview.values:
        raise ValueError(f"Unknown review: {task_review}")
    member.task_review = task_review
    member.save(update_fields=["task_review", "updated_at"])


@transaction.atomic
def finish_group_conference(
    *, teacher: User, group_conference: GroupConference, edits: dict[str, tuple[str, str | None]]
) -> GroupConference:
    """Record the group conference as held, once for the group and in every member's row.

    `edits` maps the screen's field names to (text on screen, text last known saved), each
    applied compare-and-set, so a stale tab raises StaleEdit and changes nothing. Finishing
    twice keeps the first finish time.
    """
    meeting = GroupConference.objects.select_for_update().get(pk=group_conference.pk)
    members = _locked_rows(meeting)
    changed: dict[uuid.UUID, list[str]] = {meeting.pk: ["teacher"]}
    for name, (value, previous) in edits.items():
        row, field, allowed = _target(meeting, members, name)
        if _set_text(row, field=field, value=value, previous=previous, allowed=allowed, label=name):
            changed.setdefault(row.pk, []).append(field)
    meeting.teacher = teacher
    for pk, fields in changed.items():
        row = meeting if pk == meeting.pk else members[pk]
        row.save(update_fields=[*fields, "updated_at"])
    if meeting.status != HELD_GROUP:
        _hold(meeting, ended_at=timezone.now())
    return meeting
