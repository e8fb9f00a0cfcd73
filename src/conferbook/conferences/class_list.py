"""The class list as its page writes it: each row's texts made once, here.

A class page shows every student of the class. Worked out in the template, "3 days ago",
the due day, the next appointment and the student's address cost most of the page's time
(a template looks up and formats each value through several layers); made here they cost
a few microseconds a row, and the template only places them
(conferences/classroom.html). The rules behind the texts stay where they are: due and
overdue come from the class calendar (selectors.class_rows), the times from lib.clock.

The list itself is kept too: a process keeps the lists it made lately, each with the stamp
its class had (class_stamps: the database changes it whenever anything the list shows
changes), the day and the school's time zone and clock, and makes a list again only when
one of those has moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.safestring import SafeString

from conferbook.calendar.selectors import calendar_for
from conferbook.conferences import selectors
from conferbook.conferences.class_stamps import stamp_of
from conferbook.conferences.selectors import ClassRow
from conferbook.lib import clock
from conferbook.lib.kept import Kept
from conferbook.roster.models import Classroom
from conferbook.roster.selectors import students_in
from conferbook.web.fragments import Fragments
from conferbook.web.http import paths_for


@dataclass(frozen=True)
class ClassLine:
    """One student's row of the class list, ready to place."""

    student_id: str
    url: str  # the student's page, in this class
    name: str  # the name the student goes by
    last_name: str
    goals: tuple[str, ...]  # the active goals' names
    seen: str  # "Today", "3 days ago"; "" when not seen yet in this class
    overdue: bool
    due_on: str  # the due day, ISO (data-due)
    due: str  # the due day as pages write it: "Tue 8 Dec"
    next_appointment: str  # "Tue 8 Dec, 9:38 AM"; "" when none is booked
    under_way: bool  # a conference with the student is under way: "Resume"
    next_up: bool  # the student the teacher was sent on to see next
    writer: bool  # the reader teaches the class: the row has its "Confer" button


def seen_text(days_since: int | None) -> str:
    """How long ago the student was last seen: "Today", "1 day ago", "3 days ago"."""
    if days_since is None:
        return ""
    if days_since == 0:
        return "Today"
    return f"{days_since} day{'' if days_since == 1 else 's'} ago"


def class_lines(rows: Sequence[ClassRow], *, classroom_id: int, writer: bool) -> list[ClassLine]:
    """The rows of `selectors.class_rows` as the class page writes them."""
    student_path = paths_for("conferences:student")
    return [
        ClassLine(
            student_id=str(row.student.pk),
            url=f"{student_path(row.student.pk)}?class={classroom_id}",
            name=row.student.shown_name,
            last_name=row.student.last_name,
            goals=tuple(sg.goal.name for sg in row.active_goals),
            seen=seen_text(row.days_since),
            overdue=row.overdue,
            due_on=row.due.isoformat(),
            due=clock.day_text(row.due),
            next_appointment=clock.when_text(timezone.localtime(row.next_appointment_at))
            if row.next_appointment_at
            else "",
            under_way=row.under_way,
            next_up=False,
            writer=writer,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ClassList:
    """What the class page shows of its students."""

    lines: tuple[ClassLine, ...]
    overdue_count: int
    cycle_days: int  # school days between two conferences with a student
    archived: tuple[tuple[str, str], ...]  # (the student's page, full name) of each archived

    def marking_next_up(self, student_id: str) -> list[ClassLine]:
        """The lines, with "Next up" on the student the teacher was sent on to see (their
        id as sent back in ?next=)."""
        return [
            replace(line, next_up=True) if line.student_id == student_id else line
            for line in self.lines
        ]


# The class lists made lately, by class, stamp, day, school time, order and reader.
_lists: Kept[ClassList] = Kept(512)


def class_list(*, classroom: Classroom, sort: str, writer: bool) -> ClassList:
    """The class's students as the class page lists them, in the order `sort` names;
    `writer` when the reader teaches the class (the rows then have "Confer")."""
    stamp = stamp_of(classroom)
    key = (
        classroom.pk,
        stamp,
        # The class as this request read it, before its stamp: its writing days and block
        # make the due days, and a change saved between the two reads must not be kept
        # under the new stamp.
        tuple(getattr(classroom, field.attname) for field in Classroom._meta.concrete_fields),
        timezone.localdate(),
        timezone.get_current_timezone_name(),
        clock.active(),
        sort,
        writer,
    )
    kept = _lists.get(key) if stamp is not None else None
    if kept is not None:
        return kept
    calendar = calendar_for(classroom=classroom)
    rows = selectors.class_rows(classroom=classroom, sort=sort, calendar=calendar)
    student_path = paths_for("conferences:student")
    made = ClassList(
        lines=tuple(class_lines(rows, classroom_id=classroom.pk, writer=writer)),
        overdue_count=sum(row.overdue for row in rows),
        cycle_days=calendar.cycle_days(),
        archived=tuple(
            (f"{student_path(student.pk)}?class={classroom.pk}", student.full_name)
            for student in students_in(classroom=classroom, include_archived=True).filter(
                archived_at__isnull=False
            )
        ),
    )
    # Kept even when made inside a transaction: a change that may yet be rolled back gave
    # the class a stamp of its own, one no other reader will ever be shown.
    if stamp is not None:
        _lists.put(key, made)
    return made


# The rows a class page showed lately, rendered, kept by their ClassLine.
_rendered = Fragments("conferences/classroom.html#line", name="line")


def rendered_lines(lines: Sequence[ClassLine]) -> list[SafeString]:
    """The class list's rows as HTML, each rendered once for as long as it shows the same."""
    return _rendered.render(lines)


@dataclass(frozen=True)
class ClassLinks:
    """The class page's links to the class's other pages (its writer's, or a reader's)."""

    classroom_id: int
    name: str
    writer: bool


_links = Fragments("conferences/classroom.html#class-nav", name="links")


def class_links(*, classroom: Classroom, writer: bool) -> SafeString:
    """The links, rendered once for as long as the class keeps its name."""
    return _links.render([ClassLinks(classroom.pk, classroom.name, writer)])[0]
