"""The export-and-delete registry: every kind of row that is about a student, in one place.

kind             one model whose rows lead to a student (a foreign key to `Student`, a
                 many-to-many membership, or a foreign key to a row that leads to one). Each
                 says how to find a student's rows (`student_path`), which fields an export
                 holds and what each means in plain words (the data dictionary), and how a
                 complete deletion treats its rows (`deletion`).
own rows         rows about one student alone (their goals, samples, conference notes):
                 a deletion removes them.
shared rows      rows that belong to several students at once (a small group, a small-group
                 conference, a partnership): a deletion removes the student's part (their
                 membership, their own conference row) and replaces the student's names in
                 the shared text with "[a student]" (`redacted_fields`); a shared row left
                 with nobody in it goes too (see services.delete_student).

tests/privacy/test_registry.py walks every model of every app and fails for one that leads
to a student and is missing here (Moodle's privacy API does the same for its plugins), so a
new model cannot be forgotten by the export or by the deletion.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from django.db import models
from django.utils import timezone

from conferbook.calendar.models import Rhythm, Unavailability
from conferbook.conferences.models import Conference, EarnedSticker, GroupConference
from conferbook.goals.models import (
    PHOTO_BYTES_OF_SPOT,
    DismissedProposal,
    PageSpot,
    SamplePhoto,
    SelfAssessment,
    SelfAssessmentAnswer,
    Strength,
    StudentGoal,
    WritingSample,
)
from conferbook.groups.models import Partnership, PartnershipMember, SmallGroup
from conferbook.roster.models import Enrollment, Student
from conferbook.scheduling.models import Absence, GroupAppointment

REDACTED = "[a student]"


class Deletion(enum.Enum):
    OWN = "own"  # the rows are the student's alone: deleted
    SHARED = "shared"  # the rows are several students': the student's part and names go


@dataclass(frozen=True)
class Column:
    """One exported field: its name in the export, what it means, and how to read it."""

    name: str
    description: str
    read: Callable[[Any], object] | None = None  # default: the row's attribute `name`

    def value(self, row: models.Model) -> object:
        return self.read(row) if self.read is not None else getattr(row, self.name)


@dataclass(frozen=True)
class Kind:
    key: str  # the name in exports: the JSON key, the CSV file's name
    model: type[models.Model]
    title: str
    description: str
    student_path: str  # the lookup from a row to its student(s)
    columns: tuple[Column, ...]
    deletion: Deletion = Deletion.OWN
    classroom_path: str | None = None  # the lookup from a row to its class, if it has one
    related: tuple[str, ...] = ()  # select_related for the columns
    prefetch: tuple[str, ...] = ()
    order: tuple[str, ...] = ("pk",)
    redacted_fields: tuple[str, ...] = field(default=())
    deferred: tuple[str, ...] = ()  # fields of the rows and related rows not to read
    # A field holding a picture (JPEG bytes): exports that can hold files write each row's
    # as `image_path(row)`, the value of its "file" column.
    image_field: str = ""

    def image_path(self, row_id: int) -> str:
        return image_path(self.key, row_id)

    def images(
        self,
        students: Iterable[int] | models.QuerySet[Student],
        *,
        classrooms: Iterable[int] | models.QuerySet[Any] | None = None,
    ) -> Iterable[tuple[str, bytes]]:
        """(path, JPEG bytes) of every picture of these students' rows."""
        if not self.image_field:
            return
        pictures = self.rows(students, classrooms=classrooms).values_list("pk", self.image_field)
        for row_id, data in pictures.iterator(chunk_size=8):  # a few megabytes at a time
            yield self.image_path(row_id), bytes(data)

    def rows(
        self,
        students: Iterable[int] | models.QuerySet[Student],
        *,
        classrooms: Iterable[int] | models.QuerySet[Any] | None = None,
    ) -> models.QuerySet[Any]:
        """The rows of these students (ids or a queryset), only those of `classrooms` when
        given and the kind belongs to a class; with the related rows the columns read."""
        matching = self.model._default_manager.filter(**{f"{self.student_path}__in": students})
        if classrooms is not None and self.classroom_path is not None:
            matching = matching.filter(**{f"{self.classroom_path}__in": classrooms})
        # A path through a membership meets a row once per member: each row once.
        return (
            self.model._default_manager.filter(pk__in=matching.values("pk"))
            .select_related(*self.related)
            .defer(*self.deferred)
            .prefetch_related(*self.prefetch)
            .order_by(*self.order)
        )

    def row_values(self, row: models.Model) -> dict[str, object]:
        return {column.name: plain(column.value(row)) for column in self.columns}

    @property
    def label(self) -> str:
        return str(self.model._meta.label)


