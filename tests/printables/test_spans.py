"""Which conferences a chart or a family report covers: this term unless the teacher
chooses one of the school's terms, dates of their own, or everything."""

from __future__ import annotations

import gc
import io
import tracemalloc
import zipfile
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from conferbook.calendar.models import Term
from conferbook.cli import main
from conferbook.conferences.models import Conference
from conferbook.goals.models import StudentGoal
from conferbook.printables.pdf import SMALLEST
from tests.factories import (
    ConferenceFactory,
    StrengthFactory,
    StudentFactory,
    StudentGoalFactory,
    library_goal,
)
from tests.printables.pdfread import pages, text_runs

pytestmark = pytest.mark.django_db
HELD = Conference.Status.HELD


def days_ago(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def held(student, days: int, discussed: str, **fields) -> Conference:  # type: ignore[no-untyped-def]
    at = days_ago(days)
    return ConferenceFactory(
        student=student,
        started_at=at,
        ended_at=at + timedelta(minutes=4),
        discussed=discussed,
        **fields,
    )


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:800]
    assert response["Content-Type"] == "application/pdf"
    return text_of(response.content)


def short(day: date, *, year: bool = True) -> str:
    return date_format(day, "j M Y" if year else "j M")


@pytest.fixture
def autumn() -> Term:
    today = timezone.localdate()
    return Term.objects.create(
        name="Autumn term", starts_on=today - timedelta(days=40), ends_on=today + timedelta(days=30)
    )


@pytest.fixture
def spring() -> Term:
    today = timezone.localdate()
    return Term.objects.create(
        name="Spring term",
        starts_on=today - timedelta(days=300),
        ends_on=today - timedelta(days=200),
    )


@pytest.fixture
def history(zoe) -> dict[str, Conference]:
    """Zoë's conferences: this autumn, last spring, and long before."""
    return {
        "autumn": held(zoe, 10, "Autumn: we looked at the lead."),
        "summer": held(zoe, 100, "Summer: we looked at the ending."),
        "spring": held(zoe, 250, "Spring: we looked at dialogue."),
        "long ago": held(zoe, 600, "Long ago: we looked at the title."),
    }


def chart_of(client, room, query: str = "") -> str:  # type: ignore[no-untyped-def]
    return pdf_text(client.get(f"/classes/{room.pk}/print/chart.pdf?paper=letter{query}"))


# -- this term, by default ----------------------------------------------------------------


def test_it_prints_this_term_unless_told_and_says_so(rivera_client, room12, zoe, history, autumn):
    today = timezone.localdate()
    # The start's year is written when the term began last year (in January).
    began = short(autumn.starts_on, year=autumn.starts_on.year != today.year)
    for kind in ("chart", "reports"):
        text = pdf_text(rivera_client.get(f"/classes/{room12.pk}/print/{kind}.pdf?paper=letter"))
        assert f"Conferences in Autumn term, {began} to {short(today)}" in text
        if kind == "chart":
            assert "Autumn: we looked at the lead." in text
            assert "Summer:" not in text and "Spring:" not in text and "Long ago:" not in text
        else:
            assert "1 conference:" in text
    page = rivera_client.get(f"/classes/{room12.pk}/print/").content.decode()
    first = short(autumn.starts_on, year=False)
    assert f'<option value="term" selected>Autumn term (from {first})</option>' in page
    assert f"This term: Autumn term, {first} to today." in page
    assert "Everything (all years)" in page


def test_without_a_term_it_prints_the_last_12_weeks(rivera_client, room12, zoe, history):
    text = chart_of(rivera_client, room12)
    start = timezone.localdate() - timedelta(weeks=12)
    assert f"Conferences in the last 12 weeks, {short(start, year=False)}" in text
    assert "Autumn: we looked at the lead." in text
    assert "Summer:" not in text  # 100 days ago
    page = rivera_client.get(f"/classes/{room12.pk}/print/").content.decode()
    assert (
        f'<option value="term" selected>The last 12 weeks (from {short(start, year=False)})' in page
    )
    assert "No school term holds today: the last 12 weeks" in page


