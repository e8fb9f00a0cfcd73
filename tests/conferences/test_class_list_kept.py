"""The class list is kept between views of the class page and made again whenever anything
it shows changes, however the change was written (conferences.class_stamps)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferbook.accounts.models import CoachAssignment
from conferbook.calendar.models import Rhythm, SchoolDay, Unavailability
from conferbook.conferences import class_list
from conferbook.conferences.class_stamps import (
    install_triggers,
    installed_triggers,
    remove_triggers,
    stamp_of,
    triggers,
)
from conferbook.conferences.models import Conference
from conferbook.conferences.services import move_student
from conferbook.goals.models import Goal, GoalCategory, StudentGoal
from conferbook.roster.models import Classroom, Enrollment, Student
from tests.conferences.test_pages import row
from tests.factories import (
    ConferenceFactory,
    StudentFactory,
    StudentGoalFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def class_page(client, classroom) -> str:
    response = client.get(reverse("conferences:classroom", args=[classroom.pk]))
    assert response.status_code == 200
    return response.content.decode()


def listed(page: str) -> str:
    """The class list of a class page: its table's rows."""
    return page[page.index("<tbody>") : page.index("</tbody>")]


def later_today():
    """A moment later today, or just after midnight when the day is nearly over (the test
    clock may stand at 23:58); both are after the start of today, which is what counts."""
    now = timezone.localtime()
    return min(now + timedelta(minutes=30), now.replace(hour=23, minute=59))


def rename_by_update(room, zoe):
    Student.objects.filter(pk=zoe.pk).update(preferred_name="Zed")
    return "Zed"


def rename_by_sql(room, zoe):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE roster_student SET last_name = %s WHERE id = %s",
            ["Quillfeather", zoe.pk],
        )
    return "Quillfeather"


def enrol_a_newcomer(room, zoe):
    StudentFactory(classroom=room, first_name="Newcomer")
    return "Newcomer"


def bulk_enrol(room, zoe):
    ada = Student.objects.create(first_name="Ada", last_name="Bulk", grade="4")
    Enrollment.objects.bulk_create([Enrollment(classroom=room, student=ada)])
    return "Ada"


def set_a_goal(room, zoe):
    category = GoalCategory.objects.first()
    goal = Goal.objects.create(category=category, name="Paint the setting in three senses")
    StudentGoalFactory(student=zoe, goal=goal)
    return "Paint the setting in three senses"


def hold_a_conference(room, zoe):
    ConferenceFactory(student=zoe, classroom=room, started_at=timezone.now() - timedelta(minutes=4))
    return "Today"


def book_a_conference(room, zoe):
    Conference.objects.create(
        classroom=room, student=zoe, status=Conference.Status.SCHEDULED, scheduled_for=later_today()
    )
    return "None booked"  # gone from the row: it now shows the booking


def start_a_conference(room, zoe):
    Conference.objects.create(
        classroom=room,
        student=zoe,
        status=Conference.Status.IN_PROGRESS,
        started_at=timezone.now(),
    )
    return "Resume"


CHANGES_SHOWN = [
    rename_by_update,
    rename_by_sql,
    enrol_a_newcomer,
    bulk_enrol,
    set_a_goal,
    hold_a_conference,
    start_a_conference,
]


@pytest.mark.parametrize("change", CHANGES_SHOWN, ids=lambda change: change.__name__)
def test_a_change_shows_on_the_next_view_however_it_was_written(change, rivera_client, room12, zoe):
    before = listed(class_page(rivera_client, room12))
    class_page(rivera_client, room12)  # kept now
    shown = change(room12, zoe)
    assert shown not in before
    assert shown in listed(class_page(rivera_client, room12))


def test_a_booking_shows_on_the_next_view(rivera_client, room12, zoe):
    assert "None booked" in row(class_page(rivera_client, room12), zoe)
    book_a_conference(room12, zoe)
    assert "None booked" not in row(class_page(rivera_client, room12), zoe)


def test_a_student_archived_or_unenrolled_leaves_the_list(rivera_client, room12, zoe):
    ben = StudentFactory(classroom=room12, first_name="Benedikt")
    page = class_page(rivera_client, room12)
    assert zoe.first_name in page and "Benedikt" in page
    Student.objects.filter(pk=zoe.pk).update(archived_at=timezone.now())
    Enrollment.objects.filter(student=ben).delete()
    page = class_page(rivera_client, room12)
    assert f'id="student-{zoe.pk}"' not in page
    assert f'id="student-{ben.pk}"' not in page
    archived = page[page.index("Archived students (1)") :]
    assert f'href="/students/{zoe.pk}/?class={room12.pk}">{zoe.full_name}</a>' in archived


def test_a_goal_renamed_is_renamed_in_every_row(rivera_client, room12, zoe):
    category = GoalCategory.objects.first()
    goal = Goal.objects.create(category=category, name="Old words")
    StudentGoalFactory(student=zoe, goal=goal)
    assert "Old words" in row(class_page(rivera_client, room12), zoe)
    Goal.objects.filter(pk=goal.pk).update(name="Dialogue that moves the story")
    assert "Dialogue that moves the story" in row(class_page(rivera_client, room12), zoe)