def image_path(key: str, row_id: int) -> str:
    """Where a row's picture is in an export that holds files."""
    return f"photos/{key}-{row_id}.jpg"


def plain(value: object) -> object:
    """A value as an export holds it: text, a number, true/false, or null. Times are the
    school's (ISO 8601 with the offset)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return str(value)


def _display(name: str) -> Callable[[Any], object]:
    return lambda row: getattr(row, f"get_{name}_display")()


def _name_of(path: str) -> Callable[[Any], object]:
    """The display name of a user (or the name of a row) at `path`, or null."""

    def read(row: Any) -> object:
        target = row
        for part in path.split("."):
            target = getattr(target, part, None)
            if target is None:
                return None
        return getattr(target, "display_name", None) or str(target)

    return read


def _attr(path: str) -> Callable[[Any], object]:
    def read(row: Any) -> object:
        target = row
        for part in path.split("."):
            target = getattr(target, part, None)
            if target is None:
                return None
        return target

    return read


def _picture_file(key: str, what: str) -> Column:
    """The "file" column of a kind with a picture: where a download that holds files puts
    it (Kind.images writes it there)."""
    return Column(
        "file", f"{what} in a download that holds photos.", lambda row: image_path(key, row.pk)
    )


STUDENT_ID = Column("student_id", "The student's number in Conferbook.")
CLASS = Column("class", "The class it belongs to.", _attr("classroom.name"))


def _when(row: Conference) -> object:
    moment = row.started_at or row.scheduled_for
    return timezone.localtime(moment).date() if moment else None


def _minutes(row: Conference) -> object:
    return round(row.duration_seconds / 60, 1) if row.duration_seconds is not None else None


CONFERENCE_COLUMNS = (
    Column("id", "The conference's number in Conferbook."),
    Column("date", "The day it was held, or the day it is booked for.", _when),
    CLASS,
    Column("teacher", "The teacher who held or booked it.", _name_of("teacher")),
    STUDENT_ID,
    Column("student", "The student's full name.", _attr("student.full_name")),
    Column(
        "meeting",
        "One-on-one, or small group (what was said to the group is shown on every member's row).",
        lambda row: "small group" if row.group_conference_id else "one-on-one",
    ),
    Column(
        "group",
        "The small group's name, for a small-group conference.",
        _attr("group_conference.name"),
    ),
    Column("kind", "Writing or reading conference.", _display("kind")),
    Column("status", "Booked, under way, held or missed.", _display("status")),
    Column("booked_for", "The time it was booked for.", _attr("scheduled_for")),
    Column("started_at", "When it started."),
    Column("ended_at", "When it ended."),
    Column("minutes", "How long it lasted, in minutes.", _minutes),
    Column("goal", "The goal worked on.", lambda row: row.goal.name if row.goal else None),
    Column("strategy", "The strategy taught.", _name_of("shared.strategy")),
    Column("mentor_text", "The mentor text shown.", _name_of("shared.mentor_text")),
    Column("strength", "The student's strength complimented.", _attr("strength.description")),
    Column("research", "How the student said it was going.", _attr("shared.research")),
    Column(
        "compliment",
        "The strength complimented, in the teacher's words.",
        _attr("shared.compliment"),
    ),
    Column("what_we_discussed", "What we discussed.", _attr("shared.discussed")),
    Column("task", "What the student will do before next time.", _attr("student_task")),
    Column(
        "task_review",
        "How the task set last time went: done, partly, not yet.",
        _display("task_review"),
    ),
    Column("task_review_note", "The teacher's note on the task set last time."),
)
CONFERENCE_RELATED = (
    "classroom",
    "teacher",
    "student",
    "student_goal__goal",
    "strategy",
    "mentor_text",
    "strength",
    "group_conference__goal",
    "group_conference__strategy",
    "group_conference__mentor_text",
)

MEMBERSHIP = SmallGroup.members.through

REGISTRY: tuple[Kind, ...] = (
    Kind(
        key="students",
        model=Student,
        title="Student",
        description="The student: names, grade and school ID.",
        student_path="pk",
        classroom_path="classrooms",
        columns=(
            Column("id", "The student's number in Conferbook."),
            Column("first_name", "First name."),
            Column("last_name", "Last name."),
            Column("preferred_name", "The name the student goes by in class, if different."),
            Column("grade", "Grade."),
            Column("school_id", "The school's ID for the student."),
            Column("archived_at", "When the student was archived (kept, off class lists)."),
            Column("created_at", "When the student was added."),
        ),
    ),
    Kind(
        key="enrollments",
        model=Enrollment,
        title="Classes",
        description="The classes the student is in.",
        student_path="student",
        classroom_path="classroom",
        related=("classroom",),
        columns=(
            STUDENT_ID,
            CLASS,
            Column(
                "class_archived_at", "When the class was archived.", _attr("classroom.archived_at")
            ),
            Column("enrolled_at", "When the student joined the class."),
        ),
    ),
    Kind(
        key="rhythms",
        model=Rhythm,
        title="How often to see",
        description="Whether the student is seen more often than others in a class.",
        student_path="student",
        classroom_path="classroom",
        related=("classroom",),
        columns=(STUDENT_ID, CLASS, Column("see_more_often", "Seen twice as often as others.")),
    ),
    Kind(
        key="time_away",
        model=Unavailability,
        title="Time away",
        description="Weekly times the student cannot be seen (a pull-out, speech therapy).",
        student_path="student",
        classroom_path="classroom",
        related=("classroom",),
        order=("weekday", "start", "pk"),
        columns=(
            STUDENT_ID,
            CLASS,
            Column("weekday", "Day of the week.", _display("weekday")),
            Column("start", "From."),
            Column("end", "Until."),
            Column("note", "The teacher's note on why."),
        ),
    ),
    Kind(
        key="goals",
        model=StudentGoal,
        title="Goals",
        description="Goals set for the student, with their history (met, set aside).",
        student_path="student",
        related=("goal", "set_by"),
        order=("set_on", "pk"),
        columns=(
            STUDENT_ID,
            Column("goal", "The goal.", _attr("goal.name")),
            Column(
                "i_can", 'The goal in the student\'s "I can..." words.', _attr("goal.student_words")
            ),
            Column("status", "Active, met or set aside.", _display("status")),
            Column("set_on", "The day it was set."),
            Column("set_with_student", "Set together with the student."),
            Column("set_by", "The teacher who set it.", _name_of("set_by")),
            Column("closed_on", "The day it was met or set aside."),
        ),
    ),
    Kind(
        key="writing_samples",
        model=WritingSample,
        title="Writing samples",
        description="Pieces of the student's writing, as pasted in.",
        student_path="student",
        related=("added_by",),
        order=("written_on", "pk"),
        columns=(
            STUDENT_ID,
            Column("title", "Title."),
            Column("kind", "Notebook entry, on-demand or published piece.", _display("kind")),
            Column("written_on", "The day it was written."),
            Column("text", "The writing."),
            Column("added_by", "The teacher who added it.", _name_of("added_by")),
            Column("created_at", "When it was added."),
        ),
    ),
    Kind(
        key="sample_photos",
        model=SamplePhoto,
        title="Photos of notebook pages",
        description=(
            "Photographed pages of the writing samples, as Conferbook keeps them: turned "
            "upright, made smaller, with the camera's location and other details removed."
        ),
        student_path="sample__student",
        related=("sample", "added_by"),
        order=("sample_id", "position", "pk"),
        image_field="image",
        columns=(
            Column("id", "The photo's number (marked parts refer to it)."),
            Column("student_id", "The student's number in Conferbook.", _attr("sample.student_id")),
            Column("sample", "The writing sample it is a page of.", _attr("sample.title")),
            Column("page", "Its page number in the sample.", lambda row: row.position + 1),
            Column("width", "Its width in pixels."),
            Column("height", "Its height in pixels."),
            _picture_file("sample_photos", "The photo's file"),
            Column("added_by", "The teacher who added it.", _name_of("added_by")),
            Column("created_at", "When it was added."),
        ),
    ),
    Kind(
        key="page_spots",
        model=PageSpot,
        title="Marked parts of pages",
        description=(
            "Rectangles marked on page photos: evidence of a strength, or a place where the "
            "level could be lifted."
        ),
        student_path="photo__sample__student",
        related=("photo__sample", "strength", "goal", "noted_by"),
        deferred=PHOTO_BYTES_OF_SPOT,
        order=("noted_on", "pk"),
        image_field="image",
        columns=(
            Column(
                "student_id",
                "The student's number in Conferbook.",
                _attr("photo.sample.student_id"),
            ),
            Column("photo", "The number of the photo it is marked on.", _attr("photo_id")),
            Column(
                "kind", "Evidence of a strength, or a place to lift the level.", _display("kind")
            ),
            Column("left", "Its left edge, in pixels of the photo."),
            Column("top", "Its top edge, in pixels of the photo."),
            Column("width", "Its width in pixels."),
            Column("height", "Its height in pixels."),
            Column("strength", "The strength it shows.", _attr("strength.description")),
            Column("goal", "The library goal it shows or could show.", _attr("goal.name")),
            Column("note", "The teacher's note."),
            _picture_file("page_spots", "The marked part's picture"),
            Column("noted_on", "The day it was marked."),
            Column("noted_by", "The teacher who marked it.", _name_of("noted_by")),
        ),
    ),
    Kind(
        key="dismissed_proposals",
        model=DismissedProposal,
        title="Dismissed proposals",
        description=(
            "Strengths and next steps the writing analyser proposed for a sample and the "
            "teacher dismissed."
        ),
        student_path="sample__student",
        related=("sample", "dismissed_by"),
        order=("dismissed_at", "pk"),
        columns=(
            Column("student_id", "The student's number in Conferbook.", _attr("sample.student_id")),
            Column("sample", "The writing sample.", _attr("sample.title")),
            Column("goal_key", "The library goal that was proposed."),
            Column("kind", "Strength or next step.", _display("kind")),
            Column("dismissed_by", "The teacher who dismissed it.", _name_of("dismissed_by")),
            Column("dismissed_at", "When it was dismissed."),
        ),
    ),
    Kind(
        key="strengths",
        model=Strength,
        title="Strengths",
        description="What the student already does well, with evidence from their writing.",
        student_path="student",
        related=("sample", "goal", "noted_by"),
        order=("noted_on", "pk"),
        columns=(
            STUDENT_ID,
            Column("strength", "The strength.", _attr("description")),
            Column("evidence", "Words quoted from the student's writing."),
            Column("sample", "The writing sample it was seen in.", _attr("sample.title")),
            Column("shows_goal", "The library goal it shows.", _attr("goal.name")),
            Column("noted_on", "The day it was noted."),
            Column("noted_by", "The teacher who noted it.", _name_of("noted_by")),
        ),
    ),
    Kind(
        key="self_assessments",
        model=SelfAssessment,
        title="Self-assessments",
        description="Checklists the student rated themselves on.",
        student_path="student",
        related=("checklist", "recorded_by"),
        order=("taken_on", "pk"),
        columns=(
            Column("id", "The self-assessment's number (its answers refer to it)."),
            STUDENT_ID,
            Column("checklist", "The checklist.", _attr("checklist.name")),
            Column("taken_on", "The day it was taken."),
            Column("by_student", "Filled in by the student on the kiosk page."),
            Column("recorded_by", "The teacher who recorded it.", _name_of("recorded_by")),
            Column("created_at", "When it was saved."),
        ),
    ),
    Kind(
        key="self_assessment_answers",
        model=SelfAssessmentAnswer,
        title="Self-assessment answers",
        description="The student's rating of each line of a checklist.",
        student_path="assessment__student",
        related=("assessment", "item"),
        order=("assessment_id", "item__position", "pk"),
        columns=(
            Column("self_assessment", "The self-assessment it belongs to.", _attr("assessment_id")),
            Column(
                "student_id", "The student's number in Conferbook.", _attr("assessment.student_id")
            ),
            Column("item", "The checklist line.", _attr("item.text")),
            Column("rating", "Not yet, starting to, or yes.", _display("rating")),
        ),
    ),
    Kind(
        key="conferences",
        model=Conference,
        title="Conferences",
        description=(
            "Every conference: booked, held or missed, one-on-one or in a small group, "
            "with the notes of the two-column chart."
        ),
        student_path="student",
        classroom_path="classroom",
        related=CONFERENCE_RELATED,
        order=("scheduled_for", "started_at", "pk"),
        columns=CONFERENCE_COLUMNS,
    ),
    Kind(
        key="stickers",
        model=EarnedSticker,
        title="Stickers",
        description="Picture-clue stickers the student earned.",
        student_path="student",
        related=("goal", "awarded_by"),
        order=("earned_on", "pk"),
        columns=(
            STUDENT_ID,
            Column("goal", "The goal the sticker is for.", _attr("goal.name")),
            Column("clue_words", "The words on the sticker.", _attr("goal.clue_words")),
            Column("earned_on", "The day it was earned."),
            Column("conference", "The conference it was earned in.", _attr("conference_id")),
            Column("awarded_by", "The teacher who gave it.", _name_of("awarded_by")),
        ),
    ),
    Kind(
        key="absences",
        model=Absence,
        title="Absences",
        description="Days the student was marked absent, and the bookings moved for it.",
        student_path="student",
        classroom_path="classroom",
        related=("classroom",),
        order=("marked_at", "pk"),
        columns=(
            STUDENT_ID,
            CLASS,
            Column("marked_at", "When the student was marked absent."),
            Column("missed_conference", "The conference missed.", _attr("missed_id")),
            Column("bookings_moved", "How many bookings were moved.", lambda row: len(row.moves)),
        ),
    ),
    Kind(
        key="small_group_members",
        model=MEMBERSHIP,
        title="Small-group memberships",
        description="The small groups the student is in.",
        student_path="student",
        classroom_path="smallgroup__classroom",
        related=("smallgroup__classroom",),
        columns=(
            Column("student_id", "The student's number in Conferbook.", _attr("student_id")),
            Column("small_group", "The small group's number.", _attr("smallgroup_id")),
            Column("group", "The small group's name.", _attr("smallgroup.name")),
            Column("class", "The class it belongs to.", _attr("smallgroup.classroom.name")),
        ),
    ),
    Kind(
        key="small_groups",
        model=SmallGroup,
        title="Small groups",
        description="The small groups the student is in (shared with the other members).",
        student_path="members",
        classroom_path="classroom",
        deletion=Deletion.SHARED,
        redacted_fields=("name",),
        related=("classroom", "goal", "strategy"),
        columns=(
            Column("id", "The small group's number."),
            CLASS,
            Column("name", "The group's name."),
            Column("goal", "The goal the group works on.", _attr("goal.name")),
            Column("strategy", "The strategy to teach the group.", _attr("strategy.name")),
            Column("created_at", "When the group was formed."),
        ),
    ),
    Kind(
        key="group_appointments",
        model=GroupAppointment,
        title="Small-group appointments",
        description="Appointments booked for a small group the student is in.",
        student_path="group__members",
        classroom_path="group__classroom",
        deletion=Deletion.SHARED,
        related=("group",),
        order=("scheduled_for", "pk"),
        columns=(
            Column("small_group", "The small group's number.", _attr("group_id")),
            Column("group", "The small group's name.", _attr("group.name")),
            Column("booked_for", "The time it is booked for.", _attr("scheduled_for")),
        ),
    ),
    Kind(
        key="group_conferences",
        model=GroupConference,
        title="Small-group conferences",
        description=(
            "What was said to a whole small group the student was in, stored once for the "
            "group (each member's own part is in Conferences)."
        ),
        student_path="members__student",
        classroom_path="classroom",
        deletion=Deletion.SHARED,
        redacted_fields=("name", "research", "compliment", "discussed", "task"),
        related=("classroom", "teacher", "goal", "strategy", "mentor_text"),
        order=("started_at", "pk"),
        columns=(
            Column("id", "The small-group conference's number (members' conferences refer to it)."),
            CLASS,
            Column("group", "The group's name when it met.", _attr("name")),
            Column("teacher", "The teacher who held it.", _name_of("teacher")),
            Column("status", "Under way or held.", _display("status")),
            Column("started_at", "When it started."),
            Column("ended_at", "When it ended."),
            Column("goal", "The group's goal.", _attr("goal.name")),
            Column("strategy", "The strategy taught.", _attr("strategy.name")),
            Column("mentor_text", "The mentor text shown.", _name_of("mentor_text")),
            Column("research", "How the students said it was going."),
            Column("compliment", "The strength complimented."),
            Column("what_we_discussed", "What we discussed.", _attr("discussed")),
            Column("task", "The task for everyone."),
        ),
    ),
    Kind(
        key="partnership_members",
        model=PartnershipMember,
        title="Partnership memberships",
        description="The writing partnerships the student is in.",
        student_path="student",
        classroom_path="classroom",
        related=("classroom",),
        columns=(
            STUDENT_ID,
            Column("partnership", "The partnership's number.", _attr("partnership_id")),
            CLASS,
        ),
    ),
    Kind(
        key="partnerships",
        model=Partnership,
        title="Partnerships",
        description="Writing partnerships the student is in (shared with the partner).",
        student_path="memberships__student",
        classroom_path="classroom",
        deletion=Deletion.SHARED,
        redacted_fields=("reason",),
        related=("classroom",),
        columns=(
            Column("id", "The partnership's number."),
            CLASS,
            Column(
                "basis", "Same goal, complementary, or chosen by the teacher.", _display("basis")
            ),
            Column("reason", "Why they are partners."),
            Column("created_at", "When they were paired."),
        ),
    ),
)

KINDS = {kind.key: kind for kind in REGISTRY}


def kind_for(model: type[models.Model]) -> Kind | None:
    return next((kind for kind in REGISTRY if kind.model is model), None)


def data_dictionary() -> dict[str, dict[str, object]]:
    """Every kind with what it holds and what each of its fields means."""
    return {
        kind.key: {
            "title": kind.title,
            "description": kind.description,
            "fields": {column.name: column.description for column in kind.columns},
        }
        for kind in REGISTRY
    }