def test_the_goals_shown_are_those_worked_on_in_the_span(rivera_client, room12, zoe, autumn):
    today = timezone.localdate()
    StudentGoalFactory(student=zoe, goal=library_goal(0), set_on=today - timedelta(days=400))
    StudentGoalFactory(
        student=zoe,
        goal=library_goal(1),
        set_on=today - timedelta(days=300),
        closed_on=today - timedelta(days=200),
        status=StudentGoal.Status.MET,
    )
    StudentGoalFactory(
        student=zoe,
        goal=library_goal(2),
        set_on=today - timedelta(days=60),
        closed_on=today - timedelta(days=20),
        status=StudentGoal.Status.MET,
    )
    text = chart_of(rivera_client, room12)
    words = [library_goal(n).student_words[:25] for n in range(3)]
    assert words[0] in text  # still active: always shown
    assert words[1] not in text  # met last spring
    assert words[2] in text  # met this term
    everything = pdf_text(
        rivera_client.get(f"/students/{zoe.pk}/print/chart.pdf?paper=letter&conferences=all")
    )
    assert words[1] in everything


# -- another term, dates, everything --------------------------------------------------------


def test_it_prints_a_term_the_teacher_chooses(rivera_client, room12, zoe, history, autumn, spring):
    Term.objects.create(
        name="Next year",
        starts_on=timezone.localdate() + timedelta(days=100),
        ends_on=timezone.localdate() + timedelta(days=200),
    )
    page = rivera_client.get(f"/classes/{room12.pk}/print/").content.decode()
    first = short(spring.starts_on, year=spring.starts_on.year != spring.ends_on.year)
    assert f"Spring term ({first} to {short(spring.ends_on)})" in page
    assert "Next year" not in page  # not begun: nothing to print
    for kind in ("chart", "reports"):
        url = f"/classes/{room12.pk}/print/{kind}.pdf?paper=letter&conferences=term-{spring.pk}"
        text = pdf_text(rivera_client.get(url))
        assert "Conferences in Spring term, " in text
        if kind == "chart":
            assert "Spring: we looked at dialogue." in text
            assert "Autumn:" not in text and "Summer:" not in text


def test_it_prints_the_dates_the_teacher_chooses(rivera_client, room12, zoe, history):
    today = timezone.localdate()
    since, until = today - timedelta(days=120), today - timedelta(days=90)
    text = chart_of(rivera_client, room12, f"&conferences=dates&since={since}&until={until}")
    assert (
        f"Conferences from {short(since, year=since.year != until.year)} to {short(until)}" in text
    )
    assert "Summer: we looked at the ending." in text
    assert "Autumn:" not in text and "Spring:" not in text


def test_everything_is_one_choice_away(rivera_client, room12, zoe, history):
    text = pdf_text(
        rivera_client.get(f"/students/{zoe.pk}/print/chart.pdf?paper=letter&conferences=all")
    )
    assert "All conferences, every year" in text
    for conference in history.values():
        assert conference.discussed in text
    report = pdf_text(
        rivera_client.get(f"/classes/{room12.pk}/print/reports.pdf?paper=letter&conferences=all")
    )
    assert "4 conferences:" in report


def test_the_span_ends_at_midnight_in_the_schools_time_zone(rivera_client, room12, zoe, settings):
    settings.TIME_ZONE = "Pacific/Auckland"  # no school saved: its zone is the machine's
    zone = ZoneInfo("Pacific/Auckland")
    last = date(2026, 3, 10)
    late = datetime.combine(last, time(23, 30), tzinfo=zone)  # 10:30 UTC the same day
    after = datetime.combine(
        last + timedelta(days=1), time(0, 30), tzinfo=zone
    )  # 11:30 UTC the 10th
    first = datetime.combine(date(2026, 3, 1), time(0, 10), tzinfo=zone)  # 28 Feb in UTC
    for at, words in (
        (late, "Late on the last day"),
        (after, "Just after"),
        (first, "First thing"),
    ):
        ConferenceFactory(student=zoe, started_at=at, ended_at=at, discussed=words)
    text = chart_of(rivera_client, room12, "&conferences=dates&since=2026-03-01&until=2026-03-10")
    assert "Late on the last day" in text and "First thing" in text
    assert "Just after" not in text