def test_a_goal_met_leaves_the_row(rivera_client, room12, zoe):
    goal = StudentGoalFactory(student=zoe)
    assert goal.goal.name in row(class_page(rivera_client, room12), zoe)
    StudentGoal.objects.filter(pk=goal.pk).update(status=StudentGoal.Status.MET)
    assert goal.goal.name not in row(class_page(rivera_client, room12), zoe)


def test_a_finished_or_deleted_conference_changes_the_row(rivera_client, room12, zoe):
    under_way = Conference.objects.create(
        classroom=room12,
        student=zoe,
        status=Conference.Status.IN_PROGRESS,
        started_at=timezone.now(),
    )
    assert "Resume" in row(class_page(rivera_client, room12), zoe)
    Conference.objects.filter(pk=under_way.pk).update(
        status=Conference.Status.HELD, ended_at=timezone.now()
    )
    page_row = row(class_page(rivera_client, room12), zoe)
    assert "Resume" not in page_row and "Today" in page_row
    Conference.objects.filter(pk=under_way.pk).delete()
    assert "Not seen yet" in row(class_page(rivera_client, room12), zoe)


def closed_day(room, zoe):
    return SchoolDay.objects.create(
        classroom=room, day=timezone.localdate() + timedelta(days=1), closed=True
    )


def time_away(room, zoe):
    return Unavailability.objects.create(
        classroom=room, student=zoe, weekday=0, start=time(9), end=time(10)
    )


def seen_more_often(room, zoe):
    return Rhythm.objects.create(classroom=room, student=zoe, see_more_often=True)


CALENDAR_ROWS = {
    "a closed day": closed_day,
    "time away": time_away,
    "seen more often": seen_more_often,
}
CALENDAR_EDITS = {
    "a closed day": {"closed": False, "ends_at": time(11)},
    "time away": {"end": time(11)},
    "seen more often": {"see_more_often": False},
}


@pytest.mark.parametrize("name", CALENDAR_ROWS)
def test_adding_changing_or_removing_a_calendar_row_gives_a_new_stamp(name, room12, zoe):
    stamps = [stamp_of(room12)]
    made = CALENDAR_ROWS[name](room12, zoe)
    stamps.append(stamp_of(room12))
    type(made).objects.filter(pk=made.pk).update(**CALENDAR_EDITS[name])
    stamps.append(stamp_of(room12))
    made.delete()
    stamps.append(stamp_of(room12))
    assert None not in stamps
    assert len(set(stamps)) == 4


def test_new_writing_days_give_a_new_stamp(room12):
    stamp = stamp_of(room12)
    Classroom.objects.filter(pk=room12.pk).update(writing_days="0,2")
    assert stamp_of(room12) not in (stamp, None)


def test_a_class_read_before_its_settings_changed_is_not_kept_for_the_new_settings(room12, zoe):
    ConferenceFactory(student=zoe, classroom=room12)
    as_read_before = Classroom.objects.get(pk=room12.pk)
    # Another teacher saves the class's settings between this request's two reads.
    Classroom.objects.filter(pk=room12.pk).update(writing_days="3")
    class_list.class_list(classroom=as_read_before, sort="name", writer=True)
    now_read = Classroom.objects.get(pk=room12.pk)
    shown = class_list.class_list(classroom=now_read, sort="name", writer=True)
    class_list._lists.clear()
    assert shown == class_list.class_list(classroom=now_read, sort="name", writer=True)


def test_another_class_keeps_its_stamp(room12, room7, zoe, marcus):
    ours, theirs = stamp_of(room12), stamp_of(room7)
    StudentGoalFactory(student=zoe)
    ConferenceFactory(student=zoe, classroom=room12)
    assert stamp_of(room12) != ours
    assert stamp_of(room7) == theirs


def test_a_student_in_two_classes_shows_a_new_goal_in_both(
    rivera, rivera_client, room12, zoe, okafor_client, room7
):
    Enrollment.objects.create(classroom=room7, student=zoe)
    class_page(rivera_client, room12), class_page(okafor_client, room7)
    goal = StudentGoalFactory(student=zoe)
    assert goal.goal.name in row(class_page(rivera_client, room12), zoe)
    assert goal.goal.name in row(class_page(okafor_client, room7), zoe)


def test_moving_a_student_changes_both_classes_lists(at_midday, rivera, rivera_client, room12, zoe):
    other = Classroom.objects.create(name="Room 13")
    other.teachers.add(rivera)
    ConferenceFactory(student=zoe, classroom=room12, started_at=timezone.now())
    assert "Today" in row(class_page(rivera_client, room12), zoe)
    assert f'id="student-{zoe.pk}"' not in class_page(rivera_client, other)
    move_student(student=zoe, from_classroom=room12, to_classroom=other)
    assert f'id="student-{zoe.pk}"' not in class_page(rivera_client, room12)
    assert "Today" in row(class_page(rivera_client, other), zoe)


