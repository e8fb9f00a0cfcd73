"""The roster through the browser's eyes: classes, students, moves and CSV import."""

from __future__ import annotations

import codecs
import html
import re
from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferbook.conferences.models import Conference
from conferbook.goals.models import StudentGoal
from conferbook.roster.models import Classroom, Enrollment, Student
from tests.factories import (
    ClassroomFactory,
    ConferenceFactory,
    StudentFactory,
    StudentGoalFactory,
)
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db


def listed_on_class_page(response, student: Student) -> bool:
    return f'id="student-{student.pk}"' in response.content.decode()


@pytest.fixture
def room14(rivera) -> Classroom:
    return ClassroomFactory(name="Room 14", teachers=[rivera])


# -- classes ------------------------------------------------------------------------------

WRITING_BLOCK = {
    "name": "Room 21 Writing",
    "writing_days": ["0", "2", "4"],
    "block_start": "09:15",
    "block_end": "10:00",
    "mini_lesson_minutes": "10",
    "conference_minutes": "5",
}


def test_it_creates_a_class_with_its_writing_block(rivera, rivera_client):
    response = rivera_client.post("/classes/new/", WRITING_BLOCK)

    classroom = Classroom.objects.get(name="Room 21 Writing")
    assert response.status_code == 302
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert list(classroom.teachers.all()) == [rivera]
    assert classroom.writing_days == "024"
    assert classroom.block_start == time(9, 15)
    assert classroom.block_end == time(10, 0)
    assert (classroom.mini_lesson_minutes, classroom.conference_minutes) == (10, 5)

    page = rivera_client.get(response["Location"])
    assert "Room 21 Writing is ready. Add your students next." in shown_messages(page)
    # 45 minutes, less a 10-minute mini-lesson, in 5-minute conferences.
    assert "7 conference slots a day" in page.content.decode()


