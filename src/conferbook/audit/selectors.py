"""Reading the audit log: for the school's administrators only (the views check)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.db.models import Q, QuerySet

from conferbook.accounts.models import User
from conferbook.audit.models import Event
from conferbook.roster.models import Classroom, Student

PAGE_SIZE = 50


@dataclass(frozen=True)
class EventFilters:
    """What the administrator asked to see; None is "any"."""

    kind: str | None = None
    actor_id: int | None = None
    student_id: int | None = None
    classroom_id: int | None = None
    since: datetime | None = None  # from this moment on
    until: datetime | None = None  # before this moment

    @property
    def any(self) -> bool:
        return any(v is not None for v in vars(self).values())


@dataclass(frozen=True)
class Cursor:
    """Where an "Older" page starts: just after the event at `at` with id `id`."""

    at: datetime
    id: int


@dataclass(frozen=True)
class Page:
    events: list[Event]
    older: Cursor | None  # the next page's start, None on the last page


def filtered_events(filters: EventFilters) -> QuerySet[Event]:
    """The events matching `filters`, newest first.

    Each filter is served by one of the indexes in `Event.Meta` (kind, person, student or
    class, each then by time), and the time range by any of them.
    """
    events = Event.objects.all()
    if filters.kind is not None:
        events = events.filter(kind=filters.kind)
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    if filters.student_id is not None:
        events = events.filter(student_id=filters.student_id)
    if filters.classroom_id is not None:
        events = events.filter(classroom_id=filters.classroom_id)
    if filters.since is not None:
        events = events.filter(at__gte=filters.since)
    if filters.until is not None:
        events = events.filter(at__lt=filters.until)
    return events.order_by("-at", "-id")


def events_page(
    filters: EventFilters, *, older_than: Cursor | None = None, size: int = PAGE_SIZE
) -> Page:
    """One page of the log: `size` events from just after `older_than` (keyset pagination,
    so a page deep in a million events costs what the first one does; nothing is counted).
    """
    events = filtered_events(filters)
    if older_than is not None:
        # `at <= ...` alone lets the database start its index scan at the cursor; the
        # second condition then drops the events of that very moment already shown.
        events = events.filter(at__lte=older_than.at).filter(
            Q(at__lt=older_than.at) | Q(id__lt=older_than.id)
        )
    rows = list(events[: size + 1])
    older = Cursor(rows[size - 1].at, rows[size - 1].pk) if len(rows) > size else None
    return Page(events=rows[:size], older=older)


@dataclass(frozen=True)
class Names:
    """Who the ids of some events are, as far as the records still exist."""

    students: dict[int, str]
    classrooms: dict[int, str]

    def student(self, student_id: int | None) -> str:
        if student_id is None:
            return ""
        return self.students.get(student_id) or f"deleted student #{student_id}"

    def classroom(self, classroom_id: int | None) -> str:
        if classroom_id is None:
            return ""
        return self.classrooms.get(classroom_id) or f"deleted class #{classroom_id}"


def names_for(events: Iterable[Event]) -> Names:
    """The students' and classes' names for `events`: two queries, however many events."""
    events = list(events)
    student_ids = {e.student_id for e in events if e.student_id is not None}
    classroom_ids = {e.classroom_id for e in events if e.classroom_id is not None}
    students = {
        pk: f"{first} {last}".strip()
        for pk, first, last in Student.objects.filter(pk__in=student_ids).values_list(
            "pk", "first_name", "last_name"
        )
    }
    classrooms = dict(Classroom.objects.filter(pk__in=classroom_ids).values_list("pk", "name"))
    return Names(students=students, classrooms=classrooms)


def events_with_names(
    events: QuerySet[Event], *, batch: int = 2000
) -> Iterator[tuple[Event, Names]]:
    """Every event of `events` with the names it needs, read `batch` at a time so a
    million events never sit in memory together."""
    rows = events.iterator(chunk_size=batch)
    while chunk := list(islice(rows, batch)):
        names = names_for(chunk)
        for event in chunk:
            yield event, names


def people() -> list[tuple[int, str]]:
    """Everyone with an account, by name, for choosing whose actions to see."""
    return [
        (user.pk, user.display_name)
        for user in User.objects.only("pk", "first_name", "last_name", "username").order_by(
            "last_name", "first_name", "username", "pk"
        )
    ]


def classrooms() -> list[tuple[int, str]]:
    """Every class, by name, for choosing a class's events."""
    return list(Classroom.objects.order_by("name", "pk").values_list("pk", "name"))
