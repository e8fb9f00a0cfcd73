"""The print pages and the PDFs they hand out, at the HTTP boundary."""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from conferbook.conferences.models import Conference
from conferbook.goals.models import StudentGoal
from conferbook.lib.sheets import PAPERS
from tests.factories import (
    ConferenceFactory,
    StrengthFactory,
    StudentFactory,
    StudentGoalFactory,
    WritingSampleFactory,
    library_goal,
)
from tests.helpers import shown_messages

MM = 72 / 25.4


def pdf_of(response) -> PdfReader:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    """All the text, with line breaks from wrapping turned into spaces."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def page_size_mm(reader: PdfReader, page: int = 0) -> tuple[float, float]:
    box = reader.pages[page].mediabox
    return float(box.width) / MM, float(box.height) / MM


def at(days: int, hour: int = 10, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def thu(room12):
    student = StudentFactory(first_name="Thu", last_name="Nguyễn", classroom=room12)
    goal = library_goal(0)
    StudentGoalFactory(student=student, goal=goal, set_on=timezone.localdate() - timedelta(20))
    return student


@pytest.mark.django_db
def test_it_offers_every_document_on_the_class_print_page(rivera_client, room12, zoe):
    page = rivera_client.get(f"/classes/{room12.pk}/print/")
    assert page.status_code == 200
    html = page.content.decode()
    for heading in [
        "Appointment cards",
        "Picture-clue stickers",
        "Desk strips",
        "Class binder",
        "Calendar pages",
        "Class goals chart",
        "Self-assessment checklists",
        "Parent-teacher conference reports",
    ]:
        assert heading in html
    assert (
        f"/classes/{room12.pk}/print/"
        in rivera_client.get(f"/classes/{room12.pk}/").content.decode()
    )


@pytest.mark.django_db
def test_it_prints_every_students_card_with_the_goal_task_and_next_time(
    rivera_client, room12, thu, zoe
):
    goal = thu.student_goals.get().goal
    ConferenceFactory(
        student=thu,
        student_goal=thu.student_goals.get(),
        task="Reread your lead and add a sound.",
    )
    Conference.objects.create(
        student=thu, classroom=room12, status=Conference.Status.SCHEDULED, scheduled_for=at(2)
    )
    reader = pdf_of(
        rivera_client.get(
            f"/classes/{room12.pk}/print/cards.pdf?sheet=letter-cards-10&start=1&who=all"
        )
    )
    assert page_size_mm(reader) == pytest.approx((215.9, 279.4), abs=0.5)
    text = text_of(reader)
    assert "Nguyễn" not in text  # cards use the name the student goes by
    assert "Thu" in text and zoe.shown_name in text
    assert goal.student_words[:20] in " ".join(text.split())
    assert "Reread your lead" in text
    assert timezone.localtime(at(2)).strftime("%B") in text
    assert "we will choose a day" in text  # Zoë has nothing booked


@pytest.mark.django_db
def test_it_prints_only_todays_students_when_asked(rivera_client, room12, thu, zoe):
    Conference.objects.create(
        student=zoe, classroom=room12, status=Conference.Status.SCHEDULED, scheduled_for=at(0, 23)
    )
    text = text_of(
        pdf_of(
            rivera_client.get(
                f"/classes/{room12.pk}/print/cards.pdf?sheet=index-card&start=1&who=today"
            )
        )
    )
    assert zoe.shown_name in text and "Thu" not in text


@pytest.mark.django_db
def test_it_prints_each_students_own_stickers_with_their_name(rivera_client, room12, thu):
    goal = thu.student_goals.get().goal
    reader = pdf_of(
        rivera_client.get(
            f"/classes/{room12.pk}/print/stickers.pdf?sheet=a4-21&start=4&mode=own&each=2"
        )
    )
    assert page_size_mm(reader) == pytest.approx((210, 297), abs=0.5)
    text = text_of(reader)
    assert text.count("Thu") == 2
    assert goal.clue_words in text


@pytest.mark.django_db
def test_it_prints_chosen_goals_in_chosen_numbers(rivera_client, room12):
    first, second = library_goal(0), library_goal(1)
    reader = pdf_of(
        rivera_client.get(
            f"/classes/{room12.pk}/print/stickers.pdf?sheet=letter-30&start=1&mode=goals&each=1"
            f"&goal_{first.pk}=3&goal_{second.pk}=31"
        )
    )
    assert len(reader.pages) == 2  # 34 stickers: a full sheet and four more
    text = text_of(reader)
    assert text.count(first.clue_words) == 3
    assert text.count(second.clue_words) == 31


@pytest.mark.django_db
def test_it_explains_a_bad_choice_and_keeps_the_rest(rivera_client, room12):
    goal = library_goal(0)
    page = rivera_client.get(
        f"/classes/{room12.pk}/print/stickers.pdf?sheet=letter-30&start=31&mode=goals&each=1"
        f"&goal_{goal.pk}=7"
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "This stock has 30 labels" in html
    assert 'value="7"' in html  # what the teacher typed is still there
    nothing = rivera_client.get(
        f"/classes/{room12.pk}/print/stickers.pdf?sheet=letter-30&start=1&mode=goals&each=1"
    )
    assert nothing.status_code == 400
    assert "at least one goal" in nothing.content.decode()


@pytest.mark.django_db
def test_a_count_out_of_range_is_marked_on_its_own_goal(rivera_client, room12):
    """The count inputs are written by hand (a library of goals made the form's own
    widgets a third of the page's time): the same name, limits, value and error."""
    goal = library_goal(0)
    page = rivera_client.get(
        f"/classes/{room12.pk}/print/stickers.pdf?sheet=letter-30&start=1&mode=goals&each=1"
        f"&goal_{goal.pk}=9999"
    )
    assert page.status_code == 400
    html = page.content.decode()
    field = re.search(rf'<input type="number" name="goal_{goal.pk}"[^>]*>', html)
    assert field, "no count input for the goal"
    assert f'id="id_stickers_goal_{goal.pk}"' in field.group(0)
    assert 'min="0"' in field.group(0) and 'max="600"' in field.group(0)
    assert 'value="9999"' in field.group(0) and 'aria-invalid="true"' in field.group(0)
    assert "less than or equal to 600" in html
    blank = rivera_client.get(f"/classes/{room12.pk}/print/").content.decode()
    assert f'name="goal_{goal.pk}" id="id_stickers_goal_{goal.pk}" min="0"' in blank
    assert 'value="0"' in blank


@pytest.mark.parametrize(
    "query",
    [
        "cards.pdf?sheet=nope&start=1&who=all",
        "cards.pdf?sheet=letter-cards-10&start=abc&who=all",
        "calendar.pdf?paper=letter&month=garbage&months=1",
        "calendar.pdf?paper=letter&month=2026-11&months=400",
        "poster.pdf?paper=a3",
        "chart.pdf?paper=",
        "checklists.pdf?paper=letter&categories=999999",
    ],
)
@pytest.mark.django_db
def test_it_answers_nonsense_with_the_page_and_a_message(rivera_client, room12, query):
    page = rivera_client.get(f"/classes/{room12.pk}/print/{query}")
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()


@pytest.mark.django_db
def test_it_prints_the_binder_one_student_to_a_page(rivera_client, room12, thu, zoe):
    ConferenceFactory(student=thu, discussed="We looked at the <b>lead</b>.", task="Add a sound.")
    reader = pdf_of(rivera_client.get(f"/classes/{room12.pk}/print/chart.pdf?paper=a4"))
    assert len(reader.pages) == 2
    assert page_size_mm(reader) == pytest.approx((210, 297), abs=0.5)
    first = reader.pages[0].extract_text()
    assert "Thu" in first and "We looked at the <b>lead</b>." in first
    assert "What Thu will do before next time" in first
    assert zoe.shown_name in reader.pages[1].extract_text()


@pytest.mark.django_db
def test_it_writes_appointments_into_the_calendar(rivera_client, room12, zoe):
    # The calendar prints writing days only: book the next weekday, whatever today is.
    ahead = next(d for d in range(1, 4) if (timezone.localdate() + timedelta(d)).weekday() < 5)
    when = at(ahead, 10, 15)
    Conference.objects.create(
        student=zoe, classroom=room12, status=Conference.Status.SCHEDULED, scheduled_for=when
    )
    month = timezone.localtime(when).strftime("%Y-%m")
    reader = pdf_of(
        rivera_client.get(
            f"/classes/{room12.pk}/print/calendar.pdf?paper=letter&month={month}&months=2"
        )
    )
    assert len(reader.pages) == 2
    width, height = page_size_mm(reader)
    assert width > height  # landscape
    text = text_of(reader)
    assert f"10:15 AM {zoe.shown_name}" in text
    assert timezone.localtime(when).strftime("%B %Y") in text


@pytest.mark.parametrize("paper", ["letter", "a4", "tabloid"])
@pytest.mark.django_db
def test_it_prints_the_goals_chart_as_a_poster(rivera_client, room12, thu, zoe, paper):
    reader = pdf_of(rivera_client.get(f"/classes/{room12.pk}/print/poster.pdf?paper={paper}"))
    expected = PAPERS[paper]
    assert page_size_mm(reader) == pytest.approx((expected.width, expected.height), abs=0.5)
    text = " ".join(text_of(reader).split())
    assert thu.student_goals.get().goal.student_words[:25] in text
    assert "Choosing a goal next" in text and zoe.shown_name in text


@pytest.mark.django_db
def test_it_marks_the_students_own_goal_on_the_checklist(rivera_client, room12, thu):
    goal = thu.student_goals.get().goal
    url = f"/classes/{room12.pk}/print/checklists.pdf?paper=letter&checklist=categories"
    reader = pdf_of(rivera_client.get(url))
    text = " ".join(text_of(reader).split())
    assert f"★ {goal.checklist_item or goal.student_words}"[:30] in text
    others = goal.category.goals.exclude(pk=goal.pk).filter(
        owner=None, grade_low__lte=4, grade_high__gte=4
    )
    assert others.exists()
    assert (others[0].checklist_item or others[0].student_words)[:20] in text


@pytest.mark.django_db
def test_it_prints_one_family_report_page_per_student(rivera_client, room12, thu, zoe):
    sample = WritingSampleFactory(student=thu, title="The storm")
    StrengthFactory(
        student=thu, sample=sample, description="Uses sound words", evidence="BOOM went the sky"
    )
    first = ConferenceFactory(student=thu, task="Add a sound word.")
    ConferenceFactory(
        student=thu,
        started_at=first.started_at + timedelta(days=3),
        ended_at=first.started_at + timedelta(days=3, minutes=4),
        task_review=Conference.TaskReview.DONE,
        task="Read it to a partner.",
    )
    reader = pdf_of(rivera_client.get(f"/classes/{room12.pk}/print/reports.pdf?paper=letter"))
    assert len(reader.pages) == 2
    thu_page = " ".join(reader.pages[0].extract_text().split())
    assert "Thu Nguyễn" in thu_page
    assert "BOOM went the sky" in thu_page and "The storm" in thu_page
    assert "2 conferences" in thu_page
    assert "Add a sound word." in thu_page.split("Tasks done")[1]
    assert "Before the next conference: Read it to a partner." in thu_page
    # the Goals section is a picture of the last 12 weeks with its sentence
    goals = thu_page.split("Goals", 1)[1].split("Strengths we noticed")[0]
    assert "2 conferences (2 one-on-one, 0 in small groups)" in goals
    assert "the task done 1 time of 1 reviewed" in goals
    assert all(lane in goals for lane in ("Conferences", "Task review", "Stickers"))


@pytest.mark.django_db
def test_it_prints_one_students_documents_from_their_print_page(rivera_client, room12, thu):
    page = rivera_client.get(f"/students/{thu.pk}/print/?class={room12.pk}")
    assert page.status_code == 200
    assert (
        f"/students/{thu.pk}/print/" in rivera_client.get(f"/students/{thu.pk}/").content.decode()
    )
    for query in [
        "cards.pdf?sheet=letter-cards-10&start=3",
        "stickers.pdf?sheet=letter-30&start=1&mode=own&each=5",
        "strips.pdf?sheet=a4-strips-4",
        "chart.pdf?paper=letter",
        "checklists.pdf?paper=a4",
        "reports.pdf?paper=letter",
    ]:
        reader = pdf_of(rivera_client.get(f"/students/{thu.pk}/print/{query}&class={room12.pk}"))
        assert "Thu" in text_of(reader), query


@pytest.mark.django_db
def test_it_prints_the_card_at_the_end_of_a_conference(rivera_client, room12, thu):
    conference = ConferenceFactory(student=thu, task="Find your best sentence.")
    reader = pdf_of(rivera_client.get(f"/conferences/{conference.pk}/card.pdf"))
    assert len(reader.pages) == 1
    assert page_size_mm(reader) == pytest.approx((215.9, 279.4), abs=0.5)
    assert "Find your best sentence." in text_of(reader)


@pytest.mark.django_db
def test_it_offers_the_card_on_the_class_page_after_a_conference(
    rivera_client, room12, thu, okafor_world
):
    conference = ConferenceFactory(student=thu)
    page = rivera_client.get(f"/classes/{room12.pk}/?card={conference.pk}").content.decode()
    assert f"/conferences/{conference.pk}/card.pdf" in page
    assert "Thu's appointment card" in page
    for other in ["nonsense", okafor_world.conference.pk, ""]:
        page = rivera_client.get(f"/classes/{room12.pk}/?card={other}")
        assert page.status_code == 200
        assert "appointment card</strong>" not in page.content.decode()


@pytest.mark.django_db
def test_it_remembers_the_teachers_paper(rivera_client, rivera, room12):
    back = f"/classes/{room12.pk}/print/"
    answer = rivera_client.post("/print/paper/", {"paper": "a4", "next": back})
    assert answer.status_code == 302 and answer["Location"] == back
    rivera.refresh_from_db()
    assert rivera.paper == "a4"
    assert "A4" in shown_messages(rivera_client.get(back))[0]
    page = rivera_client.get(back).content.decode()
    assert '<option value="a4-21" selected>' in page
    away = rivera_client.post("/print/paper/", {"paper": "letter", "next": "https://evil.example/"})
    assert away["Location"] == "/"
    refused = rivera_client.post("/print/paper/", {"paper": "a0", "next": back})
    assert refused.status_code == 302
    rivera.refresh_from_db()
    assert rivera.paper == "letter"


def queries_for(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_students(classroom, count: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(count):
        student = StudentFactory(classroom=classroom)
        goal = StudentGoalFactory(student=student, goal=library_goal(n % 5))
        ConferenceFactory(student=student, student_goal=goal)
        StrengthFactory(student=student)
        Conference.objects.create(
            student=student,
            classroom=classroom,
            status=Conference.Status.SCHEDULED,
            scheduled_for=at(1, 10, n),
        )


@pytest.mark.parametrize(
    "document",
    [
        "cards.pdf?sheet=letter-cards-10&start=1&who=all",
        "stickers.pdf?sheet=letter-30&start=1&mode=own&each=1",
        "strips.pdf?sheet=letter-strips-4",
        "chart.pdf?paper=letter",
        "calendar.pdf?paper=letter&months=1&month=MONTH",
        "poster.pdf?paper=letter",
        "checklists.pdf?paper=letter",
        "reports.pdf?paper=letter",
        "coverage.pdf?paper=letter",
        "",
    ],
)
@pytest.mark.django_db
def test_it_reads_a_class_in_the_same_number_of_queries_whatever_its_size(
    rivera_client, room12, document
):
    url = f"/classes/{room12.pk}/print/{document}".replace(
        "MONTH", timezone.localtime(at(1)).strftime("%Y-%m")
    )
    add_students(room12, 3)
    few = queries_for(rivera_client, url)
    add_students(room12, 12)
    assert queries_for(rivera_client, url) == few
    assert StudentGoal.objects.filter(student__classrooms=room12).count() == 15


@pytest.mark.django_db
def test_the_chart_draws_the_last_weeks_above_the_goals(rivera_client, room12, thu):
    ConferenceFactory(student=thu, task="Add a sound word.")
    reader = pdf_of(rivera_client.get(f"/students/{thu.pk}/print/chart.pdf?paper=letter"))
    page = " ".join(reader.pages[0].extract_text().split())
    goals = page.split("Goals", 1)[1].split("What we discussed")[0]
    assert "1 conference (1 one-on-one, 0 in small groups)" in goals
    assert all(lane in goals for lane in ("Conferences", "Task review", "Stickers"))


@pytest.mark.django_db
def test_it_prints_who_has_been_seen_as_a_picture(rivera_client, room12, thu, zoe):
    ConferenceFactory(student=thu, started_at=timezone.now() - timedelta(days=1))
    reader = pdf_of(rivera_client.get(f"/classes/{room12.pk}/print/coverage.pdf?paper=a4"))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert f"Who has been seen: {room12.name}" in text
    assert "this cycle" in text and "slots" in text
    assert "Thu Nguyễn" in text and "Zoë" in text
    assert "Filled square: held one-on-one." in text


@pytest.mark.django_db
def test_a_class_without_students_has_no_coverage_to_print(rivera_client, room12):
    response = rivera_client.get(f"/classes/{room12.pk}/print/coverage.pdf?paper=a4")
    assert response["Content-Type"].startswith("text/html")
    assert f"There are no students in {room12.name} yet" in response.content.decode()
