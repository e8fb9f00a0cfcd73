"""The small-group conference screen: the conference screen for several students at once.

One compliment and one teaching point for the group, a review of each member's last task
and a task for each member (the group's, or their own). Stored once as a group conference,
with a row per member that puts it in every member's chart (conferences.services).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from conferbook.accounts.decorators import school_time_kept
from conferbook.accounts.http import TeacherRequest
from conferbook.board.forms import GroupFinishForm
from conferbook.conferences import screens
from conferbook.conferences import selectors as conference_selectors
from conferbook.conferences import services as conference_services
from conferbook.conferences.models import (
    GROUP_AUTOSAVED_FIELDS,
    MEMBER_AUTOSAVED_FIELDS,
    Conference,
    GroupConference,
)
from conferbook.goals import selectors as goal_selectors
from conferbook.groups.selectors import get_small_group_for
from conferbook.lib.parse import int_or_zero
from conferbook.scheduling import services as scheduling_services


@require_POST
def start(request: TeacherRequest, group_id: int) -> HttpResponse:
    """Start (or resume) the group's conference; a double tap opens the same one."""
    group = get_small_group_for(teacher=request.user, group_id=group_id)
    try:
        meeting = conference_services.start_group_conference(teacher=request.user, group=group)
    except conference_services.GroupConferenceRefused as refused:
        messages.error(request, str(refused))
        return redirect("board:groups", classroom_id=group.classroom_id)
    return redirect("board:group_conference", group_conference_id=meeting.pk)


def _texts(
    meeting: GroupConference, members: list[conference_selectors.GroupMember]
) -> dict[str, str]:
    """Every autosaved text of the screen by its field name, as the server holds it."""
    texts = {field: getattr(meeting, field) for field in GROUP_AUTOSAVED_FIELDS}
    for member in members:
        for field in MEMBER_AUTOSAVED_FIELDS:
            texts[conference_services.member_field(member.conference, field)] = getattr(
                member.conference, field
            )
    return texts


@dataclass(frozen=True)
class MemberOnScreen:
    """A member's part of the screen: their row, their last conference, their own texts."""

    member: conference_selectors.GroupMember
    task_field: str
    note_field: str
    task: str  # as shown in the box: saved, or as typed when a finish was refused
    note: str


def _on_screen(
    members: list[conference_selectors.GroupMember], texts: dict[str, str]
) -> list[MemberOnScreen]:
    rows = []
    for member in members:
        task = conference_services.member_field(member.conference, "task")
        note = conference_services.member_field(member.conference, "task_review_note")
        rows.append(MemberOnScreen(member, task, note, texts[task], texts[note]))
    return rows


def _context(
    request: TeacherRequest, meeting: GroupConference, typed: QueryDict | None = None
) -> dict[str, object]:
    """Everything the screen shows; `typed` is a refused finish's form, shown as typed."""
    teacher = request.user
    members = conference_selectors.group_members(teacher=teacher, group_conference=meeting)
    saved = _texts(meeting, members)
    texts: dict[str, str] = {
        name: str(typed.get(name, text)) if typed is not None else text
        for name, text in saved.items()
    }
    strategies = (
        list(goal_selectors.strategies_for(teacher=teacher).filter(goal=meeting.goal_id))
        if meeting.goal_id
        else []
    )
    mentor_texts = list(goal_selectors.mentor_texts_for(teacher=teacher))
    mentor_texts.sort(key=lambda m: m.goal_id != meeting.goal_id)
    next_slot = (
        scheduling_services.next_group_slot(classroom=meeting.classroom)
        if meeting.group_id
        else None
    )
    return {
        "meeting": meeting,
        "classroom": meeting.classroom,
        "members": members,
        "strategies": strategies,
        "chosen_strategy": meeting.strategy or (strategies[0] if strategies else None),
        "mentor_texts": mentor_texts,
        "members_on_screen": _on_screen(members, texts),
        "texts": texts,
        "saved_texts": saved,
        "revision": conference_services.revision_of(meeting),
        "target_seconds": meeting.classroom.group_minutes * 60,
        "next_slot": next_slot,
        "no_slot_reason": _no_slot_reason(meeting, next_slot),
        "finish_form": GroupFinishForm(),
        "reviews": Conference.TaskReview.choices,
        "nav": "classes",
    }


def _no_slot_reason(meeting: GroupConference, next_slot: datetime | None) -> str:
    """Why no next meeting is suggested ("" when one is)."""
    if next_slot is not None:
        return ""
    if meeting.group_id is None:
        return "This group was removed; it cannot be booked again."
    return (
        "The class has no free small-group slot: choose “Not now”, "
        "or add slots in the class settings."
    )


def screen(request: TeacherRequest, group_conference_id: uuid.UUID) -> HttpResponse:
    meeting = conference_selectors.get_group_conference_for(
        teacher=request.user, group_conference_id=group_conference_id
    )
    return render(request, "board/group_conference.html", _context(request, meeting))


