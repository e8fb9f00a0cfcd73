"""The class page and the student page: who has been seen, who is next, the chart."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import dateformat, timezone
from django.utils.html import escape

from conferbook.conferences.models import Conference
from conferbook.goals.models import MentorText, Strategy, StudentGoal
from conferbook.roster.models import Enrollment
from tests.factories import (
    ConferenceFactory,
    StrengthFactory,
    StudentFactory,
    StudentGoalFactory,
    WritingSampleFactory,
    library_goal,
)

pytestmark = pytest.mark.django_db


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def row(page: str, student) -> str:
    """The class-list row (the whole <tr>) of one student."""
    match = re.search(rf'<tr id="student-{student.pk}"[^>]*>.*?</tr>', page, re.S)
    assert match, f"no row for {student}"
    return match.group(0)


def row_order(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="student-(\d+)"', page)]


def is_overdue(row_html: str) -> bool:
    opening = row_html.split(">", 1)[0]
    return "overdue" in opening and "Overdue" in row_html


def held(student, days_ago: float, **fields) -> Conference:
    """A conference that ended exactly `days_ago` days ago (so "N days ago" is exact)."""
    ended_at = timezone.now() - timedelta(days=days_ago)
    return ConferenceFactory(
        student=student,
        started_at=ended_at - timedelta(minutes=4),
        ended_at=ended_at,
        **fields,
    )


def book(student, classroom, at: datetime) -> Conference:
    return Conference.objects.create(
        student=student, classroom=classroom, status=Conference.Status.SCHEDULED, scheduled_for=at
    )


def enrolled_days_ago(student, classroom, days: int) -> None:
    Enrollment.objects.filter(student=student, classroom=classroom).update(
        enrolled_at=timezone.now() - timedelta(days=days)
    )


def shown(dt: datetime, fmt: str) -> str:
    return dateformat.format(timezone.localtime(dt), fmt)


def soon(days: int, hour: int = 10, minute: int = 10) -> datetime:
    return timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute))
    )


# The class page


def test_it_lists_each_student_with_goals_last_and_next_conference(rivera_client, room12, zoe):
    zoe.preferred_name = "Zozo"
    zoe.save()
    goal = StudentGoalFactory(student=zoe).goal
    met = StudentGoalFactory(
        student=zoe,
        goal=library_goal(1),
        status=StudentGoal.Status.MET,
        closed_on=timezone.localdate(),
    ).goal
    held(zoe, days_ago=3)
    next_at = soon(days=2)
    book(zoe, room12, next_at)
    # Two slots a day for ten students: each is due every five school days.
    room12.block_end = time(10, 20)
    room12.save()
    StudentFactory.create_batch(9, classroom=room12)

    zoe_row = row(page_of(rivera_client, f"/classes/{room12.pk}/"), zoe)

    assert "<strong>Zozo</strong>" in zoe_row
    assert escape(goal.name) in zoe_row
    assert escape(met.name) not in zoe_row
    assert "3 days ago" in zoe_row
    assert shown(next_at, "D j M, g:i A") in zoe_row
    assert not is_overdue(zoe_row)


def test_a_row_shown_before_follows_what_changed_since(
    at_midday, rivera_client, room12, zoe, settings
):
    """The page keeps rows rendered by what they show (web.fragments): a row whose student,
    goals or conferences changed is never the one kept from the last view."""
    settings.DEBUG = False
    url = f"/classes/{room12.pk}/"
    before = row(page_of(rivera_client, url), zoe)
    assert row(page_of(rivera_client, url), zoe) == before  # nothing changed
    zoe.preferred_name = "Zozo"
    zoe.save()
    goal = StudentGoalFactory(student=zoe).goal
    held(zoe, days_ago=0.01)
    next_at = soon(days=2)
    book(zoe, room12, next_at)

    after = row(page_of(rivera_client, url), zoe)

    assert "Not seen yet" in before and "Today" in after
    assert "<strong>Zozo</strong>" in after and escape(goal.name) in after
    assert shown(next_at, "D j M, g:i A") in after


def test_every_confer_button_sends_the_one_start_form_with_its_student(rivera_client, room12, zoe):
    ava = StudentFactory(first_name="Ava", classroom=room12)
    page = page_of(rivera_client, f"/classes/{room12.pk}/")
    form = re.search(r'<form id="start-conference".*?</form>', page, re.S)
    assert form and 'name="csrfmiddlewaretoken"' in form.group(0)
    assert f'name="classroom" value="{room12.pk}"' in form.group(0)
    for student in (zoe, ava):
        assert re.search(
            rf'<button type="submit" form="start-conference" name="student" value="{student.pk}"',
            row(page, student),
        )
    assert page.count("csrfmiddlewaretoken") == page.count("<form")  # one token a form

    response = rivera_client.post(
        "/conferences/start/", {"student": ava.pk, "classroom": room12.pk, "conference_id": ""}
    )
    assert Conference.objects.get(student=ava, status=Conference.Status.IN_PROGRESS)
    assert response.status_code == 302


def test_it_says_a_new_student_has_not_been_seen_and_is_not_overdue(rivera_client, room12, zoe):
    zoe_row = row(page_of(rivera_client, f"/classes/{room12.pk}/"), zoe)
    assert "Not seen yet" in zoe_row
    assert "None booked" in zoe_row
    assert "No goal yet" in zoe_row
    assert not is_overdue(zoe_row)


def test_it_marks_students_not_seen_for_too_long(rivera_client, room12, zoe):
    long_ago = StudentFactory(first_name="Lena", classroom=room12)
    held(long_ago, days_ago=30)
    booked = StudentFactory(first_name="Bo", classroom=room12)
    held(booked, days_ago=30)
    book(booked, room12, soon(days=1))
    recent = StudentFactory(first_name="Rami", classroom=room12)
    held(recent, days_ago=2)
    never_seen = StudentFactory(first_name="Nia", classroom=room12)
    enrolled_days_ago(never_seen, room12, 30)
    room12.block_end = time(10, 20)  # two slots a day: five students are due every 3 days
    room12.save()

    page = page_of(rivera_client, f"/classes/{room12.pk}/")

    assert is_overdue(row(page, long_ago))
    assert "30 days ago" in row(page, long_ago)
    assert is_overdue(row(page, never_seen))
    # Booked for tomorrow, but late already: the booking says when, not that he was seen.
    assert is_overdue(row(page, booked))
    assert not is_overdue(row(page, recent))
    assert not is_overdue(row(page, zoe))
    assert "3 overdue" in page


def test_it_sorts_the_longest_waiting_first(rivera_client, room12):
    five = StudentFactory(first_name="Anna", classroom=room12)
    held(five, days_ago=5)
    twenty = StudentFactory(first_name="Cleo", classroom=room12)
    held(twenty, days_ago=20)
    ten = StudentFactory(first_name="Bea", classroom=room12)
    held(ten, days_ago=10)

    by_name = row_order(page_of(rivera_client, f"/classes/{room12.pk}/"))
    by_days = row_order(page_of(rivera_client, f"/classes/{room12.pk}/?sort=days"))

    assert by_name == [five.pk, ten.pk, twenty.pk]
    assert by_days == [twenty.pk, ten.pk, five.pk]


def test_it_puts_never_seen_students_first_when_sorting_by_wait(rivera_client, room12, zoe):
    seen = StudentFactory(first_name="Anna", classroom=room12)
    held(seen, days_ago=20)
    assert row_order(page_of(rivera_client, f"/classes/{room12.pk}/?sort=days")) == [
        zoe.pk,
        seen.pk,
    ]


def test_it_sorts_by_next_appointment(rivera_client, room12, zoe):
    later = StudentFactory(first_name="Anna", classroom=room12)
    book(later, room12, soon(days=3))
    sooner = StudentFactory(first_name="Bea", classroom=room12)
    book(sooner, room12, soon(days=1))

    order = row_order(page_of(rivera_client, f"/classes/{room12.pk}/?sort=next"))

    assert order == [sooner.pk, later.pk, zoe.pk]


def test_it_highlights_the_student_to_see_next(rivera_client, room12, zoe):
    ava = StudentFactory(first_name="Ava", classroom=room12)
    page = page_of(rivera_client, f"/classes/{room12.pk}/?next={ava.pk}")
    ava_row, zoe_row = row(page, ava), row(page, zoe)
    assert "highlight" in ava_row.split(">", 1)[0]
    assert "Next up" in ava_row
    assert "highlight" not in zoe_row.split(">", 1)[0]
    assert "Next up" not in zoe_row


def test_it_leaves_archived_students_off_the_class_page(rivera_client, room12, zoe):
    gone = StudentFactory(first_name="Gustavo", classroom=room12)
    gone.archived_at = timezone.now()
    gone.save()
    page = page_of(rivera_client, f"/classes/{room12.pk}/")
    assert row_order(page) == [zoe.pk]
    listed, _, archived = page.partition("Archived students")
    assert "Gustavo" not in listed
    assert "Gustavo" in archived  # reachable, to put back
    assert "1 student " in page


def test_it_hides_the_class_page_from_another_teacher(okafor_client, room12, zoe):
    assert okafor_client.get(f"/classes/{room12.pk}/").status_code == 404


# The student page


def test_it_shows_the_active_goals_with_the_date_they_were_set(rivera_client, zoe):
    goal = StudentGoalFactory(student=zoe, set_on=date(2025, 1, 15)).goal
    page = page_of(rivera_client, f"/students/{zoe.pk}/")
    assert escape(goal.name) in page
    assert "set 15 Jan 2025" in page


def test_it_shows_the_goal_history(rivera_client, zoe):
    met = StudentGoalFactory(
        student=zoe,
        goal=library_goal(2),
        set_on=date(2024, 10, 1),
        status=StudentGoal.Status.MET,
        closed_on=date(2024, 11, 20),
    ).goal
    page = page_of(rivera_client, f"/students/{zoe.pk}/")
    history = page.split("Goal history", 1)
    assert len(history) == 2, "no goal history on the page"
    assert escape(met.name) in history[1]
    assert "met 20 Nov 2024" in history[1]
    assert "set 1 Oct 2024" in history[1]


def test_it_shows_strengths_with_their_evidence_and_writing_samples(rivera_client, zoe):
    sample = WritingSampleFactory(student=zoe, title="The Storm", text="Thunder cracked the sky.")
    StrengthFactory(
        student=zoe, description="Uses sound words", evidence="Thunder cracked", sample=sample
    )
    page = page_of(rivera_client, f"/students/{zoe.pk}/")
    assert "Uses sound words" in page
    assert "Thunder cracked</blockquote>" in page
    assert "The Storm" in page
    assert "Thunder cracked the sky." in page


def chart_rows(page: str) -> list[str]:
    table = re.search(r'<table class="chart">.*?</table>', page, re.S)
    assert table, "no chart on the page"
    body = table.group(0).split("<tbody>", 1)[1]
    return re.findall(r"<tr[^>]*>.*?</tr>", body, re.S)


def test_it_shows_the_chart_oldest_first(rivera_client, rivera, zoe):
    goal = StudentGoalFactory(student=zoe)
    strategy = Strategy.objects.filter(goal=goal.goal).first() or Strategy.objects.first()
    strength = StrengthFactory(student=zoe, description="Uses strong verbs")
    mentor = MentorText.objects.create(owner=rivera, title="Owl Moon")
    newer = held(zoe, days_ago=3, discussed="Newer: dialogue tags.", task="Newer task.")
    older = held(
        zoe,
        days_ago=10,
        discussed="Older: hooking leads.",
        task="Write three leads.",
        student_goal=goal,
        strategy=strategy,
        strength=strength,
        compliment="Your verbs zoom!",
        mentor_text=mentor,
        task_review="done",
    )

    rows = chart_rows(page_of(rivera_client, f"/students/{zoe.pk}/"))

    assert len(rows) == 2
    first, second = rows
    assert shown(older.ended_at, "D j M") in first
    assert "Older: hooking leads." in first
    assert "Write three leads." in first
    assert escape(goal.goal.name) in first
    assert escape(strategy.name) in first
    assert "Owl Moon" in first
    assert "Uses strong verbs" in first
    assert "Your verbs zoom!" in first
    assert shown(newer.ended_at, "D j M") in second
    assert "Newer: dialogue tags." in second
    assert "Newer task." in second


def test_the_chart_shows_this_term_and_the_whole_record_one_tap_away(rivera_client, zoe):
    """Two years of weekly conferences would make the student page a long read (and a slow
    one): it shows the term so far, else the last 12 weeks, and says how many came before."""
    held(zoe, days_ago=300, discussed="Last year: small moments.")
    held(zoe, days_ago=120, discussed="Before the span.")
    held(zoe, days_ago=20, discussed="This term: dialogue.")

    page = page_of(rivera_client, f"/students/{zoe.pk}/")
    rows = chart_rows(page)
    assert [("This term: dialogue." in r) for r in rows] == [True]
    assert "Conferences in the last 12 weeks" in page
    assert "Show all, with 2 earlier conferences" in page

    everything = page_of(rivera_client, f"/students/{zoe.pk}/?chart=all")
    rows = chart_rows(everything)
    assert len(rows) == 3
    assert "Last year: small moments." in rows[0]
    assert "Before the span." in rows[1]
    assert "This term: dialogue." in rows[2]
    assert "Show the last 12 weeks only" in everything


def test_the_chart_follows_the_schools_term(rivera_client, zoe):
    from conferbook.calendar.models import Term

    today = timezone.localdate()
    Term.objects.create(
        name="Spring term", starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=60)
    )
    held(zoe, days_ago=40, discussed="Before the term began.")
    held(zoe, days_ago=10, discussed="In the term.")

    page = page_of(rivera_client, f"/students/{zoe.pk}/")
    rows = chart_rows(page)
    assert len(rows) == 1 and "In the term." in rows[0]
    assert "Conferences in Spring term" in page
    assert "Show all, with 1 earlier conference<" in page


def test_a_quiet_term_says_so_and_still_offers_the_record(rivera_client, zoe):
    held(zoe, days_ago=200, discussed="Long ago.")
    page = page_of(rivera_client, f"/students/{zoe.pk}/")
    (only,) = chart_rows(page)
    assert "No conferences in the last 12 weeks yet." in only
    assert "Show all, with 1 earlier conference" in page


def test_it_leaves_open_conferences_off_the_chart(rivera_client, room12, zoe):
    book(zoe, room12, soon(days=2))
    ConferenceFactory(
        student=zoe,
        status=Conference.Status.IN_PROGRESS,
        ended_at=None,
        discussed="Still being written.",
    )
    rows = chart_rows(page_of(rivera_client, f"/students/{zoe.pk}/"))
    assert len(rows) == 1
    assert "No conferences yet" in rows[0]


def test_it_marks_a_reading_conference_on_the_chart(rivera_client, zoe):
    held(zoe, days_ago=8, discussed="Writing talk.")
    held(zoe, days_ago=4, discussed="Reading talk.", kind=Conference.Kind.READING)
    writing_row, reading_row = chart_rows(page_of(rivera_client, f"/students/{zoe.pk}/"))
    assert "Reading talk." in reading_row
    assert "Reading<" in reading_row
    assert "Reading<" not in writing_row


def test_it_shows_days_since_the_last_conference_and_the_next_appointment(
    rivera_client, room12, zoe
):
    held(zoe, days_ago=12)
    held(zoe, days_ago=5)
    next_at = soon(days=4, hour=10, minute=25)
    book(zoe, room12, next_at)
    page = page_of(rivera_client, f"/students/{zoe.pk}/")
    assert "Last conference 5 days ago" in page
    assert shown(next_at, "D j M, g:i A") in page


def test_it_says_when_nothing_is_booked(rivera_client, zoe):
    page = page_of(rivera_client, f"/students/{zoe.pk}/")
    assert "No conference yet" in page
    assert "No appointment booked" in page


def test_it_hides_the_student_page_from_another_teacher(okafor_client, zoe):
    assert okafor_client.get(f"/students/{zoe.pk}/").status_code == 404
