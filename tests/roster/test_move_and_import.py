"""Moving a student takes their conferences and booking along; an import confirmed twice,
or racing another tab, adds each student once."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone

from conferbook.conferences.models import Conference
from conferbook.roster.models import Classroom, Enrollment, Student
from conferbook.roster.services import import_students
from tests.factories import ClassroomFactory, ConferenceFactory, StudentFactory
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db

HELD = Conference.Status.HELD
SCHEDULED = Conference.Status.SCHEDULED


def page(response) -> str:
    return response.content.decode()


def class_row(text: str, student) -> str:
    match = re.search(rf'<tr id="student-{student.pk}"[^>]*>.*?</tr>', text, re.S)
    assert match, f"no row for {student}"
    return match.group(0)


def chart(text: str) -> str:
    match = re.search(r'<table class="chart">.*?</table>', text, re.S)
    assert match, "no chart on the page"
    return match.group(0)


def at_local(days: int, hour: int = 10, minute: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def shown(dt: datetime) -> str:
    return dateformat.format(timezone.localtime(dt), "D j M, g:i A")


def held(student, classroom, days_ago: float, **fields) -> Conference:
    ended_at = timezone.now() - timedelta(days=days_ago)
    return ConferenceFactory(
        student=student,
        classroom=classroom,
        started_at=ended_at - timedelta(minutes=4),
        ended_at=ended_at,
        **fields,
    )


def booking(student, classroom, at: datetime) -> Conference:
    return Conference.objects.create(
        student=student, classroom=classroom, status=SCHEDULED, scheduled_for=at
    )


def move(client, student, from_classroom, to_classroom):
    return client.post(
        f"/students/{student.pk}/move/",
        {"from_classroom": from_classroom.pk, "to_classroom": to_classroom.pk},
    )


@pytest.fixture
def room14(rivera) -> Classroom:
    return ClassroomFactory(name="Room 14", teachers=[rivera])


@pytest.fixture
def room15(rivera) -> Classroom:
    return ClassroomFactory(name="Room 15", teachers=[rivera])


# Moving a student


def test_it_takes_the_held_conferences_and_the_booking_to_the_new_class(
    rivera_client, room12, room14, zoe
):
    note = held(zoe, room12, days_ago=3, discussed="Tried a question lead.")
    next_at = at_local(days=2)
    booked = booking(zoe, room12, next_at)

    response = move(rivera_client, zoe, room12, room14)

    assert response.status_code == 302
    assert response["Location"] == f"/classes/{room14.pk}/"
    new_class_page = rivera_client.get(response["Location"])
    row = class_row(page(new_class_page), zoe)
    assert "3 days ago" in row
    assert shown(next_at) in row
    assert "None booked" not in row
    assert Conference.objects.get(pk=note.pk).classroom == room14
    assert Conference.objects.get(pk=booked.pk).classroom == room14
    student_page = page(rivera_client.get(f"/students/{zoe.pk}/", {"class": room14.pk}))
    assert "Tried a question lead." in chart(student_page)
    assert "Next:" in student_page


def test_it_starts_the_next_conference_in_the_new_class_with_last_time(
    rivera_client, room12, room14, zoe
):
    held(zoe, room12, days_ago=3, discussed="Tried a question lead.")
    move(rivera_client, zoe, room12, room14)

    started = rivera_client.post("/conferences/start/", {"student": zoe.pk, "classroom": room14.pk})

    screen = page(rivera_client.get(started["Location"]))
    last_time = re.search(r'<section class="card last-time".*?</section>', screen, re.S)
    assert last_time and "Tried a question lead." in last_time.group(0)


def test_it_refuses_to_move_a_student_out_of_a_class_they_are_not_in(
    rivera_client, room12, room14, room15, zoe
):
    response = move(rivera_client, zoe, room14, room15)

    assert response["Location"] == f"/students/{zoe.pk}/edit/"
    assert "Zoë Nguyễn is not in Room 14." in shown_messages(
        rivera_client.get(response["Location"])
    )
    assert list(zoe.classrooms.all()) == [room12]
    assert Enrollment.objects.filter(student=zoe).count() == 1


def test_it_refuses_to_move_a_student_into_the_class_they_are_in(rivera_client, room12, zoe):
    enrolment = Enrollment.objects.get(student=zoe)
    booked = booking(zoe, room12, at_local(days=2))

    response = move(rivera_client, zoe, room12, room12)

    assert response["Location"] == f"/students/{zoe.pk}/edit/"
    assert "Zoë Nguyễn is already in Room 12." in shown_messages(
        rivera_client.get(response["Location"])
    )
    # The enrolment is untouched, not deleted and made again.
    assert Enrollment.objects.get(student=zoe) == enrolment
    assert Enrollment.objects.get(student=zoe).enrolled_at == enrolment.enrolled_at
    assert Conference.objects.get(pk=booked.pk).classroom == room12


def test_it_keeps_the_new_classs_booking_when_both_classes_have_one(
    rivera_client, room12, room14, zoe
):
    Enrollment.objects.create(student=zoe, classroom=room14)
    booking(zoe, room12, at_local(days=2))
    stays = booking(zoe, room14, at_local(days=4, minute=30))

    response = move(rivera_client, zoe, room12, room14)

    assert response["Location"] == f"/classes/{room14.pk}/"
    booked = Conference.objects.filter(student=zoe, status=SCHEDULED)
    assert booked.count() == 1
    assert booked.get().pk == stays.pk
    assert booked.get().classroom == room14
    assert list(zoe.classrooms.all()) == [room14]
    row = class_row(page(rivera_client.get(f"/classes/{room14.pk}/")), zoe)
    assert shown(stays.scheduled_for) in row


def test_it_moves_the_booking_when_the_new_class_has_none(rivera_client, room12, room14, zoe):
    Enrollment.objects.create(student=zoe, classroom=room14)
    moved = booking(zoe, room12, at_local(days=2))

    move(rivera_client, zoe, room12, room14)

    booked = Conference.objects.get(student=zoe, status=SCHEDULED)
    assert booked.pk == moved.pk
    assert booked.classroom == room14


def test_it_does_not_let_another_teacher_move_the_student(okafor_client, room12, room7, zoe):
    held_note = held(zoe, room12, days_ago=3)
    response = move(okafor_client, zoe, room12, room7)
    assert response.status_code == 404
    assert list(zoe.classrooms.all()) == [room12]
    assert Conference.objects.get(pk=held_note.pk).classroom == room12


def test_it_shows_the_student_edit_page_in_the_same_number_of_queries_for_more_classes(
    rivera, rivera_client, room12, zoe
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = rivera_client.get(f"/students/{zoe.pk}/edit/")
        assert response.status_code == 200
        assert "Move to another class" in page(response)
        return len(queries)

    for _ in range(2):
        ClassroomFactory(teachers=[rivera])
    three = count()
    for _ in range(9):
        ClassroomFactory(teachers=[rivera])
    assert rivera.classrooms.count() == 12

    assert count() == three


# Importing


ROWS = [
    {"first_name": "José", "last_name": "Hernández", "grade": "4", "school_id": "1001"},
    {"first_name": "Bảo", "last_name": "Nguyễn", "grade": "4", "school_id": "1002"},
]


def test_it_adds_nobody_twice_when_the_same_import_is_confirmed_twice(room12):
    first = import_students(classroom=room12, rows=ROWS)
    second = import_students(classroom=room12, rows=ROWS)

    assert [s.first_name for s in first] == ["José", "Bảo"]
    assert second == []
    assert room12.students.count() == 2
    assert Student.objects.count() == 2


def test_it_skips_a_row_with_the_school_id_of_a_student_already_in_the_class(room12):
    StudentFactory(first_name="Ana", last_name="Silva", school_id="AB-17", classroom=room12)
    rows = [
        {"first_name": "Anna", "last_name": "Silva-Lee", "school_id": "ab-17"},
        {"first_name": "Ana", "last_name": "Silva", "school_id": "AB-18"},
    ]

    added = import_students(classroom=room12, rows=rows)

    assert [(s.first_name, s.school_id) for s in added] == [("Ana", "AB-18")]
    assert room12.students.count() == 2


def test_it_skips_a_row_without_an_id_named_like_a_student_already_in_the_class(room12, zoe):
    rows = [
        {"first_name": "ZOË", "last_name": "nguyễn", "school_id": ""},
        {"first_name": "Zoë", "last_name": "Tran", "school_id": ""},
    ]

    added = import_students(classroom=room12, rows=rows)

    assert [(s.first_name, s.last_name) for s in added] == [("Zoë", "Tran")]
    assert room12.students.count() == 2


def test_it_adds_a_student_who_is_only_in_another_class(room12, marcus):
    added = import_students(
        classroom=room12, rows=[{"first_name": "Marcus", "last_name": "Lee", "school_id": ""}]
    )
    assert len(added) == 1
    assert room12.students.count() == 1


ROSTER_CSV = (
    "First name,Last name,Student ID,Grade\r\nJosé,Hernández,1001,4\r\nBảo,Nguyễn,1002,4\r\n"
)


def upload(client, classroom):
    return client.post(
        f"/classes/{classroom.pk}/import/",
        {"file": SimpleUploadedFile("roster.csv", ROSTER_CSV.encode(), content_type="text/csv")},
    )


def test_it_adds_each_student_once_when_two_tabs_confirm_the_same_import(
    rivera, rivera_client, room12
):
    other_tab = Client()
    other_tab.force_login(rivera)
    assert "Add 2 students to Room 12" in page(upload(rivera_client, room12))
    assert "Add 2 students to Room 12" in page(upload(other_tab, room12))

    first = rivera_client.post(f"/classes/{room12.pk}/import/confirm/", follow=True)
    second = other_tab.post(f"/classes/{room12.pk}/import/confirm/", follow=True)

    assert "2 students were added to Room 12." in shown_messages(first)
    assert "0 students were added to Room 12." in shown_messages(second)
    assert sorted(room12.students.values_list("first_name", flat=True)) == ["Bảo", "José"]
    assert Student.objects.count() == 2


def test_it_takes_a_moved_student_off_the_old_classs_groups_and_partnerships(
    rivera_client, room12, room14, zoe
):
    from conferbook.groups.models import Partnership, SmallGroup
    from conferbook.groups.services import PartnershipToSave, save_partnerships

    ana, ben, cy = (StudentFactory(first_name=n, classroom=room12) for n in ("Ana", "Ben", "Cy"))
    group = SmallGroup.objects.create(classroom=room12, name="Leads")
    group.members.set([zoe, ana, ben])
    save_partnerships(
        classroom=room12,
        partnerships=[PartnershipToSave(members=[zoe, ana], basis="by_hand", reason="")],
        replace=False,
    )
    others = save_partnerships(
        classroom=room12,
        partnerships=[PartnershipToSave(members=[ben, cy], basis="by_hand", reason="")],
        replace=False,
    )

    move(rivera_client, zoe, room12, room14)

    assert set(group.members.all()) == {ana, ben}
    # Zoë's partnership ends (Ana is free to pair again); the other one stays.
    assert list(Partnership.objects.all()) == others
