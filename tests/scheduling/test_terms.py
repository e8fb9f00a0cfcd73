"""The school's terms: set once by an administrator, asked by every picture of "this term"
(the coverage grid, the class's goals by week, a student's progress and its printouts)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conferbook.calendar.models import Term
from conferbook.calendar.selectors import MOST_TERM_WEEKS, span_of_term, term_on
from tests.helpers import make_administrator, shown_messages

pytestmark = pytest.mark.django_db


def add_term(client, name: str, first: date | str, last: date | str):
    return client.post("/school/terms/", {"name": name, "starts_on": first, "ends_on": last})


@pytest.fixture
def admin_client(rivera, rivera_client):
    make_administrator(rivera)
    return rivera_client


def test_an_administrator_adds_and_removes_the_schools_terms(admin_client):
    today = timezone.localdate()
    response = add_term(
        admin_client, "Autumn term", today - timedelta(days=30), today + timedelta(days=40)
    )
    assert response.status_code == 302
    page = admin_client.get("/school/terms/")
    assert "Added “Autumn term”." in shown_messages(page)
    assert "Autumn term" in page.content.decode() and "now" in page.content.decode()
    term = Term.objects.get()
    admin_client.post(f"/school/terms/{term.pk}/delete/")
    assert not Term.objects.exists()


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-09-10", "2026-09-01", "The last day comes before the first day."),
        ("2026-12-01", "2027-01-31", "These days overlap “Autumn term”"),
        ("1900-01-01", "2026-01-01", "Choose a date between"),
        ("someday", "2026-01-01", "Enter a valid date."),
    ],
)
def test_it_refuses_a_term_that_cannot_be_and_keeps_the_typing(admin_client, first, last, message):
    Term.objects.create(name="Autumn term", starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 18))
    response = add_term(admin_client, "Winter term", first, last)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'value="Winter term"' in body
    assert Term.objects.count() == 1


def test_only_an_administrator_sets_the_terms(rivera_client):
    term = Term.objects.create(name="T", starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 18))
    assert rivera_client.get("/school/terms/").status_code == 404
    assert add_term(rivera_client, "Mine", "2027-01-04", "2027-03-26").status_code == 404
    assert rivera_client.post(f"/school/terms/{term.pk}/delete/").status_code == 404
    assert Term.objects.count() == 1


def test_the_span_of_this_term_is_the_term_so_far_else_the_last_weeks():
    today = date(2026, 12, 5)
    assert span_of_term(today=today, weeks=12).start == today - timedelta(weeks=12)
    assert span_of_term(today=today, weeks=12).label == "the last 12 weeks"
    # A term that ended yesterday or starts tomorrow does not hold today.
    Term.objects.create(name="Past", starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 4))
    Term.objects.create(name="Next", starts_on=date(2026, 12, 6), ends_on=date(2027, 3, 1))
    assert term_on(today) is None
    assert term_on(today, among=list(Term.objects.all())) is None  # the terms read already
    Term.objects.create(name="Short", starts_on=date(2026, 12, 5), ends_on=date(2026, 12, 5))
    span = span_of_term(today=today, weeks=12)
    assert (span.start, span.end, span.label) == (today, today, "Short")
    assert span_of_term(today=today, weeks=12, among=list(Term.objects.all())) == span
    # A very long "term" (a whole year entered as one) reaches back MOST_TERM_WEEKS at most.
    Term.objects.all().delete()
    Term.objects.create(name="Year", starts_on=date(2025, 8, 1), ends_on=date(2027, 7, 1))
    assert span_of_term(today=today, weeks=12).start == today - timedelta(weeks=MOST_TERM_WEEKS)


@pytest.fixture
def autumn():
    today = timezone.localdate()
    return Term.objects.create(
        name="Autumn term", starts_on=today - timedelta(days=50), ends_on=today + timedelta(days=20)
    )


def test_the_coverage_picture_shows_the_term(rivera_client, room12, zoe, autumn):
    page = rivera_client.get(f"/classes/{room12.pk}/coverage/")
    assert 'href="?show=term"' in page.content.decode()
    response = rivera_client.get(f"/classes/{room12.pk}/coverage/?show=term")
    assert response.context["show"] == "term"
    assert response.context["start"] == autumn.starts_on
    assert response.context["end"] <= autumn.ends_on


def test_without_a_term_the_coverage_picture_says_so(rivera_client, room12, zoe):
    response = rivera_client.get(f"/classes/{room12.pk}/coverage/?show=term")
    assert response.context["show"] == "cycle"
    assert any("No school term holds today" in m for m in shown_messages(response))
    assert 'href="?show=term"' not in response.content.decode()


def test_the_progress_picture_and_the_goals_by_week_cover_the_term(
    rivera_client, room12, zoe, autumn
):
    progress = rivera_client.get(f"/students/{zoe.pk}/progress/")
    assert progress.context["progress"].start == autumn.starts_on
    assert "Autumn term so far" in progress.content.decode()

    pictures = rivera_client.get(f"/classes/{room12.pk}/board/pictures/")
    found = pictures.context["found"]
    today = timezone.localdate()
    first_monday = autumn.starts_on - timedelta(days=autumn.starts_on.weekday())
    assert found.weeks[0].monday == first_monday
    assert found.weeks[-1].monday == today - timedelta(days=today.weekday())
    assert found.summary_weeks().startswith("In Autumn term: ")


def test_the_family_report_pictures_the_term(rivera, rivera_client, room12, zoe, autumn):
    from conferbook.printables import documents

    seen: list[date] = []
    real = documents.progress_of

    def spy(**kwargs):
        seen.append(kwargs["start"])
        return real(**kwargs)

    documents.progress_of = spy
    try:
        response = rivera_client.get(f"/students/{zoe.pk}/print/reports.pdf?paper=letter")
    finally:
        documents.progress_of = real
    assert response.status_code == 200
    assert seen == [autumn.starts_on]