def test_a_write_while_a_migrate_runs_shows_once_it_is_done(rivera_client, room12, zoe):
    class_page(rivera_client, room12)
    remove_triggers(connection)  # before a migrate
    Student.objects.filter(pk=zoe.pk).update(preferred_name="Zed")  # another process, meanwhile
    assert "Zed" in class_page(rivera_client, room12)  # no stamps: nothing is kept
    install_triggers(connection)  # after it: every class stamped anew
    assert stamp_of(room12) is not None
    assert "Zed" in class_page(rivera_client, room12)


def test_an_autosave_keeps_the_stamp_and_the_list(rivera_client, room12, zoe):
    conference = Conference.objects.create(
        classroom=room12,
        student=zoe,
        teacher=room12.teachers.first(),
        status=Conference.Status.IN_PROGRESS,
        started_at=timezone.now(),
    )
    stamp = stamp_of(room12)
    class_page(rivera_client, room12)
    response = rivera_client.post(
        reverse("conferences:save", args=[conference.pk]),
        {"field": "discussed", "value": "Her lead starts with a question.", "previous": ""},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200, response.content
    conference.refresh_from_db()
    assert conference.discussed == "Her lead starts with a question."
    assert stamp_of(room12) == stamp
    with CaptureQueriesContext(connection) as after:
        class_page(rivera_client, room12)
    assert not [q for q in after.captured_queries if "goals_studentgoal" in q["sql"]]


def test_a_second_view_reads_no_list_and_shows_the_same(rivera_client, room12, zoe):
    StudentGoalFactory(student=zoe)
    ConferenceFactory(student=zoe, classroom=room12)
    with CaptureQueriesContext(connection) as first:
        page = class_page(rivera_client, room12)
    with CaptureQueriesContext(connection) as second:
        again = class_page(rivera_client, room12)
    assert listed(again) == listed(page)
    lists = [q["sql"] for q in second.captured_queries if "goals_studentgoal" in q["sql"]]
    assert lists == []
    assert len(second.captured_queries) < len(first.captured_queries)


def test_the_teacher_and_a_coach_each_get_their_own_list(okafor, okafor_client, room7, marcus):
    coach = TeacherFactory(username="park")
    CoachAssignment.objects.create(coach=coach, teacher=okafor)
    coach_client = Client()
    coach_client.force_login(coach)
    assert "Confer" in row(class_page(okafor_client, room7), marcus)
    assert "Confer" not in row(class_page(coach_client, room7), marcus)
    assert "Confer" in row(class_page(okafor_client, room7), marcus)


def test_a_rolled_back_change_leaves_the_stamp_and_the_list_as_they_were(
    rivera_client, room12, zoe
):
    stamp = stamp_of(room12)
    with pytest.raises(RuntimeError), transaction.atomic():
        Student.objects.filter(pk=zoe.pk).update(preferred_name="Never")
        made_inside = class_list.class_list(classroom=room12, sort="name", writer=True)
        assert "Never" in [line.name for line in made_inside.lines]
        raise RuntimeError("rolled back")
    assert stamp_of(room12) == stamp
    assert "Never" not in class_page(rivera_client, room12)


def test_a_class_without_a_stamp_is_never_kept(rivera_client, room12, zoe):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM conferences_classliststamp WHERE classroom_id = %s", [room12.pk]
        )
    assert stamp_of(room12) is None
    class_page(rivera_client, room12)
    with CaptureQueriesContext(connection) as again:
        class_page(rivera_client, room12)
    assert any("goals_studentgoal" in q["sql"] for q in again.captured_queries)


def test_a_deleted_class_takes_its_stamp_with_it(room12, zoe):
    ConferenceFactory(student=zoe, classroom=room12)
    pk = room12.pk
    room12.delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM conferences_classliststamp WHERE classroom_id = %s", [pk]
        )
        assert cursor.fetchone()[0] == 0


def test_a_migrate_with_nothing_to_do_keeps_the_triggers_and_the_stamps(room12):
    stamp, made = stamp_of(room12), installed_triggers(connection)
    call_command("migrate", verbosity=0)
    assert stamp_of(room12) == stamp
    assert installed_triggers(connection) == made


def test_the_database_holds_every_trigger_and_they_are_made_again():
    wanted = {name for name, _ in triggers(connection.vendor) if name}
    assert set(installed_triggers(connection)) == wanted
    with connection.cursor() as cursor:
        trigger, table = next(iter(installed_triggers(connection).items()))
        cursor.execute(
            f"DROP TRIGGER {trigger}" + ("" if connection.vendor == "sqlite" else f" ON {table}")
        )
    assert set(installed_triggers(connection)) == wanted - {trigger}
    install_triggers(connection)
    assert set(installed_triggers(connection)) == wanted