def test_it_refuses_a_writing_block_that_ends_before_it_starts_and_keeps_the_typed_values(
    rivera_client,
):
    response = rivera_client.post(
        "/classes/new/", {**WRITING_BLOCK, "block_start": "10:30", "block_end": "10:00"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "The writing block must end after it starts." in page
    assert 'value="Room 21 Writing"' in page
    assert 'value="10:30"' in page
    assert 'value="10:00"' in page
    checked = set(
        re.findall(r'<input type="checkbox" name="writing_days" value="(\d)"[^>]*checked', page)
    )
    assert checked == {"0", "2", "4"}
    assert not Classroom.objects.filter(name="Room 21 Writing").exists()


def test_it_saves_class_settings(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/settings/",
        {
            **WRITING_BLOCK,
            "name": "Room 12 Writers",
            "writing_days": ["1", "3"],
            "conference_minutes": "4",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/classes/{room12.pk}/"
    room12.refresh_from_db()
    assert room12.name == "Room 12 Writers"
    assert room12.writing_days == "13"
    assert room12.conference_minutes == 4
    page = rivera_client.get(response["Location"])
    assert "Class settings saved." in shown_messages(page)
    assert "8 conference slots a day" in page.content.decode()


def test_it_hides_an_archived_class_from_the_home_page_but_keeps_it(rivera_client, room12, zoe):
    response = rivera_client.post(f"/classes/{room12.pk}/archive/")

    assert response.status_code == 302
    home = rivera_client.get(response["Location"])
    assert "Room 12 was archived." in shown_messages(home)
    active, _, archived = home.content.decode().partition("Archived classes")
    assert f'href="/classes/{room12.pk}/"' not in active
    assert f'href="/classes/{room12.pk}/"' in archived  # still reachable, to bring it back
    room12.refresh_from_db()
    assert room12.archived_at is not None
    assert list(room12.students.all()) == [zoe]
    assert rivera_client.get(f"/classes/{room12.pk}/").status_code == 200

    rivera_client.post(f"/classes/{room12.pk}/archive/", {"archived": "0"})
    back = rivera_client.get("/").content.decode()
    assert f'href="/classes/{room12.pk}/"' in back
    assert "Archived classes" not in back


def test_it_lists_only_the_teachers_own_classes_on_the_home_page(rivera_client, room12, room7):
    page = rivera_client.get("/").content.decode()

    assert "Room 12" in page
    assert "Room 7" not in page


def test_it_does_not_count_archived_students_on_the_home_page(rivera_client, room12, zoe):
    StudentFactory(first_name="Amara", classroom=room12)
    rivera_client.post(f"/students/{zoe.pk}/archive/")

    class_page = rivera_client.get(f"/classes/{room12.pk}/").content.decode()
    home = rivera_client.get("/").content.decode()

    # Archived students are off class lists: the class card must agree with the class page.
    assert "1 student ·" in class_page
    assert "1 student ·" in home


def test_it_shows_the_home_page_in_the_same_number_of_queries_for_more_classes(
    rivera, rivera_client
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert rivera_client.get("/").status_code == 200
        return len(queries)

    ClassroomFactory(teachers=[rivera])
    one = count()
    for _ in range(5):
        StudentFactory(classroom=ClassroomFactory(teachers=[rivera]))

    assert count() == one


# -- students by hand ---------------------------------------------------------------------


def test_it_adds_a_student_and_goes_back_to_the_form_for_another(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/students/new/",
        {"first_name": "José", "last_name": "Hernández", "grade": "4", "add_another": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/classes/{room12.pk}/students/new/"
    student = Student.objects.get(first_name="José")
    assert (student.last_name, student.grade) == ("Hernández", "4")
    assert list(student.classrooms.all()) == [room12]
    form = rivera_client.get(response["Location"])
    assert "José Hernández was added to Room 12." in shown_messages(form)


def test_it_adds_a_student_and_shows_them_on_the_class_page(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/students/new/", {"first_name": "Amara", "last_name": "Okoro"}
    )

    assert response["Location"] == f"/classes/{room12.pk}/"
    student = Student.objects.get(first_name="Amara")
    assert listed_on_class_page(rivera_client.get(response["Location"]), student)


def test_it_refuses_a_student_without_a_first_name(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/students/new/", {"first_name": "  ", "last_name": "Okoro"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert 'value="Okoro"' in page
    assert not Student.objects.exists()


def test_it_saves_a_students_details(rivera_client, zoe):
    response = rivera_client.post(
        f"/students/{zoe.pk}/edit/",
        {"first_name": "Zoë", "last_name": "Nguyễn", "preferred_name": "Zo", "grade": "5"},
    )

    assert response["Location"] == f"/students/{zoe.pk}/"
    zoe.refresh_from_db()
    assert (zoe.preferred_name, zoe.grade) == ("Zo", "5")
    page = rivera_client.get(response["Location"])
    assert "Student details saved." in shown_messages(page)
    assert "Zo Nguyễn" in page.content.decode()
    assert "Grade 5" in page.content.decode()


def test_it_takes_an_archived_student_off_the_class_page_and_puts_them_back(
    rivera_client, room12, zoe
):
    response = rivera_client.post(f"/students/{zoe.pk}/archive/")

    assert response["Location"] == f"/students/{zoe.pk}/"
    zoe.refresh_from_db()
    assert zoe.archived_at is not None
    student_page = rivera_client.get(response["Location"])
    assert "Archived" in student_page.content.decode()
    assert not listed_on_class_page(rivera_client.get(f"/classes/{room12.pk}/"), zoe)

    rivera_client.post(f"/students/{zoe.pk}/archive/", {"archived": "0"})

    zoe.refresh_from_db()
    assert zoe.archived_at is None
    assert listed_on_class_page(rivera_client.get(f"/classes/{room12.pk}/"), zoe)


def test_it_offers_only_the_teachers_other_classes_to_move_to(rivera_client, zoe, room14, room7):
    page = rivera_client.get(f"/students/{zoe.pk}/edit/").content.decode()

    assert f'<option value="{room14.pk}">Room 14</option>' in page
    assert "Room 7" not in page


def test_it_moves_a_student_with_their_goals_and_conferences(rivera_client, room12, room14, zoe):
    student_goal = StudentGoalFactory(student=zoe)
    conference = ConferenceFactory(
        student=zoe, classroom=room12, discussed="Tried a question lead."
    )

    response = rivera_client.post(
        f"/students/{zoe.pk}/move/", {"from_classroom": room12.pk, "to_classroom": room14.pk}
    )

    assert response["Location"] == f"/classes/{room14.pk}/"
    new_class_page = rivera_client.get(response["Location"])
    assert "Zoë Nguyễn moved to Room 14." in shown_messages(new_class_page)
    assert listed_on_class_page(new_class_page, zoe)
    assert not listed_on_class_page(rivera_client.get(f"/classes/{room12.pk}/"), zoe)
    assert list(zoe.classrooms.all()) == [room14]
    assert StudentGoal.objects.get(pk=student_goal.pk).student_id == zoe.pk
    assert Conference.objects.get(pk=conference.pk).student_id == zoe.pk
    student_page = rivera_client.get(f"/students/{zoe.pk}/").content.decode()
    assert html.escape(student_goal.goal.name) in student_page
    assert "Tried a question lead." in student_page


def test_it_refuses_to_move_a_student_into_a_class_the_teacher_does_not_teach(
    rivera_client, room12, room7, zoe
):
    response = rivera_client.post(
        f"/students/{zoe.pk}/move/", {"from_classroom": room12.pk, "to_classroom": room7.pk}
    )

    assert response["Location"] == f"/students/{zoe.pk}/edit/"
    assert "Please choose a class to move the student to." in shown_messages(
        rivera_client.get(response["Location"])
    )
    assert list(zoe.classrooms.all()) == [room12]
    assert not Enrollment.objects.filter(classroom=room7).exists()


def test_it_refuses_to_move_a_student_out_of_a_class_the_teacher_does_not_teach(
    rivera_client, room12, room14, room7, zoe
):
    response = rivera_client.post(
        f"/students/{zoe.pk}/move/", {"from_classroom": room7.pk, "to_classroom": room14.pk}
    )

    assert response.status_code == 404
    assert list(zoe.classrooms.all()) == [room12]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/classes/{room}/settings/"),
        ("post", "/classes/{room}/archive/"),
        ("get", "/classes/{room}/students/new/"),
        ("get", "/classes/{room}/import/"),
        ("post", "/classes/{room}/import/confirm/"),
        ("get", "/students/{student}/edit/"),
        ("post", "/students/{student}/archive/"),
        ("post", "/students/{student}/move/"),
    ],
)
def test_it_answers_404_to_another_teacher(okafor_client, room12, zoe, method, url):
    response = getattr(okafor_client, method)(url.format(room=room12.pk, student=zoe.pk))

    assert response.status_code == 404
    room12.refresh_from_db()
    zoe.refresh_from_db()
    assert room12.archived_at is None
    assert zoe.archived_at is None
    assert list(zoe.classrooms.all()) == [room12]


# -- CSV import ---------------------------------------------------------------------------

# European Excel: a byte-order mark, semicolons, the columns in an unusual order.
ROSTER_CSV = (
    codecs.BOM_UTF8
    + (
        "Grade;Last name;Student ID;First name\r\n"
        "4;Hernández;1001;José\r\n"
        "4;Nguyễn;1002;Bảo\r\n"
        "4;Nguyễn;;Zoë\r\n"
        "4;Okoro;1003;\r\n"
    ).encode()
)


def upload(client, classroom: Classroom, data: bytes, name: str = "roster.csv"):
    return client.post(
        f"/classes/{classroom.pk}/import/",
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def preview_rows(response) -> list[tuple[str, str, str]]:
    """(first name, last name, status) for every row of the preview table."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        rows.append((" ".join(cells[1]), " ".join(cells[2]), " ".join(cells[6])))
    return rows


def test_it_previews_an_import_without_saving_anything(rivera_client, room12, zoe):
    response = upload(rivera_client, room12, ROSTER_CSV)

    assert response.status_code == 200
    assert "Nothing has been saved yet." in response.content.decode()
    assert preview_rows(response) == [
        ("José", "Hernández", "Will be added"),
        ("Bảo", "Nguyễn", "Will be added"),
        ("Zoë", "Nguyễn", "Skipped: already in this class"),
        ("", "Okoro", "Line 5: the first name is missing."),
    ]
    assert "Add 2 students to Room 12" in response.content.decode()
    assert Student.objects.count() == 1
    assert list(room12.students.all()) == [zoe]


def test_it_adds_exactly_the_importable_rows_when_the_teacher_confirms(rivera_client, room12, zoe):
    upload(rivera_client, room12, ROSTER_CSV)

    response = rivera_client.post(f"/classes/{room12.pk}/import/confirm/")

    assert response["Location"] == f"/classes/{room12.pk}/"
    assert "2 students were added to Room 12." in shown_messages(
        rivera_client.get(response["Location"])
    )
    assert Student.objects.count() == 3
    assert sorted(room12.students.values_list("first_name", "last_name", "grade", "school_id")) == [
        ("Bảo", "Nguyễn", "4", "1002"),
        ("José", "Hernández", "4", "1001"),
        ("Zoë", "Nguyễn", "4", ""),
    ]


def test_it_adds_nothing_more_when_the_confirmation_is_sent_again(rivera_client, room12, zoe):
    upload(rivera_client, room12, ROSTER_CSV)
    rivera_client.post(f"/classes/{room12.pk}/import/confirm/")

    response = rivera_client.post(f"/classes/{room12.pk}/import/confirm/")

    assert response["Location"] == f"/classes/{room12.pk}/import/"
    assert "That import has expired. Please choose the file again." in shown_messages(
        rivera_client.get(response["Location"])
    )
    assert Student.objects.count() == 3


def test_it_does_not_confirm_an_import_into_another_class_than_the_one_previewed(
    rivera_client, room12, room14, zoe
):
    upload(rivera_client, room12, ROSTER_CSV)

    response = rivera_client.post(f"/classes/{room14.pk}/import/confirm/")

    assert response["Location"] == f"/classes/{room14.pk}/import/"
    assert "That import has expired. Please choose the file again." in shown_messages(
        rivera_client.get(response["Location"])
    )
    assert Student.objects.count() == 1
    assert not room14.students.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
            "This is a picture, not a CSV file.",
        ),
        (b"", "The submitted file is empty."),
        (codecs.BOM_UTF8 + b"\r\n\r\n", "The file is empty."),
    ],
    ids=["png", "empty", "only-a-byte-order-mark"],
)
def test_it_explains_a_file_it_cannot_read_and_changes_nothing(
    rivera_client, room12, zoe, data, message
):
    response = upload(rivera_client, room12, data)

    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert "Will be added" not in response.content.decode()
    assert Student.objects.count() == 1
    # No preview was kept, so there is nothing to confirm.
    rivera_client.post(f"/classes/{room12.pk}/import/confirm/")
    assert Student.objects.count() == 1


def test_it_refuses_a_file_over_2_mb(rivera_client, room12, zoe):
    data = b"First name\r\n" + b"Ana\r\n" * (2 * 1024 * 1024 // 5 + 1)
    assert len(data) > 2 * 1024 * 1024

    response = upload(rivera_client, room12, data)

    assert response.status_code == 200
    assert "That file is larger than 2 MB" in response.content.decode()
    assert Student.objects.count() == 1