@require_POST
@school_time_kept
def save(request: TeacherRequest, group_conference_id: uuid.UUID) -> JsonResponse:
    """Autosave one text of the group screen (compare-and-set; safe to retry)."""
    meeting = conference_selectors.get_group_conference_for(
        teacher=request.user, group_conference_id=group_conference_id
    )

    def save_text(field: str, value: str, previous: str) -> int:
        return conference_services.save_group_conference_text(
            group_conference=meeting, field=field, value=value, previous=previous
        )

    return screens.autosave(request, save_text)


@require_POST
def choose(request: TeacherRequest, group_conference_id: uuid.UUID) -> HttpResponse:
    """Save one pick (htmx): the strategy, the mentor text, or how a member's task went."""
    teacher = request.user
    meeting = conference_selectors.get_group_conference_for(
        teacher=teacher, group_conference_id=group_conference_id
    )
    name = request.POST.get("name", "")
    if name == "review":
        try:
            member_id = uuid.UUID(request.POST.get("member", ""))
        except ValueError:
            raise Http404 from None
        member = conference_selectors.get_member_of(
            group_conference=meeting, conference_id=member_id
        )
        try:
            conference_services.set_member_review(
                member=member, task_review=request.POST.get(f"review-{member.pk}", "")
            )
        except ValueError:
            return HttpResponse("Unknown review.", status=400)
        return HttpResponse(status=204)
    if name not in ("strategy", "mentor_text"):
        return HttpResponse("Unknown choice.", status=400)
    strategy, mentor_text = meeting.strategy, meeting.mentor_text
    raw = int_or_zero(request.POST.get(name))
    if name == "strategy":
        strategy = (
            goal_selectors.get_strategy_for(teacher=teacher, strategy_id=raw) if raw else None
        )
        if strategy is not None and strategy.goal_id != meeting.goal_id:
            return HttpResponse("Choose a strategy of the group's goal.", status=400)
    else:
        mentor_text = (
            goal_selectors.get_mentor_text_for(teacher=teacher, mentor_text_id=raw) if raw else None
        )
    conference_services.set_group_choice(
        group_conference=meeting, strategy=strategy, mentor_text=mentor_text
    )
    return HttpResponse(status=204)


@require_POST
def finish(request: TeacherRequest, group_conference_id: uuid.UUID) -> HttpResponse:
    """Record the group conference once, in every member's chart, and book the next one."""
    teacher = request.user
    meeting = conference_selectors.get_group_conference_for(
        teacher=teacher, group_conference_id=group_conference_id
    )
    form = GroupFinishForm(screens.with_nearest(request.POST))
    if not form.is_valid():
        return _screen_again(request, meeting, form=form, status=400)
    members = conference_selectors.group_members(teacher=teacher, group_conference=meeting)
    edits = screens.edits_from(request.POST, _texts(meeting, members))
    at = form.cleaned_data["next_at"]
    if at is not None and meeting.group is not None:
        problem = scheduling_services.group_slot_problem(classroom=meeting.classroom, at=at)
        if problem:
            form.add_error("next_at", problem)
            nearest = scheduling_services.next_group_slot(
                classroom=meeting.classroom, after=max(at, timezone.now()) - timedelta(minutes=1)
            )
            return _screen_again(request, meeting, form=form, status=400, nearest=nearest)
    try:
        conference_services.finish_group_conference(
            teacher=teacher, group_conference=meeting, edits=edits
        )
    except conference_services.StaleEdit as stale:
        return _screen_again(
            request, meeting, form=form, status=409, conflicts={stale.field: stale.server_value}
        )
    if at is not None and meeting.group is not None:
        scheduling_services.book_small_group(group=meeting.group, at=at)
    # Today's list says it was saved, with the cards and the next student.
    return redirect(screens.finished_url(meeting.classroom_id, group_conference=meeting))


def _screen_again(
    request: TeacherRequest,
    meeting: GroupConference,
    *,
    form: GroupFinishForm,
    status: int,
    conflicts: dict[str, str] | None = None,
    nearest: datetime | None = None,
) -> HttpResponse:
    """The screen again after a refused finish, with everything as typed."""
    context = _context(request, meeting, typed=request.POST)
    on_screen: list[MemberOnScreen] = context["members_on_screen"]  # type: ignore[assignment]
    context = screens.refused_context(
        context,
        request.POST,
        finish_form=form,
        conflicts=conflicts,
        label=lambda name: _label(name, on_screen),
        nearest=nearest,
    )
    return render(request, "board/group_conference.html", context, status=status)


def _label(name: str, on_screen: list[MemberOnScreen]) -> str:
    """What the screen calls a text: "what we discussed", "Ana's own task"."""
    for row in on_screen:
        if name == row.task_field:
            return f"{row.member.student.shown_name}'s own task"
        if name == row.note_field:
            return f"the note on {row.member.student.shown_name}'s task"
    return str(getattr(GroupConference._meta.get_field(name), "verbose_name", name))