# -- choices that cannot be -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "conferences=dates&since=2026-12-01&until=2026-09-01",
            "The last day comes before the first day.",
        ),
        (
            "conferences=dates&since=0001-01-01&until=2026-09-01",
            "Choose a date between the years 2000 and 2100.",
        ),
        (
            "conferences=dates&since=2026-09-01&until=9999-12-31",
            "Choose a date between the years 2000 and 2100.",
        ),
        (
            "conferences=dates&since=someday&until=2026-09-01",
            "Write the first day as a date, such as 2026-09-01.",
        ),
        ("conferences=dates&since=2026-09-01&until=10000-01-01", "Write the last day as a date"),
        (
            "conferences=dates&since=&until=2026-09-01",
            "Give the first day, or choose another span.",
        ),
        ("conferences=term-999999", "Choose one of the spans in the list."),
        ("conferences=%00", "Choose which conferences to print."),
    ],
)
@pytest.mark.parametrize("kind", ["chart", "reports"])
def test_it_refuses_a_span_that_cannot_be_and_keeps_the_other_answers(
    rivera_client, room12, zoe, kind, query, message
):
    page = rivera_client.get(f"/classes/{room12.pk}/print/{kind}.pdf?paper=a4&{query}")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert message in html and 'role="alert"' in html
    chosen = html.split(f'id="id_{kind}_paper"', 1)[1].split("</select>", 1)[0]
    assert '<option value="a4" selected>' in chosen  # the teacher's other answer is kept
    if "someday" in query:
        assert 'value="someday"' in html


def test_a_term_chosen_on_the_page_and_gone_since_is_explained(rivera_client, room12, zoe, spring):
    url = f"/classes/{room12.pk}/print/chart.pdf?paper=letter&conferences=term-{spring.pk}"
    assert rivera_client.get(url).status_code == 200
    spring.delete()
    page = rivera_client.get(url)
    assert page.status_code == 400
    assert "Choose one of the spans in the list." in page.content.decode()


# -- the family report fits its page --------------------------------------------------------


def long_history(student, *, weeks: int = 200, task: str = "") -> None:  # type: ignore[no-untyped-def]
    """A conference a week for `weeks` weeks, every task reviewed as done, several goals and
    many strengths."""
    today = timezone.localdate()
    for n in range(8):
        StudentGoalFactory(
            student=student,
            goal=library_goal(n % 5),
            set_on=today - timedelta(weeks=weeks - n * 20),
            closed_on=None if n >= 6 else today - timedelta(weeks=weeks - n * 20 - 15),
            status=StudentGoal.Status.ACTIVE if n >= 6 else StudentGoal.Status.MET,
        )
    for n in range(12):
        StrengthFactory(student=student, description=f"Strength {n} " + "vivid " * 30)
    classroom = student.classrooms.first()
    Conference.objects.bulk_create(
        Conference(
            student=student,
            classroom=classroom,
            status=HELD,
            started_at=days_ago(7 * n),
            ended_at=days_ago(7 * n) + timedelta(minutes=4),
            discussed=f"Week {n}",
            task=task or f"Task of week {n}",
            task_review=Conference.TaskReview.DONE,
        )
        for n in range(weeks)
    )


def test_the_family_report_fits_one_page_whatever_the_history(rivera_client, room12, zoe):
    others = [StudentFactory(first_name=name, classroom=room12) for name in ("Ana", "Ben")]
    long_history(
        zoe, task="Reread your piece aloud and " + "find one more place to add a sound " * 60
    )
    for student in others:
        long_history(student)
    response = rivera_client.get(
        f"/classes/{room12.pk}/print/reports.pdf?paper=letter&conferences=all"
    )
    text = pdf_text(response)
    assert pages(response.content) == 3
    assert "200 conferences; the latest 6:" in text
    assert "…and" in text and "more tasks done earlier." in text
    assert "more strengths noticed earlier." in text
    for page in range(3):
        runs = text_runs(response.content, page)
        # Cut to what a page holds, so hardly shrunk: the 10-point text prints at 7 or more.
        assert next(r for r in runs if r.text.startswith("200 conferences")).size >= 7
        assert min(r.size for r in runs) >= SMALLEST - 1  # the picture's dates too
    # This term's report of the same history counts this term's conferences only.
    term = pdf_text(rivera_client.get(f"/classes/{room12.pk}/print/reports.pdf?paper=letter"))
    assert "13 conferences; the latest 6:" in term


# -- a fixed number of queries ----------------------------------------------------------------


def add_students(classroom, count: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(count):
        student = StudentFactory(classroom=classroom)
        goal = StudentGoalFactory(student=student, goal=library_goal(n % 5))
        for weeks in (1, 20, 60):
            ConferenceFactory(student=student, student_goal=goal, started_at=days_ago(7 * weeks))
        StrengthFactory(student=student)


def queries_for(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


@pytest.mark.parametrize(
    "query",
    [
        "chart.pdf?paper=letter&conferences=term-TERM",
        "chart.pdf?paper=letter&conferences=dates&since=2026-01-01&until=2026-12-31",
        "chart.pdf?paper=letter&conferences=all",
        "reports.pdf?paper=letter&conferences=term-TERM",
        "reports.pdf?paper=letter&conferences=all",
    ],
)
def test_it_reads_any_span_in_the_same_number_of_queries_whatever_the_class(
    rivera_client, room12, autumn, query
):
    url = f"/classes/{room12.pk}/print/{query}".replace("TERM", str(autumn.pk))
    add_students(room12, 3)
    few = queries_for(rivera_client, url)
    add_students(room12, 12)
    assert queries_for(rivera_client, url) == few


def test_a_span_form_reads_the_school_terms_once(rivera, autumn, spring):
    from conferbook.printables.forms import SpanForm

    with CaptureQueriesContext(connection) as captured:
        form = SpanForm(teacher=rivera)
    assert sum('"calendar_term"' in q["sql"] for q in captured.captured_queries) == 1
    offered = dict(form.fields["conferences"].choices)
    assert any(autumn.name in label for label in offered.values())
    assert any(spring.name in label for label in offered.values())


# -- a long binder is sent one student at a time ----------------------------------------------


def test_a_binder_of_everything_comes_as_one_pdf_per_student(rivera_client, room12, zoe, history):
    ben = StudentFactory(first_name="Ben", last_name="Adams", classroom=room12)  # no conference
    response = rivera_client.get(f"/classes/{room12.pk}/print/chart.pdf?paper=a4&conferences=all")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="room-12-binder.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert names == ["1-ben-chart.pdf", "2-zoe-chart.pdf"]  # in name order
    ben_text, zoe_text = (text_of(archive.read(name)) for name in names)
    assert "What Ben will do before next time" in ben_text and "Zoë" not in ben_text
    for conference in history.values():
        assert conference.discussed in zoe_text
    assert "All conferences, every year" in zoe_text
    assert ben.shown_name not in zoe_text
    page = rivera_client.get(f"/classes/{room12.pk}/print/").content.decode()
    assert "comes as a zip file with one PDF per student" in page


def test_a_binder_names_each_student_in_their_own_letters(rivera_client, room12, zoe, history):
    """A name with no Latin spelling keeps its letters, so no two files are named alike."""
    StudentFactory(first_name="Иван", last_name="Петров", classroom=room12)
    StudentFactory(first_name="明", last_name="李", classroom=room12)
    StudentFactory(first_name="../../etc", last_name="Passwd", classroom=room12)
    room12.name = "五年级 Room 12"
    room12.save()
    response = rivera_client.get(f"/classes/{room12.pk}/print/chart.pdf?paper=a4&conferences=all")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E4%BA%94%E5%B9%B4%E7%BA%A7-room-12-binder.zip"
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [
        "1-etc-chart.pdf",
        "2-zoe-chart.pdf",
        "3-иван-chart.pdf",
        "4-明-chart.pdf",
    ]


def test_a_binder_of_a_term_is_one_pdf(rivera_client, room12, zoe, history, spring):
    for query in (
        f"&conferences=term-{spring.pk}",
        "&conferences=dates&since=2025-01-01&until=2025-06-30",
    ):
        response = rivera_client.get(f"/classes/{room12.pk}/print/chart.pdf?paper=a4{query}")
        assert response["Content-Type"] == "application/pdf"


def peak_while_sending(client, url: str) -> int:  # type: ignore[no-untyped-def]
    gc.collect()
    tracemalloc.start()
    try:
        response = client.get(url)
        assert response.status_code == 200
        for _ in response.streaming_content if response.streaming else [response.content]:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def half_year_class(classroom, count: int) -> None:  # type: ignore[no-untyped-def]
    """`count` students, each with a conference every other week for 26 weeks."""
    for _ in range(count):
        student = StudentFactory(classroom=classroom)
        Conference.objects.bulk_create(
            Conference(
                student=student,
                classroom=classroom,
                status=HELD,
                started_at=days_ago(14 * n + 1),
                ended_at=days_ago(14 * n + 1) + timedelta(minutes=4),
                discussed="We read the lead together and found the words that hook a reader.",
                task="Try two new leads and choose the one you like best.",
            )
            for n in range(13)
        )


def test_the_server_holds_one_students_chart_at_a_time_whatever_the_class(rivera_client, room12):
    today = timezone.localdate()
    spans = {
        "everything": "&conferences=all",
        "26 weeks": f"&conferences=dates&since={today - timedelta(weeks=26)}&until={today}",
    }
    url = f"/classes/{room12.pk}/print/chart.pdf?paper=letter"
    half_year_class(room12, 3)
    for query in spans.values():  # fonts and imports are loaded once, before measuring
        peak_while_sending(rivera_client, url + query)
    small = {span: peak_while_sending(rivera_client, url + query) for span, query in spans.items()}
    half_year_class(room12, 15)
    large = {span: peak_while_sending(rivera_client, url + query) for span, query in spans.items()}
    grew = {span: large[span] - small[span] for span in spans}
    # Control: one PDF of 26 weeks (a term at most) holds the whole class while it is made.
    assert large["26 weeks"] > 1.3 * small["26 weeks"], (small, large)
    # Everything comes one student at a time: six times the class, about the same memory
    # (what grows is the class's goals and 26 weeks of its picture, read at once).
    assert large["everything"] < 1.2 * small["everything"], (small, large)
    assert grew["everything"] < grew["26 weeks"] / 3, grew


# -- privacy ----------------------------------------------------------------------------------


def test_another_teacher_prints_nothing_of_the_class_whatever_the_span(
    okafor_client, room12, zoe, history, spring
):
    for query in (
        "conferences=all",
        f"conferences=term-{spring.pk}",
        "conferences=dates&since=2020-01-01&until=2030-01-01",
    ):
        for url in (
            f"/classes/{room12.pk}/print/chart.pdf?paper=letter&{query}",
            f"/classes/{room12.pk}/print/reports.pdf?paper=letter&{query}",
            f"/students/{zoe.pk}/print/chart.pdf?paper=letter&class={room12.pk}&{query}",
            f"/students/{zoe.pk}/print/reports.pdf?paper=letter&class={room12.pk}&{query}",
        ):
            assert okafor_client.get(url).status_code == 404, url


# -- the command line -------------------------------------------------------------------------


def test_the_command_prints_the_span_asked_for(room12, zoe, history, tmp_path, capsys):
    today = timezone.localdate()
    since, until = today - timedelta(days=120), today - timedelta(days=90)
    target = tmp_path / "summer.pdf"
    argv = [
        "print",
        "chart",
        "--class",
        room12.name,
        "conferences=dates",
        f"since={since}",
        f"until={until}",
    ]
    assert main([*argv, "-o", str(target)]) == 0
    text = text_of(target.read_bytes())
    assert "Summer: we looked at the ending." in text and "Autumn:" not in text

    binder = tmp_path / "binder.zip"
    assert (
        main(["print", "chart", "--class", room12.name, "conferences=all", "-o", str(binder)]) == 0
    )
    assert f"Wrote {binder}" in capsys.readouterr().out
    (name,) = zipfile.ZipFile(binder).namelist()
    assert "Long ago: we looked at the title." in text_of(zipfile.ZipFile(binder).read(name))

    refused = tmp_path / "refused.pdf"
    argv = [
        "print",
        "reports",
        "--class",
        room12.name,
        "conferences=dates",
        "since=someday",
        "until=2026-01-01",
    ]
    assert main([*argv, "-o", str(refused)]) == 2
    assert "since: Write the first day as a date" in capsys.readouterr().err
    assert not refused.exists()
    assert (
        main(["print", "reports", "--class", room12.name, "conferences=lately", "-o", str(refused)])
        == 2
    )
    assert "choose one of: term, dates, all" in capsys.readouterr().err
